// The walk screen: map or list, the walking panel (progress, next stop) and the download panel.
import { DownloadPanel } from "./download-panel.js";
import { compassPoint } from "./geo.js";
import { formatDistance, formatNumber, pickText, t } from "./i18n.js";
import { WalkMap } from "./map-view.js";
import { stopLink } from "./router.js";
import { renderStopList } from "./stop-list.js";
import { progressEvents } from "./walk-progress.js";

// The stops as the screen shows them: a tour keeps only its stops, numbered in its order.
export function stopsToShow(stopFeatures, tour) {
  const bySlug = new Map(stopFeatures.map((feature) => [feature.id, feature]));
  const chosen = tour ? tour.map((slug) => bySlug.get(slug)).filter(Boolean) : stopFeatures;
  return chosen.map((feature, index) => {
    const name = pickText(feature.properties.name)[0];
    return {
      slug: feature.id, order: index + 1, name, label: `${index + 1}. ${name}`,
      coordinates: feature.geometry.coordinates, trigger_radius_m: feature.properties.trigger_radius_m,
    };
  });
}

export class WalkView {
  constructor(root, session) {
    this.root = root;
    this.session = session;
    this.map = null;
    this.download = new DownloadPanel(root.querySelector("#download"));
    this.list = root.querySelector("#stop-list");
    this.mapPanel = root.querySelector("#map-panel");
    this.startButton = root.querySelector("#start-walking");
    this.problem = root.querySelector("#walking-problem");
    root.querySelector("#show-map").addEventListener("click", () => this.switchTo("map"));
    root.querySelector("#show-list").addEventListener("click", () => this.switchTo("list"));
    root.querySelector("#fit-walk").addEventListener("click", () => this.map?.fitWalk());
    root.querySelector("#follow-me").addEventListener("click", () => this.toggleFollow());
    this.startButton.addEventListener("click", () => this.toggleWalking());
    root.querySelector("#i-am-here").addEventListener("click", () => {
      const next = session.nextStop();
      if (next) this.onHere?.(next.slug);
    });
    const panel = root.querySelector("#walking");
    session.addEventListener("fix", (event) => {
      panel.dataset.fixes = String(Number(panel.dataset.fixes || 0) + 1); // lets tests wait for a fix
      this.map?.showPosition(event.detail);
      this.refreshWalking();
    });
    session.addEventListener("statechange", () => this.refreshWalking());
    progressEvents.addEventListener("change", () => this.refreshWalking());
    session.addEventListener("problem", (event) => {
      this.problem.hidden = false;
      this.problem.textContent = t(event.detail === 1 ? "walking.denied" : "walking.no_position");
    });
  }

  // Show a walk (data = {walk, stops}); `tour` is a list of stop slugs or null; `details` the guide's
  // plan from the tour link (title, start and end names, date, start time).
  async show(data, tour, details = {}) {
    this.data = data;
    this.tour = tour;
    this.stops = stopsToShow(data.stops, tour);
    this.session.use(data.walk.slug, this.stops);
    const title = pickText(data.walk.title)[0];
    this.root.querySelector("#walk-title").textContent = tour ? t("tour.title", { title: details.title || title }) : title;
    const note = this.root.querySelector("#tour-note");
    const missing = tour ? tour.length - this.stops.length : 0;
    note.hidden = !tour;
    note.textContent = tour ? t("tour.note", { count: formatNumber(this.stops.length) }) + (missing ? ` ${t("tour.missing", { count: formatNumber(missing) })}` : "") : "";
    const plan = [];
    if (tour && (details.date || details.time)) plan.push(t("tour.start_time", { time: [details.date, details.time].filter(Boolean).join(" ") }));
    if (tour && details.start_label) plan.push(t("tour.start_place", { place: details.start_label }));
    if (tour && details.end_label) plan.push(t("tour.end_place", { place: details.end_label }));
    if (plan.length) note.textContent += ` ${plan.join(" ")}`;
    this.refreshWalking(); // the text first: it does not wait for the map library
    this.mapReady ??= WalkMap.create(this.root.querySelector("#map")).then((map) => {
      map.addEventListener("stopselected", (event) => (window.location.hash = stopLink(event.detail, this.data.walk.slug)));
      map.addEventListener("followchange", (event) => this.root.querySelector("#follow-me").setAttribute("aria-pressed", String(event.detail)));
      return (this.map = map);
    });
    await this.mapReady;
    this.map.refreshSize();
    await this.map.show(data.walk, this.stops);
    this.refreshWalking();
    this.download.show(data.walk.slug);
  }

  switchTo(view) {
    const showList = view === "list";
    this.list.hidden = !showList;
    this.mapPanel.hidden = showList;
    this.root.querySelector("#show-map").setAttribute("aria-pressed", String(!showList));
    this.root.querySelector("#show-list").setAttribute("aria-pressed", String(showList));
    if (!showList) this.map?.refreshSize();
  }

  toggleFollow() {
    this.map?.setFollowing(!this.map.following);
  }

  toggleWalking() {
    this.problem.hidden = true;
    if (this.session.walking) this.session.stop();
    else if (!this.session.start()) {
      this.problem.hidden = false;
      this.problem.textContent = t("walking.no_position");
    }
  }

  // Progress, next stop with distance and direction, marker and list states.
  refreshWalking() {
    if (!this.stops) return;
    const visited = this.session.visited();
    const next = this.session.nextStop();
    const count = this.stops.filter((stop) => visited.has(stop.slug)).length;
    this.root.querySelector("#progress").textContent = t("walking.progress", { visited: formatNumber(count), total: formatNumber(this.stops.length) });
    const way = this.session.wayTo(next);
    const nextText = !next
      ? t("walking.done")
      : way
        ? t("walking.next_way", { name: next.name, distance: formatDistance(way.distance), direction: t(`compass.${compassPoint(way.bearing).point}`), arrow: compassPoint(way.bearing).arrow })
        : t("walking.next", { name: next.name });
    this.root.querySelector("#next-stop").textContent = nextText;
    this.startButton.setAttribute("aria-pressed", String(this.session.walking));
    this.startButton.textContent = t(this.session.walking ? "walking.stop" : "walking.start");
    this.root.querySelector("#i-am-here").disabled = !next;
    this.map?.setStopStates(visited, next?.slug);
    renderStopList(this.list, this.stops, {
      visited, nextSlug: next?.slug, walkSlug: this.data.walk.slug,
      distanceTo: (stop) => this.session.wayTo(stop)?.distance ?? null,
    });
  }
}
