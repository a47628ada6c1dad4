// Keep what an editor types in this browser until it is saved: a warning before leaving the page,
// a draft in localStorage after every change (so a reload, an expired session or a crash loses
// nothing), and an offer to restore that draft when the page opens again.

import { readForm, writeForm } from "./form-data.js";
import { _, language } from "./i18n.js";

const PREFIX = "kotoji-draft:";
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export class DraftKeeper {
  constructor(form, { onRestore } = {}) {
    this.form = form;
    this.key = PREFIX + form.dataset.saveUrl;
    this.loaded = readForm(form);
    this.dirty = false;
    this.timer = null;
    this.onRestore = onRestore;
    const changed = () => {
      this.dirty = !same(readForm(form), this.loaded);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.keep(), 300);
    };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    window.addEventListener("beforeunload", (event) => {
      if (!this.dirty) return;
      this.keep();
      event.preventDefault();
      event.returnValue = ""; // the browser shows its own "leave this page?" question
    });
    this.offer();
  }

  keep() {
    const data = readForm(this.form);
    if (same(data, this.loaded)) {
      localStorage.removeItem(this.key);
      return;
    }
    localStorage.setItem(this.key, JSON.stringify({ data, etag: this.form.dataset.etag, at: Date.now() }));
  }

  // After a save: what is on the page is what is stored.
  saved() {
    clearTimeout(this.timer);
    this.loaded = readForm(this.form);
    this.dirty = false;
    localStorage.removeItem(this.key);
  }

  offer() {
    let draft = null;
    try {
      draft = JSON.parse(localStorage.getItem(this.key) || "null");
    } catch {
      draft = null;
    }
    if (!draft || !draft.data || same(draft.data, this.loaded)) {
      localStorage.removeItem(this.key);
      return;
    }
    const box = document.createElement("div");
    box.className = "draft-offer notice";
    box.setAttribute("role", "alert");
    const text = document.createElement("p");
    text.textContent = _("You have changes from {time} that were not saved. They are kept in this browser.", {
      time: new Date(draft.at).toLocaleString(language),
    });
    const restore = document.createElement("button");
    restore.type = "button";
    restore.id = "restore-draft";
    restore.textContent = _("Restore my unsaved changes");
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "secondary";
    discard.textContent = _("Discard them");
    restore.addEventListener("click", () => {
      writeForm(this.form, draft.data);
      // Saving sends the version the draft was typed on, so a newer save by someone else is merged.
      this.form.dataset.etag = draft.etag || this.form.dataset.etag;
      this.dirty = true;
      box.remove();
      if (this.onRestore) this.onRestore();
    });
    discard.addEventListener("click", () => {
      localStorage.removeItem(this.key);
      box.remove();
    });
    box.append(text, restore, " ", discard);
    this.form.prepend(box);
  }
}
