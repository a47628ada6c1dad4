// Save an editor form as JSON with If-Match; explain 412/422/428 answers in words.

import { sendJSON } from "./api.js";
import { DraftKeeper } from "./draft-keeper.js";
import { readForm } from "./form-data.js";
import { _ } from "./i18n.js";
import { describeOther, mergeSummary, showMerge } from "./merge-panel.js";
import { askToSignIn, sessionEnded } from "./sign-in-dialog.js";

const NOTICE = "kotoji-editor-notice";

export class JsonForm extends EventTarget {
  constructor(form) {
    super();
    this.form = form;
    this.status = form.querySelector(".save-status");
    this.mergeBox = form.querySelector(".merge");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save(readForm(form));
    });
    this.drafts = new DraftKeeper(form);
    document.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault(); // Ctrl+S / Cmd+S saves the form instead of saving the web page
        form.requestSubmit();
      }
    });
    // The save buttons come disabled: until this script runs, a click would send the form the plain
    // way (no JSON, no If-Match) and lose what was typed. The catalog of words loads first.
    for (const button of form.querySelectorAll("button[type=submit][disabled]")) button.disabled = false;
    const notice = sessionStorage.getItem(NOTICE);
    if (notice) {
      sessionStorage.removeItem(NOTICE);
      this.say(notice);
    }
  }

  // Show the merged state: reload the page, keeping what was said for after the reload.
  reloadWith(text) {
    this.drafts.saved();
    sessionStorage.setItem(NOTICE, text);
    this.dispatchEvent(new CustomEvent("merged"));
    window.location.reload();
  }

  async saveMerged(answer, merged) {
    const typed = this.form.querySelector("[data-message]");
    const note = `merged with ${describeOther(answer)}${typed && typed.value.trim() ? `: ${typed.value.trim()}` : ""}`;
    const body = this.form.dataset.kind === "stop" ? { ...merged, message: note.slice(0, 200) } : merged;
    const { status, data } = await sendJSON(this.form.dataset.saveUrl, "PUT", body, answer.current_etag);
    if (status === 200) {
      this.form.dataset.etag = data.etag;
      this.reloadWith(
        _("Merged with {other}. {summary} Saved (revision {revision}).", {
          other: describeOther(answer),
          summary: mergeSummary(answer.merge),
          revision: data.revision,
        }),
      );
    } else if (status === 412) {
      this.conflict(merged, data); // yet another save came in between: merge again
    } else {
      this.say(_("Not saved: {reason}", { reason: data.message }), true, data.problems || []);
    }
    return status;
  }

  conflict(data, answer) {
    if (answer.merge && !answer.merge.conflicts.length) {
      this.say(_("Merging with {other}…", { other: describeOther(answer) }));
      return this.saveMerged(answer, answer.merge.merged);
    }
    this.say(
      _("Not saved yet: someone else saved a newer version and you both changed the same fields. Choose below."),
      true,
    );
    showMerge(this.mergeBox, { answer, onSave: (merged) => this.saveMerged(answer, merged) });
    return 412;
  }

  say(text, isProblem = false, problems = []) {
    this.status.replaceChildren(text);
    this.status.classList.toggle("problem", isProblem);
    if (problems.length) {
      const list = document.createElement("ul");
      problems.forEach((problem) => {
        const item = document.createElement("li");
        item.textContent = problem;
        list.append(item);
      });
      this.status.append(list);
    }
  }

  async save(data, etag = this.form.dataset.etag) {
    const message = this.form.querySelector("[data-message]");
    const body = message && message.value.trim() ? { ...data, message: message.value.trim() } : data;
    this.say(_("Saving…"));
    const { status, data: answer } = await sendJSON(this.form.dataset.saveUrl, "PUT", body, etag);
    if (status === 200) {
      this.form.dataset.etag = answer.etag;
      this.mergeBox.hidden = true;
      if (message) message.value = "";
      this.drafts.saved();
      this.say(_("Saved (revision {revision}).", { revision: answer.revision }));
      this.dispatchEvent(new CustomEvent("saved", { detail: answer }));
    } else if (status === 412) {
      return this.conflict(data, answer);
    } else if (sessionEnded(status, answer)) {
      this.say(_("Not saved yet: your session has ended. Sign in again; what you typed is kept."), true);
      if (await askToSignIn()) return this.save(data, etag);
    } else {
      this.say(_("Not saved: {reason}", { reason: answer.message }), true, answer.problems || []);
    }
    return status;
  }
}
