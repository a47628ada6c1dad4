// The walk on a Leaflet map: path, numbered stops, the walker's position and accuracy.
// The basemap is pluggable: basemap-layer.js returns a layer (or null for the plain background).
import { createBasemapLayer, prepareBasemapLayer } from "./basemap-layer.js";
import { el } from "./element.js";
import { languageEvents, t } from "./i18n.js";
import L, { loadLeaflet } from "./leaflet.js";
import { CLUSTER_FROM, CLUSTER_UNTIL_ZOOM, groupByCell } from "./marker-clusters.js";

const PATH_STYLE = { color: "#a3261b", weight: 5, opacity: 0.95, lineJoin: "round", interactive: false };
const PATH_CASING = { color: "#ffffff", weight: 9, opacity: 0.9, lineJoin: "round", interactive: false };
const MARKER_SIZE = 36;
const FOLLOW_ZOOM = 17; // "Follow me" shows the streets around the walker // CSS px: well above the 24 px minimum target

export class WalkMap extends EventTarget {
  // Start what the walk's basemap needs (its worker) while Leaflet loads; show() then uses it.
  static prepare(walk, map) {
    if (map?.walkSlug === walk.slug) return; // its basemap is on the map already
    try {
      prepareBasemapLayer(walk);
    } catch (error) {
      console.warn("basemap not prepared", error); // basemapLayer starts it when the map asks
    }
  }

  static async create(container) {
    await loadLeaflet();
    return new WalkMap(container);
  }

  constructor(container) {
    super();
    this.map = L.map(container, { zoomControl: true, attributionControl: true, zoomSnap: 0.25 });
    this.map.attributionControl.setPrefix(false);
    container.dataset.scheme = window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
    this.walkLayer = L.layerGroup().addTo(this.map);
    this.positionLayer = L.layerGroup().addTo(this.map);
    this.markers = new Map(); // slug -> the marker of a stop drawn on its own (all of them below CLUSTER_FROM)
    this.stops = [];
    this.clustered = false;
    this.stopStates = { visited: new Set(), nextSlug: null };
    this.following = false;
    this.basemap = null;
    this.walkSlug = null;
    this.map.on("dragstart", () => this.setFollowing(false));
    this.map.on("zoomend", () => (this.clustered ? this.drawClusters() : this.spreadOverlappingMarkers()));
    this.map.on("moveend", () => this.clustered && this.drawClusters());
    this.map.on("moveend", () => {
      const centre = this.map.getCenter();
      container.dataset.view = `${centre.lat.toFixed(6)},${centre.lng.toFixed(6)},${this.map.getZoom()}`; // read by tests
    });
    languageEvents.addEventListener("change", () => this.translateControls());
    this.translateControls();
  }

  // Leaflet's own buttons speak the walker's language too.
  translateControls() {
    for (const [selector, key] of [
      [".leaflet-control-zoom-in", "map.zoom_in"],
      [".leaflet-control-zoom-out", "map.zoom_out"],
    ]) {
      const button = this.map.getContainer().querySelector(selector);
      button?.setAttribute("title", t(key));
      button?.setAttribute("aria-label", t(key));
    }
  }

  // Draw a walk: `stops` are {slug, order, name, coordinates} in walking order.
  async show(walk, stops) {
    this.walkLayer.clearLayers();
    this.markers.clear();
    this.stops = stops;
    this.clustered = stops.length >= CLUSTER_FROM;
    const line = walk.path.coordinates.map(([lon, lat]) => [lat, lon]);
    this.stopBounds = L.latLngBounds([...line, ...stops.map((s) => [s.coordinates[1], s.coordinates[0]])]);
    // the whole walk only when a new walk (or tour) is shown: back from a stop, the map stays where it was
    const shown = `${walk.slug}|${stops.map((stop) => stop.slug).join(",")}`;
    if (this.shown !== shown) this.fitWalk(); // first: Leaflet draws markers only on a map that has a view
    this.shown = shown;
    L.polyline(line, PATH_CASING).addTo(this.walkLayer);
    this.path = L.polyline(line, PATH_STYLE).addTo(this.walkLayer);
    this.stopLayer = L.layerGroup().addTo(this.walkLayer);
    if (this.clustered) this.drawClusters();
    else {
      for (const stop of stops) this.addStopMarker(stop);
      this.spreadOverlappingMarkers();
    }
    // The path and stops are drawn now; the basemap is added under them when its worker is ready.
    if (this.walkSlug !== walk.slug) {
      this.walkSlug = walk.slug;
      this.basemapReady = this.useBasemap(walk);
    }
    this.map.getContainer().dataset.drawn = "true";
    performance.mark("kotoji:map-drawn"); // read by bench/pwa_figures.py (offline reload to drawn map)
    this.dispatchEvent(new Event("drawn"));
  }

