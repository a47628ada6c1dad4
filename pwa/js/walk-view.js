// The walk screen: map or list, the walking panel (progress, next stop) and the download panel.
import { Compass } from "./compass.js";
import { DownloadPanel } from "./download-panel.js";
import { bearingDeg, compassPoint, distanceM } from "./geo.js";
import { el } from "./element.js";
import { formatDistance, formatNumber, language, pickText, t } from "./i18n.js";
import { WalkMap } from "./map-view.js";
import { stopLink, walkLink } from "./router.js";
import { WalkingSession } from "./walking-session.js";
import { StopList } from "./stop-list.js";
import { MAX_ACCURACY_M } from "./proximity-tracker.js";
import { progressEvents, resetProgress } from "./walk-progress.js";

const OFF_ROUTE_M = 40; // farther than this from the path (with a good fix): say so, and the way back

// The stops as the screen shows them: a tour keeps only its stops, numbered in its order.
export function stopsToShow(stopFeatures, tour) {
  const bySlug = new Map(stopFeatures.map((feature) => [feature.id, feature]));
  const chosen = tour ? tour.map((slug) => bySlug.get(slug)).filter(Boolean) : stopFeatures;
  return chosen.map((feature, index) => {
    const name = pickText(feature.properties.name)[0];
    return {
      slug: feature.id,
      order: index + 1,
      name,
      label: `${index + 1}. ${name}`,
      coordinates: feature.geometry.coordinates,
      trigger_radius_m: feature.properties.trigger_radius_m,
    };
  });
}

// Events: "here" (stop slug): the walker says they are at a stop.
export class WalkView extends EventTarget {
  constructor(root, session) {
    super();
    this.root = root;
    this.session = session;
    this.map = null;
    this.download = new DownloadPanel(root.querySelector("#download"));
    this.list = root.querySelector("#stop-list");
    this.stopList = new StopList(this.list);
    this.mapPanel = root.querySelector("#map-panel");
    this.startButton = root.querySelector("#start-walking");
    this.problem = root.querySelector("#walking-problem");
    this.compass = new Compass();
    this.compass.addEventListener("heading", () => this.refreshArrow());
    root.querySelector("#use-compass").addEventListener("click", async () => {
      root.querySelector("#use-compass").hidden = await this.compass.start();
      this.refreshArrow();
    });
    root.querySelector("#show-map").addEventListener("click", () => this.switchTo("map"));
    root.querySelector("#show-list").addEventListener("click", () => this.switchTo("list"));
    root.querySelector("#fit-walk").addEventListener("click", () => this.map?.fitWalk());
    root.querySelector("#follow-me").addEventListener("click", () => this.toggleFollow());
    this.startButton.addEventListener("click", () => this.toggleWalking());
    root.querySelector("#begin-walk").addEventListener("click", () => this.begin());
    root.querySelector("#restart-walk").addEventListener("click", () => this.restart());
    root.querySelector("#start-over").addEventListener("click", () => this.restart());
    root.querySelector("#to-start").addEventListener("click", () => this.wayToStart());
    root.querySelector("#i-am-here").addEventListener("click", () => {
      const next = session.nextStop();
      if (next) this.dispatchEvent(new CustomEvent("here", { detail: next.slug }));
    });
    const panel = root.querySelector("#walking");
    session.addEventListener("fix", (event) => {
      panel.dataset.fixes = String(Number(panel.dataset.fixes || 0) + 1); // lets tests wait for a fix
      this.problem.hidden = true; // fixes are back: the position is available again
      this.map?.showPosition(event.detail);
      this.refreshWalking();
    });
    session.addEventListener("statechange", () => this.refreshWalking());
    progressEvents.addEventListener("change", () => this.refreshWalking());
    session.addEventListener("problem", (event) => {
      this.problem.hidden = false;
      this.problem.textContent = t(event.detail === 1 ? "walking.denied" : "walking.no_position");
      // denied: nothing will come, so nothing keeps running (but a page being closed is not a walker's choice)
      if (event.detail === 1 && document.visibilityState === "visible") session.stop();
    });
  }

