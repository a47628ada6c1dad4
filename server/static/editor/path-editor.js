// Draw and adjust the walk's path: add, move, insert, delete points; reverse; split at a stop;
// follow the streets between two clicks; undo; live length, time and warnings; preview; save with
// If-Match (a colleague's newer path is shown, never overwritten unseen).

import { sendJSON, getJSON } from "./api.js";
import L from "./leaflet.js";
import { NEAR_PATH_MARGIN_M, distanceM, lengthM, locate, offsetBy, pathWarnings, round7 } from "./path-geometry.js";
import { PathLayer } from "./path-layer.js";

const MAX_UNDO = 200;
const fill = (text, values) =>
  text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
// Numbers as the page's language writes them ("1,25 km" in Dutch).
const kilometres = new Intl.NumberFormat(document.documentElement.lang || undefined, {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const formatLength = (metres) => (metres < 1000 ? `${Math.round(metres)} m` : `${kilometres.format(metres / 1000)} km`);

export class PathEditor {
  constructor(section, words) {
    this.section = section;
    this.words = words;
    this.urls = section.dataset;
    this.el = (name) => section.querySelector(`[data-path="${name}"]`);
    this.path = [];
    this.accuracy = "schematic";
    this.undoStack = [];
    this.selected = null;
    this.previewing = false;
    this.followStreets = false;
    this.dirty = false;
    this.map = L.map(this.el("map"), { attributionControl: false, keyboard: true }).setView([0, 0], 2);
    this.layer = new PathLayer(this.map, words, {
      selected: (i) => this.select(i),
      moved: (i, position) => this.change(fill(words.moved, { n: i + 1 }), () => (this.path[i] = this.round(position))),
      inserted: (i, position) =>
        this.change(fill(words.inserted, { n: i + 1 }), () => this.path.splice(i, 0, this.round(position)), i),
      key: (i, event) => this.vertexKey(i, event),
    });
    this.map.on("click", (event) => this.clicked([event.latlng.lng, event.latlng.lat]));
    this.bindControls();
  }

  async load() {
    const data = await getJSON(this.urls.pathUrl);
    this.stops = data.stops;
    this.pace = data.pace_m_per_min;
    this.etag = data.etag;
    if (this.dirty) {
      // Discarding (or loading a colleague's path) can itself be undone: the drawing is kept a step back.
      this.undoStack.push({ path: this.path, accuracy: this.accuracy, what: this.words.discarded, selected: null });
    }
    this.path = data.path.map((p) => [p[0], p[1]]);
    this.accuracy = data.path_accuracy;
    this.selected = null;
    this.dirty = false;
    this.layer.showStops(this.stops);
    const split = this.el("split-stop");
    split.replaceChildren(
      ...this.stops.map((stop, index) => {
        const option = document.createElement("option");
        option.value = stop.slug;
        option.textContent = `${index + 1}. ${stop.slug}`;
        return option;
      }),
    );
    this.render();
    this.layer.fit(this.path, this.stops);
    this.say(this.path.length ? this.words.add_hint : this.words.empty);
  }

  // The streets under the path come from the tourist app's own basemap layer (the offline tiles the
  // site serves); a walk that is not public yet, or a site without a basemap, keeps a plain background.
  async addBasemap(publicWalkUrl) {
    try {
      const response = await fetch(publicWalkUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const { basemapLayer } = await import("/js/basemap.js");
      (await basemapLayer(await response.json())).addTo(this.map);
    } catch (error) {
      console.warn("no basemap under the path, plain background", error);
    }
  }

  bindControls() {
    const on = (name, handler) => this.el(name).addEventListener("click", handler);
    on("streets", () => {
      this.followStreets = !this.followStreets;
      this.el("streets").setAttribute("aria-pressed", String(this.followStreets));
    });
    on("add-centre", () => {
      const centre = this.map.getCenter();
      this.clicked([centre.lng, centre.lat]);
    });
    on("delete", () => this.deleteSelected());
    on("reverse", () => this.change(this.words.reversed, () => this.path.reverse(), null, true));
    on("split", () => this.splitAt(this.el("split-stop").value));
    on("undo", () => this.undo());
    on("preview", () => this.setPreview(!this.previewing));
    on("save", () => this.save());
    on("discard", () => this.load().then(() => this.say(this.words.discarded)));
    this.section.addEventListener("keydown", (event) => {
      const key = event.key.toLowerCase();
      if ((event.ctrlKey || event.metaKey) && !event.altKey && key === "z") {
        event.preventDefault();
        this.undo();
      } else if ((event.ctrlKey || event.metaKey) && !event.altKey && key === "s") {
        event.preventDefault();
        event.stopPropagation(); // here Ctrl+S saves the path, not the walk's texts form
        this.save();
      }
    });
    window.addEventListener("beforeunload", (event) => {
      if (this.dirty) event.preventDefault();
    });
  }

  round([lon, lat]) {
    return [round7(lon), round7(lat)];
  }

  // Apply an edit as one undoable step; a hand edit makes the path "schematic" unless `keepsAccuracy`.
  change(what, edit, select = this.selected, keepsAccuracy = false) {
    if (this.previewing) return;
    this.undoStack.push({ path: this.path.map((p) => [...p]), accuracy: this.accuracy, what, selected: this.selected });
    if (this.undoStack.length > MAX_UNDO) this.undoStack.shift();
    edit();
    if (!keepsAccuracy) this.accuracy = "schematic";
    this.selected = select !== null && select < this.path.length ? select : null;
    this.dirty = true;
    this.render();
    this.say(what);
  }

  undo() {
    const step = this.undoStack.pop();
    if (!step) {
      this.say(this.words.nothing_to_undo);
      return;
    }
    this.path = step.path;
    this.accuracy = step.accuracy;
    this.selected = step.selected !== null && step.selected < this.path.length ? step.selected : null;
    this.dirty = true;
    this.render();
    this.say(fill(this.words.undone, { what: step.what }));
  }

  async clicked(position) {
    if (this.previewing) return;
    const last = this.path[this.path.length - 1];
    if (!this.followStreets || !last) {
      const first = this.path.length === 0;
      this.change(fill(this.words.added, { n: this.path.length + 1 }), () => this.path.push(this.round(position)));
      if (first && this.followStreets) this.accuracy = "routed";
      this.render();
      return;
    }
    if (this.routing) return; // one leg at a time: the next starts where this one ends
    this.routing = true;
    this.say(this.words.routing);
    let answer;
    try {
      answer = await sendJSON(this.urls.routeUrl, "POST", { from: last, to: this.round(position) });
    } catch {
      this.say(this.words.network_error);
      return;
    } finally {
      this.routing = false;
    }
    if (answer.status !== 200) {
      this.problems(answer.data);
      return;
    }
    const leg = answer.data.path.slice(1);
    const wasRouted = this.accuracy === "routed" || this.path.length === 1;
    const from = this.path.length + 1;
    this.change(
      fill(this.words.leg_added, { from, to: from + leg.length - 1 }),
      () => this.path.push(...leg),
      null,
      answer.data.routed,
    );
    this.accuracy = answer.data.routed && wasRouted ? "routed" : "schematic";
    this.render();
    this.say(
      answer.data.routed
        ? fill(this.words.routed, { length: formatLength(lengthM(answer.data.path)), points: leg.length })
        : answer.data.message,
    );
  }

  select(index) {
    this.selected = index;
    this.render();
    this.layer.focusVertex(index);
    this.say(fill(this.words.selected, { n: index + 1, count: this.path.length }));
  }

  vertexKey(index, event) {
    const steps = { ArrowUp: [0, 1], ArrowDown: [0, -1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
    if (event.key in steps) {
      const metres = event.shiftKey ? 10 : 1;
      const [east, north] = steps[event.key];
      this.change(
        fill(this.words.moved, { n: index + 1 }),
        () => {
          this.path[index] = offsetBy(this.path[index], east * metres, north * metres);
        },
        index,
      );
      this.layer.focusVertex(index);
      return true;
    }
    if (event.key === "Delete" || event.key === "Backspace") {
      this.selected = index;
      this.deleteSelected();
      return true;
    }
    if (event.key === "[" || event.key === "]") {
      const next = index + (event.key === "]" ? 1 : -1);
      if (next >= 0 && next < this.path.length) this.select(next);
      return true;
    }
    return false;
  }

  deleteSelected() {
    if (this.selected === null) {
      this.say(this.words.select_first);
      return;
    }
    const index = this.selected;
    this.change(fill(this.words.deleted, { n: index + 1 }), () => this.path.splice(index, 1), Math.max(0, index - 1));
    if (this.path.length) this.layer.focusVertex(this.selected);
  }

  splitAt(slug) {
    const stop = this.stops.find((s) => s.slug === slug);
    const place = stop && locate(this.path, [stop.lon, stop.lat]);
    if (!place) return;
    const allowed = (stop.trigger_radius_m || 0) + NEAR_PATH_MARGIN_M;
    if (place.offset > allowed) {
      this.say(fill(this.words.split_far, { stop: slug, offset: Math.round(place.offset) }));
      return;
    }
    const near = [place.segment, place.segment + 1].find((i) => distanceM(this.path[i], place.position) < 1);
    if (near !== undefined) {
      this.select(near);
      this.say(fill(this.words.split, { stop: slug }));
      return;
    }
    const at = place.segment + 1;
    this.change(
      fill(this.words.split, { stop: slug }),
      () => this.path.splice(at, 0, this.round(place.position)),
      at,
      true,
    );
  }

  async setPreview(on) {
    this.previewing = on;
    this.section.classList.toggle("previewing", on);
    this.el("preview").setAttribute("aria-pressed", String(on));
    for (const name of ["add-centre", "delete", "reverse", "split", "undo", "streets"]) this.el(name).disabled = on;
    this.render();
    if (!on) {
      this.say(this.words.preview_off);
      return;
    }
    this.layer.fit(this.path, this.stops);
    this.say(this.words.preview_on);
    if (this.path.length < 2) return;
    const answer = await sendJSON(this.urls.checkUrl, "POST", { path: this.path });
    if (answer.status === 200) this.showWarnings(answer.data.warnings.map((w) => w.message));
    else this.problems(answer.data);
  }

  render() {
    this.layer.draw(this.path, this.selected, !this.previewing);
    const length = lengthM(this.path);
    this.el("summary").textContent = fill(this.words[this.path.length === 1 ? "summary_one" : "summary"], {
      length: formatLength(length),
      minutes: Math.ceil(Math.round(length) / this.pace),
      pace: this.pace,
      points: this.path.length,
    });
    this.el("accuracy").textContent = this.dirty
      ? this.words[this.accuracy === "routed" ? "accuracy_routed" : "accuracy_schematic"]
      : "";
    this.el("unsaved").hidden = !this.dirty;
    this.el("undo").disabled = this.previewing || this.undoStack.length === 0;
    if (!this.previewing) this.showWarnings(this.localWarnings());
  }

  localWarnings() {
    return pathWarnings(this.path, this.stops).map((w) => fill(this.words[w.kind], w));
  }

  showWarnings(messages) {
    const list = this.el("warnings");
    list.replaceChildren(
      ...(messages.length ? messages : [this.words.no_warnings]).map((text) => {
        const item = document.createElement("li");
        item.textContent = text;
        return item;
      }),
    );
    list.classList.toggle("has-warnings", messages.length > 0);
  }

  say(text) {
    this.el("status").textContent = text;
  }

  problems(data) {
    const lines = data.problems || [data.message || ""];
    this.say(`${this.words.refused} ${lines.join(" · ")}`);
  }

  async save(etag = this.etag) {
    if (this.previewing) this.setPreview(false);
    this.say(this.words.saving);
    let answer;
    try {
      answer = await sendJSON(this.urls.pathUrl, "PUT", { path: this.path, path_accuracy: this.accuracy }, etag);
    } catch {
      this.say(this.words.network_error);
      return;
    }
    this.el("conflict").hidden = true;
    if (answer.status === 200) {
      this.etag = answer.data.etag;
      this.dirty = false;
      this.render();
      const saved = fill(this.words.saved, { revision: answer.data.revision });
      this.say(answer.data.changed ? saved : this.words.unchanged);
    } else if (answer.status === 412) {
      this.conflict(answer.data);
    } else {
      this.problems(answer.data);
    }
  }

  conflict(data) {
    const box = this.el("conflict");
    box.hidden = false;
    box.querySelector("p").textContent = fill(this.words.conflict, {
      who: data.saved_by || "?",
      when: data.saved_at ? new Date(data.saved_at).toLocaleString() : "?",
    });
    const [theirs, mine] = box.querySelectorAll("button");
    theirs.onclick = () => {
      box.hidden = true;
      this.el("map").focus(); // the button goes away: keep the keyboard (and Ctrl+Z) in the path editor
      this.load().then(() => this.say(this.words.theirs_loaded));
    };
    mine.onclick = () => this.save(data.current_etag); // an explicit choice, seen and made
    this.say(box.querySelector("p").textContent);
  }
}
