// The path on the editor's map: the line, a handle per point (drag to move, click to select) and a
// handle between points (drag to insert one), and the stops with their trigger circles.
// Every name shown is set as text: a stop's name never reaches innerHTML.

import L from "./leaflet.js";

const LINE = { color: "#1f5f8b", weight: 5, opacity: 0.85 };
const PREVIEW_LINE = { color: "#d1495b", weight: 6, opacity: 0.9 };

export class PathLayer {
  // handlers: {moved(i, [lon, lat]), selected(i), inserted(i, [lon, lat]), key(i, event)}
  constructor(map, words, handlers) {
    this.map = map;
    this.words = words;
    this.handlers = handlers;
    this.line = L.polyline([], LINE).addTo(map);
    this.handles = L.layerGroup().addTo(map);
    this.stops = L.layerGroup().addTo(map);
  }

  showStops(stops) {
    this.stops.clearLayers();
    stops.forEach((stop, index) => {
      const name = document.createElement("span");
      name.textContent = `${index + 1}. ${stop.name.en || stop.name[Object.keys(stop.name)[0]] || stop.slug}`;
      L.circle([stop.lat, stop.lon], {
        radius: stop.trigger_radius_m || 0,
        color: "#777",
        weight: 1,
        fillOpacity: 0.08,
        interactive: false,
      }).addTo(this.stops);
      L.circleMarker([stop.lat, stop.lon], { radius: 7, color: "#555", fillOpacity: 0.7, className: "path-stop" })
        .bindTooltip(name, { permanent: true, direction: "right", className: "path-stop-label" })
        .addTo(this.stops);
    });
  }

  draw(path, selected, editable) {
    this.line.setLatLngs(path.map(([lon, lat]) => [lat, lon]));
    this.line.setStyle(editable ? LINE : PREVIEW_LINE);
    this.handles.clearLayers();
    if (!editable) return;
    path.forEach((position, index) => this.vertex(position, index, index === selected));
    for (let i = 0; i + 1 < path.length; i += 1) {
      const [a, b] = [path[i], path[i + 1]];
      this.midpoint([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], i);
    }
  }

  vertex([lon, lat], index, isSelected) {
    const icon = L.divIcon({
      className: `path-vertex${isSelected ? " selected" : ""}`,
      iconSize: [16, 16],
      html: "",
    });
    const title = this.words.point_title.replace("{n}", String(index + 1));
    const marker = L.marker([lat, lon], {
      draggable: true,
      keyboard: true,
      icon,
      title,
      alt: title,
      zIndexOffset: 500,
    });
    marker.on("click", () => this.handlers.selected(index));
    marker.on("dragend", () => {
      const moved = marker.getLatLng();
      this.handlers.moved(index, [moved.lng, moved.lat]);
    });
    marker.addTo(this.handles);
    const element = marker.getElement();
    element.dataset.vertex = String(index);
    // Arrows move the chosen point instead of panning the map (the map's own handler listens further up).
    element.addEventListener("keydown", (event) => {
      if (this.handlers.key(index, event)) {
        event.preventDefault();
        event.stopPropagation();
      }
    });
    if (isSelected) element.setAttribute("aria-pressed", "true");
  }

  midpoint([lon, lat], after) {
    const icon = L.divIcon({ className: "path-midpoint", iconSize: [12, 12], html: "" });
    const marker = L.marker([lat, lon], { draggable: true, keyboard: false, icon, title: this.words.midpoint_title });
    marker.on("dragend", () => {
      const dropped = marker.getLatLng();
      this.handlers.inserted(after + 1, [dropped.lng, dropped.lat]);
    });
    marker.addTo(this.handles);
    marker.getElement().dataset.midpoint = String(after);
  }

  focusVertex(index) {
    const element = this.map.getContainer().querySelector(`[data-vertex="${index}"]`);
    if (element) element.focus();
  }

  fit(path, stops) {
    const points = [...path.map(([lon, lat]) => [lat, lon]), ...stops.map((s) => [s.lat, s.lon])];
    if (points.length) this.map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 18 });
  }
}
