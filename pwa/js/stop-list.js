// The list of stops: the text alternative to the map (order, name, distance from me, visited).
// A long walk's list is virtualised: only the rows near the screen are in the page (a 1,000-stop walk
// would otherwise rebuild 1,000 rows on every position fix). Each row still says "n of N" to screen
// readers (aria-posinset/setsize), the rows around the focused one are always there so Tab and
// Shift+Tab walk the whole list, and spacers keep the list's height, so the page's scroll position holds.
import { el } from "./element.js";
import { formatDistance, formatNumber, t } from "./i18n.js";
import { stopLink } from "./router.js";

export const VIRTUAL_FROM = 100; // stops: below this every row is in the page, as it always was
const OVERSCAN = 10; // rows drawn beyond each edge of the screen, and around the focused row

export class StopList {
  constructor(list) {
    this.list = list;
    this.stops = [];
    this.options = null;
    this.rows = new Map(); // slug -> {signature, element}: rows kept while they are unchanged
    this.pitch = 0; // px from one row's top to the next one's, measured once rows exist
    this.focused = -1; // index of the row holding focus (kept in the page whatever the scroll)
    this.scheduled = false;
    this.virtual = false;
    const later = () => this.scheduleDraw();
    window.addEventListener("scroll", later, { passive: true });
    window.addEventListener("resize", later, { passive: true });
    list.addEventListener("focusin", (event) => {
      const row = event.target.closest("[data-index]");
      this.focused = row ? Number(row.dataset.index) : -1;
      if (this.virtual) this.draw();
    });
    list.addEventListener("focusout", (event) => {
      if (!list.contains(event.relatedTarget)) this.focused = -1;
    });
  }

  // stops: [{slug, order, name}], visited: Set, distanceTo(stop) -> metres | null
  render(stops, options) {
    if (stops !== this.stops) this.rows.clear();
    this.stops = stops;
    this.options = options;
    this.virtual = stops.length >= VIRTUAL_FROM;
    this.list.classList.toggle("stop-list--virtual", this.virtual);
    this.list.dataset.total = String(stops.length); // read by tests and bench/pwa_long_walk.py
    this.draw();
  }

  scheduleDraw() {
    if (!this.virtual || this.scheduled || this.list.hidden) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.draw();
    });
  }

  // The rows that are on screen, OVERSCAN more each side, and those around the focused row.
  visibleRange() {
    const count = this.stops.length;
    if (!this.virtual) return [0, count];
    if (!this.pitch || this.list.hidden) return [0, Math.min(count, 2 * OVERSCAN)];
    const top = this.list.getBoundingClientRect().top;
    let first = Math.floor(-top / this.pitch) - OVERSCAN;
    let last = Math.ceil((window.innerHeight - top) / this.pitch) + OVERSCAN;
    if (this.focused >= 0) {
      first = Math.min(first, this.focused - OVERSCAN);
      last = Math.max(last, this.focused + OVERSCAN + 1);
      // far from the screen (the list scrolled away from the focused row): both runs would be long
      if (last - first > 6 * OVERSCAN + window.innerHeight / this.pitch) {
        first = this.focused - OVERSCAN;
        last = this.focused + OVERSCAN + 1;
      }
    }
    return [Math.max(0, first), Math.min(count, Math.max(0, last))];
  }

  draw() {
    const [first, last] = this.visibleRange();
    const rows = [];
    for (let index = first; index < last; index += 1) rows.push(this.row(index));
    this.place(rows);
    if (this.virtual && !this.pitch && rows.length > 1 && !this.list.hidden) {
      this.pitch = rows[1].getBoundingClientRect().top - rows[0].getBoundingClientRect().top;
      if (this.pitch > 0) return this.draw(); // now the screen's rows can be told apart
    }
    // spacers for the rows not drawn: the list keeps its full height
    this.list.style.paddingTop = this.virtual ? `${first * this.pitch}px` : "";
    this.list.style.paddingBottom = this.virtual ? `${(this.stops.length - last) * this.pitch}px` : "";
  }

  // Put `rows` in the list without moving the ones already there: a moved element loses focus.
  place(rows) {
    const wanted = new Set(rows);
    for (const child of [...this.list.children]) if (!wanted.has(child)) child.remove();
    let cursor = this.list.firstElementChild;
    for (const row of rows) {
      if (row === cursor) cursor = cursor.nextElementSibling;
      else this.list.insertBefore(row, cursor);
    }
  }

  row(index) {
    const stop = this.stops[index];
    const { visited, nextSlug, distanceTo, walkSlug } = this.options;
    const distance = distanceTo(stop);
    const isVisited = visited.has(stop.slug);
    const isNext = stop.slug === nextSlug;
    const signature = `${distance === null ? "" : formatDistance(distance)}|${isVisited}|${isNext}|${stop.name}`;
    const kept = this.rows.get(stop.slug);
    if (kept?.signature === signature) return kept.element;
    const element = el(
      "li",
      {
        class: `stop-list__item${isVisited ? " is-visited" : ""}${isNext ? " is-next" : ""}`,
        "data-stop": stop.slug,
        "data-index": String(index),
        "aria-posinset": String(index + 1),
        "aria-setsize": String(this.stops.length),
      },
      el(
        "a",
        { href: stopLink(stop.slug, walkSlug), class: "stop-list__link" },
        el("span", { class: "stop-list__order", "aria-hidden": "true", text: formatNumber(stop.order) }),
        el(
          "span",
          { class: "stop-list__text" },
          el("span", { class: "stop-list__name", text: stop.name }),
          el("span", { class: "visually-hidden", text: ` (${t("list.number", { n: formatNumber(stop.order) })})` }),
          el(
            "span",
            { class: "stop-list__meta" },
            distance === null
              ? null
              : el("span", {
                  class: "stop-list__distance",
                  text: t("list.distance", { distance: formatDistance(distance) }),
                }),
            isVisited ? el("span", { class: "stop-list__visited", text: `✓ ${t("stop.visited")}` }) : null,
            isNext && !isVisited ? el("span", { class: "stop-list__next", text: t("list.next") }) : null,
          ),
        ),
      ),
    );
    // The focused row changed (a new distance): its link keeps focus, only what it says changes.
    if (kept && kept.element.contains(document.activeElement)) {
      kept.element.className = element.className;
      kept.element.querySelector("a").replaceChildren(...element.querySelector("a").childNodes);
      this.rows.set(stop.slug, { signature, element: kept.element });
      return kept.element;
    }
    this.rows.set(stop.slug, { signature, element });
    return element;
  }
}