  // Show a walk (data = {walk, stops}); `tour` is a list of stop slugs or null; `details` the guide's
  // plan from the tour link (title, start and end names, date, start time).
  async show(data, tour, details = {}) {
    // the basemap's worker starts first: it loads its library and style while the texts below are set
    WalkMap.prepare(data.walk, this.map);
    this.data = data;
    this.tour = tour;
    this.stops = stopsToShow(data.stops, tour);
    this.session.use(data.walk.slug, this.stops, data.walk.path.coordinates);
    const title = pickText(data.walk.title)[0];
    this.root.querySelector("#walk-title").textContent = tour
      ? t("tour.title", { title: details.title || title })
      : title;
    const note = this.root.querySelector("#tour-note");
    const missing = tour ? tour.length - this.stops.length : 0;
    note.hidden = !tour;
    note.textContent = tour
      ? t("tour.note", { count: this.stops.length }) + (missing ? ` ${t("tour.missing", { count: missing })}` : "")
      : "";
    const plan = [];
    if (tour && (details.date || details.time))
      plan.push(t("tour.start_time", { time: [details.date, details.time].filter(Boolean).join(" ") }));
    if (tour && details.start_label) plan.push(t("tour.start_place", { place: details.start_label }));
    if (tour && details.end_label) plan.push(t("tour.end_place", { place: details.end_label }));
    if (plan.length) note.textContent += ` ${plan.join(" ")}`;
    const routeNote = this.root.querySelector("#route-note");
    routeNote.hidden = data.walk.path_accuracy !== "schematic";
    routeNote.textContent = routeNote.hidden ? "" : t("walk.approximate_route");
    // The texts' licence beside the map data's: both travel with the walk (CC BY 4.0, ODbL).
    this.root.querySelector("#walk-licence").textContent = data.walk.attribution
      ? t("walk.licence", { attribution: data.walk.attribution })
      : "";
    // the app was closed mid-walk: walking goes on where it was
    if (!this.session.walking && WalkingSession.interrupted()?.walk === data.walk.slug && this.session.nextStop())
      this.toggleWalking();
    this.showIntro(data.walk);
    this.refreshWalking(); // the text first: it does not wait for the map library
    this.mapReady ??= WalkMap.create(this.root.querySelector("#map")).then((map) => {
      map.addEventListener(
        "stopselected",
        (event) => (window.location.hash = stopLink(event.detail, this.data.walk.slug)),
      );
      map.addEventListener("followchange", (event) =>
        this.root.querySelector("#follow-me").setAttribute("aria-pressed", String(event.detail)),
      );
      return (this.map = map);
    });
    await this.mapReady;
    this.map.refreshSize();
    await this.map.show(data.walk, this.stops);
    this.refreshWalking();
    const twin = data.stops
      .map((feature) => feature.properties.twin)
      .find((item) => item && item.walk !== data.walk.slug);
    this.download.show(data.walk.slug, twin ? { walk: twin.walk, city: twin.city } : null);
  }

  // The walk's start screen: its story, length, walking time, stops, practical notes and "start".
  showIntro(walk) {
    const [intro, lang] = pickText(walk.intro);
    const text = this.root.querySelector("#walk-intro-text");
    text.lang = lang !== language() ? lang : "";
    text.replaceChildren(
      ...intro
        .split(/\n\s*\n/)
        .filter(Boolean)
        .map((paragraph) => el("p", { text: paragraph })),
    );
    this.root.querySelector("#walk-facts").textContent = t("intro.facts", {
      length: formatDistance(walk.length_m),
      walking: walk.walking_minutes,
      count: this.stops.length,
      minutes: walk.duration_minutes,
    });
    const started = this.session.walking || this.stops.some((stop) => this.session.visited().has(stop.slug));
    if (this.introWalk !== walk.slug) this.root.querySelector("#walk-intro-details").open = !started;
    this.introWalk = walk.slug;
    const first = this.stops[0];
    const geo = this.root.querySelector("#start-geo");
    geo.hidden = !first;
    if (first) {
      const [lon, lat] = first.coordinates;
      geo.href = `geo:${lat},${lon}?q=${lat},${lon}(${encodeURIComponent(first.name)})`;
    }
    this.root.querySelector("#to-start-text").textContent = "";
    this.root.querySelector("#begin-walk").hidden = started;
  }

