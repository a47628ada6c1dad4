// The planner's map: every stop of the walk (chosen ones numbered), the tour's legs, start and end.
// Leaflet is loaded by the page from our own server (/vendor) and found as window.L.
import { _ } from "./i18n.js";

const PATH_STYLE = { color: "#8a8f98", weight: 3, opacity: 0.6, interactive: false };
const LEG_STYLE = { color: "#b3261e", weight: 4, opacity: 0.9, interactive: false };

export class PlannerMap extends EventTarget {
  constructor(element, basemapModule) {
    super();
    this.basemapModule = basemapModule;
    this.basemap = null;
    const L = window.L;
    this.L = L;
    this.map = L.map(element, { zoomSnap: 0.25, keyboard: true });
    this.map.attributionControl.setPrefix(false); // keeps the basemap's data credit, drops Leaflet's link
    L.control.scale({ imperial: false }).addTo(this.map);
    this.layers = L.layerGroup().addTo(this.map);
    this.picking = null;
    this.fitted = "";
    this.map.on("click", (event) => this.onMapClick(event));
  }

  // Ask for the next map click to place the start or end point (null stops asking).
  pick(kind) {
    this.picking = kind;
    this.map.getContainer().classList.toggle("picking", Boolean(kind));
  }

  onMapClick(event) {
    if (!this.picking) return;
    const kind = this.picking;
    this.pick(null);
    const { lat, lng } = event.latlng;
    this.dispatchEvent(new CustomEvent("point", { detail: { kind, lat, lon: lng } }));
  }

  show(plan, path) {
    const L = this.L;
    this.layers.clearLayers();
    if (path && path.length > 1) {
      L.polyline(
        path.map(([lon, lat]) => [lat, lon]),
        PATH_STYLE,
      ).addTo(this.layers);
    }
    for (const leg of plan.legs) {
      const style = leg.follows_path ? LEG_STYLE : { ...LEG_STYLE, dashArray: "6 8" };
      L.polyline(
        leg.coordinates.map(([lon, lat]) => [lat, lon]),
        style,
      ).addTo(this.layers);
    }
    const numbers = new Map(plan.stops.map((stop) => [stop.slug, stop.number]));
    for (const stop of plan.walk_stops) {
      const number = numbers.get(stop.slug);
      this.addStop(stop, number);
    }
    for (const waypoint of plan.waypoints || []) {
      const [lon, lat] = waypoint.coordinates;
      const icon = L.divIcon({
        className: "tour-marker tour-marker--waypoint",
        html: "<span></span>",
        iconSize: [22, 22],
        iconAnchor: [11, 11],
      });
      L.marker([lat, lon], { icon, title: waypoint.label, alt: waypoint.label, keyboard: false }).addTo(this.layers);
    }
    for (const kind of ["start", "end"]) {
      const point = plan[kind];
      if (!point) continue;
      const [lon, lat] = point.coordinates;
      const icon = L.divIcon({
        className: `tour-marker tour-marker--${kind}`,
        html: "<span></span>",
        iconSize: [28, 28],
        iconAnchor: [14, 14],
      });
      const title =
        kind === "start"
          ? _("Start: {name}", { name: point.label || "" }).trim()
          : _("End: {name}", { name: point.label || "" }).trim();
      L.marker([lat, lon], { icon, title, alt: title, keyboard: false }).addTo(this.layers);
    }
    this.fit(plan);
  }

  addStop(stop, number) {
    const L = this.L;
    const [lon, lat] = stop.coordinates;
    const chosen = number !== undefined;
    const span = document.createElement("span");
    span.textContent = chosen ? String(number) : "";
    const icon = L.divIcon({
      className: `tour-marker ${chosen ? "tour-marker--stop" : "tour-marker--candidate"}`,
      html: span,
      iconSize: chosen ? [28, 28] : [18, 18],
      iconAnchor: chosen ? [14, 14] : [9, 9],
    });
    const title = chosen
      ? _("{number}. {name} (in the tour: select to remove)", { number, name: stop.name })
      : _("{name} (select to add to the tour)", { name: stop.name });
    const marker = L.marker([lat, lon], { icon, title, alt: title, keyboard: true, riseOnHover: true });
    const toggle = () => this.dispatchEvent(new CustomEvent("toggle", { detail: stop.slug }));
    marker.on("click", toggle);
    // Leaflet answers Enter on a marker only when it has a popup: a focused marker is a button here.
    marker.on("add", () => {
      const element = marker.getElement();
      element.setAttribute("role", "button");
      element.setAttribute("aria-pressed", String(chosen));
      element.setAttribute("aria-label", title);
      element.addEventListener("keydown", (event) => {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        event.stopPropagation();
        this.refocus = stop.slug;
        toggle();
      });
    });
    const name = document.createElement("span");
    name.textContent = stop.name; // a name is text: Leaflet would set a string tooltip as innerHTML
    marker.bindTooltip(name, { direction: "top", offset: [0, -12] });
    marker.addTo(this.layers);
    if (this.refocus === stop.slug) {
      this.refocus = null;
      marker.getElement().focus(); // the map redraws after a toggle: keep the keyboard where it was
    }
  }

  // Fit the view when the walk changes, not on every edit (the guide may have zoomed in).
  fit(plan) {
    if (this.fitted === plan.walk.slug) return;
    const L = this.L;
    const points = plan.walk_stops.map((s) => [s.coordinates[1], s.coordinates[0]]);
    for (const kind of ["start", "end"]) {
      if (plan[kind]) points.push([plan[kind].coordinates[1], plan[kind].coordinates[0]]);
    }
    if (points.length) {
      this.bounds = L.latLngBounds(points);
      this.map.fitBounds(this.bounds, { padding: [24, 24] });
      this.fitted = plan.walk.slug;
      this.useBasemap(plan.walk.slug);
    }
  }

  // The walk's own basemap (the app's hook draws it, or notes that there is none).
  async useBasemap(walkSlug) {
    if (!this.basemapModule) return;
    try {
      const [walk, hook] = await Promise.all([
        fetch(`/api/walks/${encodeURIComponent(walkSlug)}`).then((r) => r.json()),
        import(this.basemapModule),
      ]);
      const layer = await hook.createBasemapLayer(walk);
      if (this.fitted !== walkSlug) return; // another walk was chosen meanwhile
      if (this.basemap) this.map.removeLayer(this.basemap);
      this.basemap = layer.addTo(this.map);
      this.map.fitBounds(this.bounds, { padding: [24, 24] }); // the basemap may have changed the zoom limits
    } catch (error) {
      console.warn("planner: no basemap", error);
    }
  }
}
