// The walk on a Leaflet map: path, numbered stops, the walker's position and accuracy.
// The basemap is pluggable: basemap-layer.js returns a layer (or null for the plain background).
import { createBasemapLayer } from "./basemap-layer.js";
import { el } from "./element.js";
import { languageEvents, t } from "./i18n.js";
import L, { loadLeaflet } from "./leaflet.js";

const PATH_STYLE = { color: "#a3261b", weight: 5, opacity: 0.95, lineJoin: "round", interactive: false };
const PATH_CASING = { color: "#ffffff", weight: 9, opacity: 0.9, lineJoin: "round", interactive: false };
const MARKER_SIZE = 36;
const FOLLOW_ZOOM = 17; // "Follow me" shows the streets around the walker // CSS px: well above the 24 px minimum target

export class WalkMap extends EventTarget {
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
    this.markers = new Map();
    this.following = false;
    this.basemap = null;
    this.walkSlug = null;
    this.map.on("dragstart", () => this.setFollowing(false));
    this.map.on("zoomend", () => this.spreadOverlappingMarkers());
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
    const line = walk.path.coordinates.map(([lon, lat]) => [lat, lon]);
    this.stopBounds = L.latLngBounds([...line, ...stops.map((s) => [s.coordinates[1], s.coordinates[0]])]);
    // the whole walk only when a new walk (or tour) is shown: back from a stop, the map stays where it was
    const shown = `${walk.slug}|${stops.map((stop) => stop.slug).join(",")}`;
    if (this.shown !== shown) this.fitWalk(); // first: Leaflet draws markers only on a map that has a view
    this.shown = shown;
    L.polyline(line, PATH_CASING).addTo(this.walkLayer);
    this.path = L.polyline(line, PATH_STYLE).addTo(this.walkLayer);
    for (const stop of stops) this.addStopMarker(stop);
    this.spreadOverlappingMarkers();
    if (this.walkSlug !== walk.slug) {
      this.walkSlug = walk.slug;
      await this.useBasemap(walk);
    }
    this.map.getContainer().dataset.drawn = "true";
    performance.mark("kotoji:map-drawn"); // read by bench/pwa_figures.py (offline reload to drawn map)
    this.dispatchEvent(new Event("drawn"));
  }

  async useBasemap(walk) {
    if (this.basemap) this.map.removeLayer(this.basemap);
    this.basemap = null;
    try {
      this.basemap = await createBasemapLayer(walk);
    } catch (error) {
      console.warn("basemap unavailable, using the plain background", error);
    }
    if (this.basemap) this.basemap.addTo(this.map);
  }

  addStopMarker(stop) {
    const badge = el("span", { class: "stop-marker__number", text: String(stop.order) });
    const icon = L.divIcon({ html: badge, className: "stop-marker", iconSize: [MARKER_SIZE, MARKER_SIZE] });
    const marker = L.marker([stop.coordinates[1], stop.coordinates[0]], { icon, keyboard: true, title: stop.label });
    marker.on("click", () => this.dispatchEvent(new CustomEvent("stopselected", { detail: stop.slug })));
    marker.addTo(this.walkLayer);
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