  // One position, asked for on a tap: how far the first stop is, and which way.
  wayToStart() {
    const out = this.root.querySelector("#to-start-text");
    const first = this.stops?.[0];
    if (!first || !("geolocation" in navigator)) return;
    out.textContent = t("app.loading");
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const here = [position.coords.longitude, position.coords.latitude];
        const { point, arrow } = compassPoint(bearingDeg(here, first.coordinates));
        out.textContent = t("intro.to_start_way", {
          name: first.name,
          distance: formatDistance(distanceM(here, first.coordinates)),
          direction: t(`compass.${point}`),
          arrow,
        });
      },
      () => (out.textContent = t("walking.no_position")),
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  }

  begin() {
    this.root.querySelector("#walk-intro-details").open = false;
    this.root.querySelector("#begin-walk").hidden = true;
    if (!this.session.walking) this.toggleWalking();
    this.root.querySelector("#walking").scrollIntoView({ block: "start" });
  }

  // The arrow to the next stop: turned by where the phone points when the compass is on, else north-up.
  refreshArrow() {
    const box = this.root.querySelector("#next-way");
    box.hidden = !this.way;
    if (!this.way) return;
    const heading = this.compass.heading;
    const relative = (((this.way.bearing - (heading ?? 0)) % 360) + 360) % 360;
    const arrow = this.root.querySelector("#next-arrow");
    arrow.style.transform = `rotate(${Math.round(relative)}deg)`;
    arrow.dataset.relative = String(Math.round(relative) % 360);
    this.root.querySelector("#next-arrow-note").textContent = t(
      heading === null ? "compass.north_up" : "compass.facing",
    );
  }

  // Off the path: how far, and which way back to it. And what is left of the whole walk.
  refreshRoute(way, visited) {
    const offRoute = this.root.querySelector("#off-route");
    const off = Boolean(way && this.session.walking && way.offset > OFF_ROUTE_M && way.accuracy <= MAX_ACCURACY_M);
    offRoute.hidden = !off;
    offRoute.textContent = off
      ? t("walking.off_route", {
          distance: formatDistance(way.offset),
          direction: t(`compass.${compassPoint(way.backBearing).point}`),
          arrow: compassPoint(way.backBearing).arrow,
        })
      : "";
    const left = this.session.leftOnPath();
    const walk = this.data.walk;
    const remaining = this.stops.filter((stop) => !visited.has(stop.slug)).length;
    const speed = walk.length_m / Math.max(1, walk.walking_minutes); // metres a minute, as the server counts
    const visitMinutes = (walk.duration_minutes - walk.walking_minutes) / Math.max(1, walk.stop_count);
    this.root.querySelector("#walk-left").textContent =
      left === null || !remaining
        ? ""
        : t("walking.left", {
            distance: formatDistance(left),
            minutes: Math.ceil(left / speed + remaining * visitMinutes),
          });
  }

  // Forget which stops were visited, and begin again from the first.
  restart() {
    resetProgress(this.data.walk.slug);
    this.map?.fitWalk();
    this.root.querySelector("#walk-intro-details").open = true;
    this.root.querySelector("#begin-walk").hidden = false;
    this.root.querySelector("#walk-intro").scrollIntoView({ block: "start" });
  }

  switchTo(view) {
    const showList = view === "list";
    this.list.hidden = !showList;
    this.mapPanel.hidden = showList;
    this.root.querySelector("#show-map").setAttribute("aria-pressed", String(!showList));
    this.root.querySelector("#show-list").setAttribute("aria-pressed", String(showList));
    if (!showList) this.map?.refreshSize();
    else this.stopList.draw(); // a long list draws the rows on screen, which it cannot know while hidden
  }

  toggleFollow() {
    this.map?.setFollowing(!this.map.following);
  }

  toggleWalking() {
    this.problem.hidden = true;
    if (this.session.walking) this.session.stop();
    else if (!this.session.start(walkLink(this.data.walk.slug, this.tour))) {
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
    this.root.querySelector("#progress").textContent = t("walking.progress", {
      visited: formatNumber(count),
      total: formatNumber(this.stops.length),
    });
    const way = this.session.wayTo(next);
    const nextText = !next
      ? t("walking.done")
      : way
        ? t("walking.next_way", {
            name: next.name,
            distance: formatDistance(way.distance),
            direction: t(`compass.${compassPoint(way.bearing).point}`),
          })
        : t("walking.next", { name: next.name });
    this.root.querySelector("#next-stop").textContent = nextText;
    this.way = way;
    this.refreshArrow();
    this.refreshRoute(way, visited);
    const complete = !next && this.stops.length > 0;
    this.root.querySelector("#walk-complete").hidden = !complete;
    this.root.querySelector("#walk-complete-text").textContent = complete
      ? t("complete.text", { count: this.stops.length, length: formatDistance(this.data.walk.length_m) })
      : "";
    this.startButton.hidden = complete;
    this.root.querySelector("#start-over").hidden = complete || count === 0;
    this.startButton.setAttribute("aria-pressed", String(this.session.walking));
    this.startButton.textContent = t(this.session.walking ? "walking.stop" : "walking.start");
    this.root.querySelector("#i-am-here").disabled = !next;
    this.map?.setStopStates(visited, next?.slug);
    this.stopList.render(this.stops, {
      visited,
      nextSlug: next?.slug,
      walkSlug: this.data.walk.slug,
      distanceTo: (stop) => this.session.wayTo(stop)?.distance ?? null,
    });
  }
}
