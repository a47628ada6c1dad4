// "You have arrived at …": said on screen (a polite live region) and by a gentle vibration
// (walking-session.js), with what happened to the stop's audio: queued, or playing.
import { languageEvents, pickText, t } from "./i18n.js";

const SHOWN_MS = 30000;

export class ArrivalNotice {
  constructor(root) {
    this.root = root;
    this.text = root.querySelector("#arrival-text");
    this.last = null;
    this.timer = null;
    root.querySelector("#arrival-close").addEventListener("click", () => this.hide());
    languageEvents.addEventListener("change", () => this.render());
  }

  // names: the stop's names per language; audio: "none" | "queued" | "playing"
  announce(names, audio) {
    this.last = { names, audio };
    this.render();
    this.root.hidden = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.hide(), SHOWN_MS);
  }

  render() {
    if (!this.last) return;
    const { names, audio } = this.last;
    const said = [t("arrival.text", { name: pickText(names)[0] })];
    if (audio !== "none") said.push(t(`arrival.audio_${audio}`));
    this.text.textContent = said.join(" ");
  }

  hide() {
    clearTimeout(this.timer);
    this.root.hidden = true;
  }
}
