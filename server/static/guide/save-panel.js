// Saving tours (guides with an account): private notes per stop, create or update a saved tour.
// Unsaved notes are kept: leaving the page asks first. A tour another guide shares with me opens read-only:
// its notes cannot be edited, and saving makes my own copy (the server refuses changes to theirs anyway).
import { _ } from "./i18n.js";

export class SavePanel {
  constructor(root, state, currentPlan) {
    this.root = root;
    this.state = state;
    this.currentPlan = currentPlan;
    this.signedIn = root.dataset.signedIn === "yes";
    this.notes = this.signedIn ? {} : null;
    this.panel = document.getElementById("save-panel");
    this.status = document.getElementById("save-status");
    this.button = document.getElementById("save-tour");
    this.notesLink = document.getElementById("handout-notes-link");
    this.dirty = false;
    this.gone = [];
    this.readOnly = false;
    if (this.signedIn) this.button.addEventListener("click", () => this.save());
    window.addEventListener("beforeunload", (event) => {
      if (!this.dirty) return;
      event.preventDefault();
      event.returnValue = ""; // the browser shows its own "leave the page?" question
    });
  }

  get savedId() {
    return this.state.get("saved");
  }

  // Load the notes of the saved tour this page was opened with, if any.
  async load() {
    if (!this.signedIn || !this.savedId) return;
    const response = await fetch(`${this.root.dataset.savedUrl}/${encodeURIComponent(this.savedId)}.json`, {
      headers: { Accept: "application/json" },
    });
    if (response.ok) {
      const saved = await response.json();
      this.notes = { ...saved.notes };
      this.readOnly = Boolean(saved.read_only);
      this.gone = this.readOnly ? [] : saved.gone || [];
      this.showGone();
      const title = saved.title || saved.walk;
      this.status.textContent = this.readOnly
        ? _("“{title}” is shared with you by {owner} to read only. Save it as your own tour to change it.", {
            title,
            owner: saved.owner,
          })
        : _("Editing your saved tour “{title}”.", { title });
    } else {
      this.state.params.delete("saved");
    }
  }

  // Stops unpublished since saving: named, with their notes, until the guide removes them.
  showGone() {
    const list = document.getElementById("gone-list");
    document.getElementById("gone-stops").hidden = !this.gone.length;
    list.replaceChildren(
      ...this.gone.map((stop) => {
        const item = document.createElement("li");
        const text = document.createElement("span");
        text.textContent = stop.note
          ? _("{stop} — your note: {note}", { stop: stop.slug, note: stop.note })
          : stop.slug;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = _("Remove");
        remove.setAttribute("aria-label", _("Remove {stop} and its note from the saved tour", { stop: stop.slug }));
        remove.addEventListener("click", () => {
          this.gone = this.gone.filter((other) => other.slug !== stop.slug);
          delete this.notes[stop.slug];
          this.dirty = true;
          this.status.textContent = _("Unsaved changes.");
          this.showGone();
        });
        item.append(text, " ", remove);
        return item;
      }),
    );
  }

  setNote(slug, text) {
    this.notes[slug] = text;
    this.dirty = true;
    this.status.textContent = _("Unsaved changes.");
  }

  show(plan) {
    this.panel.hidden = !this.signedIn;
    if (!this.signedIn) return;
    this.button.disabled = plan.stops.length === 0;
    if (this.readOnly) this.button.textContent = _("Save as my own tour");
    else this.button.textContent = this.savedId ? _("Save changes") : _("Save tour");
    this.notesLink.hidden = !this.savedId;
    if (this.savedId) this.notesLink.href = `${plan.urls.handout}&saved=${encodeURIComponent(this.savedId)}&notes=1`;
  }

  async save() {
    const plan = this.currentPlan();
    const inTour = new Set(plan.stops.map((s) => s.slug));
    const kept = new Set((this.gone || []).map((stop) => stop.slug)); // unpublished stops keep their notes
    const notes = Object.fromEntries(Object.entries(this.notes).filter(([slug]) => inTour.has(slug) || kept.has(slug)));
    const update = this.savedId && !this.readOnly; // a shared tour is saved as a new tour of my own
    const url = update
      ? `${this.root.dataset.savedUrl}/${encodeURIComponent(this.savedId)}`
      : this.root.dataset.saveUrl;
    const token = document.querySelector('meta[name="csrf-token"]').content;
    const response = await fetch(url, {
      method: update ? "PUT" : "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": token },
      body: JSON.stringify({ parameters: this.state.tourParameters(), notes, keep: [...kept] }),
    });
    const body = await response.json();
    if (!response.ok) {
      this.status.textContent = _("Not saved: {reason}", { reason: body.message });
      return;
    }
    this.dirty = false;
    this.readOnly = false;
    this.status.textContent = _("Saved at {time}.", {
      time: new Date().toLocaleTimeString(document.documentElement.lang),
    });
    this.state.set("saved", body.id);
  }
}
