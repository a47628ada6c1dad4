// The mini player at the bottom of every screen: what is playing, what comes next, the controls.
import { languageEvents, pickText, t } from "./i18n.js";

export class PlayerBar {
  constructor(root, player) {
    this.root = root;
    this.player = player;
    this.title = root.querySelector("#player-track");
    this.queue = root.querySelector("#player-queue");
    this.queuedName = root.querySelector("#player-queued");
    root.querySelector("#player-play-queued").addEventListener("click", () => player.playQueued());
    root.querySelector("#player-close").addEventListener("click", () => player.close());
    player.addEventListener("change", () => this.render());
    languageEvents.addEventListener("change", () => {
      this.render();
      player.updateMediaSession();
    });
    this.render();
  }

  render() {
    const { track, queued } = this.player;
    this.root.hidden = !track && !queued;
    this.root.dataset.state = this.player.playing ? "playing" : "paused";
    this.title.textContent = track ? pickText(track.name)[0] : "";
    this.queue.hidden = !queued;
    this.queuedName.textContent = queued ? t("player.up_next", { name: pickText(queued.name)[0] }) : "";
  }
}