  async useBasemap(walk) {
    if (this.basemap) this.map.removeLayer(this.basemap);
    this.basemap = null;
    const asked = (this.basemapAsked = (this.basemapAsked || 0) + 1);
    let layer = null;
    try {
      layer = await createBasemapLayer(walk);
    } catch (error) {
      console.warn("basemap unavailable, using the plain background", error);
    }
    if (asked !== this.basemapAsked) return layer?.dispose?.(); // another walk was shown meanwhile
    this.basemap = layer;
    if (this.basemap) this.basemap.addTo(this.map);
  }

  addStopMarker(stop) {
    const badge = el("span", { class: "stop-marker__number", text: String(stop.order) });
    const icon = L.divIcon({ html: badge, className: "stop-marker", iconSize: [MARKER_SIZE, MARKER_SIZE] });
    const marker = L.marker([stop.coordinates[1], stop.coordinates[0]], { icon, keyboard: true, title: stop.label });
    marker.on("click", () => this.dispatchEvent(new CustomEvent("stopselected", { detail: stop.slug })));
    marker.addTo(this.stopLayer);
    const element = marker.getElement();
    element.setAttribute("aria-label", stop.label);
    element.dataset.stop = stop.slug;
    element.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        this.dispatchEvent(new CustomEvent("stopselected", { detail: stop.slug }));
      }
    });
    this.markers.set(stop.slug, marker);
    element.classList.toggle("is-visited", this.stopStates.visited.has(stop.slug));
    element.classList.toggle("is-next", stop.slug === this.stopStates.nextSlug);
  }

  // A long walk: the stops near the screen, grouped by where they fall on it. A group of one is the
  // stop's own marker; a bigger group is one marker with the count, which zooms in to its stops.
  drawClusters() {
    if (!this.stopLayer) return;
    const view = this.map.getBounds().pad(0.25); // a margin, so panning a little shows no gaps
    const points = [];
    for (const stop of this.stops) {
      const where = L.latLng(stop.coordinates[1], stop.coordinates[0]);
      if (!view.contains(where)) continue;
      const { x, y } = this.map.latLngToLayerPoint(where);
      points.push({ x, y, stop, where });
    }
    // at street level, stops still together are drawn one by one and nudged apart
    const groups =
      this.map.getZoom() >= this.deepestZoom() ? points.map((p) => ({ members: [p] })) : groupByCell(points);
    // Drawn afresh each time: Leaflet makes a new element for a marker added again, without our labels.
    this.stopLayer.clearLayers();
    this.markers.clear();
    let clusters = 0;
    for (const group of groups) {
      if (group.members.length === 1) this.addStopMarker(group.members[0].stop);
      else {
        clusters += 1;
        this.addCluster(group);
      }
    }
    this.setStopStates(this.stopStates.visited, this.stopStates.nextSlug);
    this.spreadOverlappingMarkers();
    const container = this.map.getContainer();
    container.dataset.clusters = String(clusters); // read by tests and bench/pwa_long_walk.py
  }

  // Without a basemap Leaflet knows no deepest zoom: street level is where grouping stops.
  deepestZoom() {
    return Math.min(this.map.getMaxZoom(), CLUSTER_UNTIL_ZOOM);
  }

  addCluster(group) {
    const count = group.members.length;
    const badge = el("span", { class: "stop-cluster__count", text: String(count) });
    const size = MARKER_SIZE + 8;
    const icon = L.divIcon({ html: badge, className: "stop-cluster", iconSize: [size, size] });
    const at = this.map.layerPointToLatLng(L.point(group.x, group.y));
    const label = t("map.cluster", { count });
    const marker = L.marker(at, { icon, keyboard: true, title: label }).addTo(this.stopLayer);
    const element = marker.getElement();
    element.setAttribute("aria-label", label);
    element.setAttribute("role", "button");
    element.dataset.count = String(count);
    const nextSlug = this.stopStates.nextSlug;
    element.classList.toggle(
      "is-next",
      group.members.some((member) => member.stop.slug === nextSlug),
    );
    const open = () => {
      const bounds = L.latLngBounds(group.members.map((member) => member.where));
      const fits = this.map.getBoundsZoom(bounds, false, L.point(56, 56));
      // always at least one step deeper, so a group of stops at one spot opens too
      this.map.setView(bounds.getCenter(), Math.min(Math.max(fits, this.map.getZoom() + 1), this.deepestZoom()));
    };
    marker.on("click", open);
    element.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        open();
      }
    });
  }

  // Stops close together overlap when zoomed out: nudge later markers aside (no target hides another),
  // and put them back on their point once the zoom separates them.
  spreadOverlappingMarkers() {
    const placed = [];
    const gap = MARKER_SIZE + 4;
    for (const marker of this.markers.values()) {
      const point = this.map.latLngToLayerPoint(marker.getLatLng());
      let shift = L.point(0, 0);
      for (let tries = 0; tries < 8; tries += 1) {
        const clash = placed.find((other) => other.distanceTo(point.add(shift)) < gap);
        if (!clash) break;
        const away = point.add(shift).subtract(clash);
        const length = away.distanceTo(L.point(0, 0)) || 1;
        const direction = length > 0.5 ? away.divideBy(length) : L.point(1, 0);
        shift = shift.add(direction.multiplyBy(gap - length + 1));
      }
      placed.push(point.add(shift));
      const element = marker.getElement();
      element.style.marginLeft = `${Math.round(shift.x - MARKER_SIZE / 2)}px`;
      element.style.marginTop = `${Math.round(shift.y - MARKER_SIZE / 2)}px`;
    }
  }

  // Mark visited stops and the next one (classes drive the colours in app.css).
  setStopStates(visited, nextSlug) {
    this.stopStates = { visited, nextSlug };
    for (const [slug, marker] of this.markers) {
      const element = marker.getElement();
      element.classList.toggle("is-visited", visited.has(slug));
      element.classList.toggle("is-next", slug === nextSlug);
    }
  }

  showPosition(fix) {
    const here = [fix.lat, fix.lon];
    if (!this.accuracyCircle) {
      this.accuracyCircle = L.circle(here, {
        radius: fix.accuracy,
        color: "#1c5fb8",
        weight: 1,
        fillOpacity: 0.12,
        interactive: false,
      });
      this.positionDot = L.circleMarker(here, {
        radius: 8,
        color: "#ffffff",
        weight: 3,
        fillColor: "#1c5fb8",
        fillOpacity: 1,
        interactive: false,
      });
      this.positionLayer.addLayer(this.accuracyCircle).addLayer(this.positionDot);
    }
    this.accuracyCircle.setLatLng(here).setRadius(fix.accuracy);
    this.positionDot.setLatLng(here);
    if (this.following) this.map.panTo(here);
    this.lastFix = fix;
  }

  setFollowing(on) {
    this.following = on;
    if (on && this.lastFix)
      this.map.setView([this.lastFix.lat, this.lastFix.lon], Math.max(this.map.getZoom(), FOLLOW_ZOOM));
    this.dispatchEvent(new CustomEvent("followchange", { detail: on }));
  }

  fitWalk() {
    // room for the zoom buttons (top left) and the attribution (bottom), so no stop hides under them
    if (this.stopBounds)
      this.map.fitBounds(this.stopBounds, { paddingTopLeft: [56, 28], paddingBottomRight: [28, 64] });
  }

  // Leaflet measures its box when drawn; call after the map's container was shown again.
  refreshSize() {
    this.map.invalidateSize();
  }
}
