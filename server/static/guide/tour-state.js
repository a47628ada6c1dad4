// The planner's state is the query string: a planner URL can be bookmarked, reloaded and shared.

const FIELDS = [
  "walk",
  "stops",
  "lang",
  "start",
  "start_label",
  "end",
  "end_label",
  "loop",
  "pace",
  "stay",
  "stays",
  "waypoints",
  "date",
  "time",
  "title",
  "saved",
];

export class TourState extends EventTarget {
  constructor(search) {
    super();
    const given = new URLSearchParams(search);
    this.params = new URLSearchParams();
    for (const name of FIELDS) {
      if (given.get(name)) this.params.set(name, given.get(name));
    }
  }

  get(name) {
    return this.params.get(name) || "";
  }

  set(name, value) {
    const text = value == null ? "" : String(value).trim();
    if (text === this.get(name)) return;
    if (text) this.params.set(name, text);
    else this.params.delete(name);
    this.dispatchEvent(new Event("change"));
  }

  get stops() {
    return this.get("stops").split(",").filter(Boolean);
  }

  set stops(slugs) {
    this.set("stops", slugs.join(","));
  }

  toggle(slug) {
    const stops = this.stops;
    this.stops = stops.includes(slug) ? stops.filter((s) => s !== slug) : [...stops, slug];
  }

  // Minutes at one stop ("stays=slug:15,slug:5"); the walk's default minutes need no entry.
  setStay(slug, minutes, fallback) {
    const stays = new Map(
      this.get("stays")
        .split(",")
        .filter(Boolean)
        .map((item) => item.split(":")),
    );
    const value = String(minutes).trim();
    if (value === "" || Number(value) === Number(fallback)) stays.delete(slug);
    else stays.set(slug, value);
    this.set("stays", [...stays].map(([s, m]) => `${s}:${m}`).join(","));
  }

  move(slug, step) {
    const stops = this.stops;
    const from = stops.indexOf(slug);
    const to = from + step;
    if (from < 0 || to < 0 || to >= stops.length) return false;
    [stops[from], stops[to]] = [stops[to], stops[from]];
    this.stops = stops;
    return true;
  }

  // The parameters that describe the tour itself (what a saved tour stores).
  tourParameters() {
    const params = Object.fromEntries(this.params);
    delete params.saved;
    return params;
  }

  query() {
    return this.params.toString();
  }
}
