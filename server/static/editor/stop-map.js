// The position map: drag the marker, or tap the map after choosing "Place by tapping" (a tap alone never
// moves the stop), or use the phone's position; every move can be undone. The coordinate fields stay in
// step both ways, so keyboard users type what others drag (WCAG 2.5.7).

import { _ } from "./i18n.js";
import L from "./leaflet.js";

export class StopMap {
  constructor(element, latInput, lonInput, controls = {}) {
    this.latInput = latInput;
    this.lonInput = lonInput;
    this.controls = controls;
    this.history = [];
    this.placing = false;
    const start = this.typedPosition() || [0, 0];
    this.map = L.map(element, { zoomControl: true, attributionControl: false }).setView(start, 17);
    const icon = L.divIcon({ className: "stop-marker", iconSize: [22, 22], html: "" });
    this.marker = L.marker(start, { draggable: true, keyboard: false, icon, title: _("This stop") }).addTo(this.map);
    this.marker.on("dragstart", () => this.remember(this.typedPosition()));
    this.marker.on("dragend", () => this.place(this.marker.getLatLng(), false, false));
    this.map.on("click", (event) => {
      if (!this.placing) return;
      this.place(event.latlng, false);
      this.setPlacing(false);
    });
    if (controls.placeButton) controls.placeButton.addEventListener("click", () => this.setPlacing(!this.placing));
    if (controls.undoButton) controls.undoButton.addEventListener("click", () => this.undo());
    if (controls.hereButton) controls.hereButton.addEventListener("click", () => this.useMyPosition());
    const onTyped = () => {
      const position = this.typedPosition();
      if (position) this.place(L.latLng(position), true);
    };
    latInput.addEventListener("change", onTyped);
    lonInput.addEventListener("change", onTyped);
  }

  typedPosition() {
    const lat = Number(this.latInput.value.replace(",", "."));
    const lon = Number(this.lonInput.value.replace(",", "."));
    const valid =
      this.latInput.value !== "" && this.lonInput.value !== "" && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
    return valid ? [lat, lon] : null;
  }

  remember(position) {
    if (!position) return;
    this.history.push(position);
    if (this.controls.undoButton) this.controls.undoButton.disabled = false;
  }

  setPlacing(on) {
    this.placing = on;
    if (this.controls.placeButton) this.controls.placeButton.setAttribute("aria-pressed", String(on));
    this.map.getContainer().classList.toggle("placing", on);
    this.tell(on ? _("Tap the map where the stop is.") : "");
  }

  tell(text) {
    if (this.controls.status) this.controls.status.textContent = text;
  }

  undo() {
    const previous = this.history.pop();
    if (!previous) return;
    this.place(L.latLng(previous), false, false);
    if (this.controls.undoButton) this.controls.undoButton.disabled = this.history.length === 0;
    this.tell(_("Move undone."));
  }

  useMyPosition() {
    if (!navigator.geolocation) {
      this.tell(_("This browser cannot tell its position."));
      return;
    }
    this.tell(_("Finding your position…"));
    navigator.geolocation.getCurrentPosition(
      (found) => {
        const { latitude, longitude, accuracy } = found.coords;
        this.place(L.latLng(latitude, longitude), false);
        this.tell(_("Placed at your position (accurate to about {metres} m).", { metres: Math.round(accuracy) }));
      },
      (problem) => {
        const reason = problem.message || _("permission refused");
        this.tell(_("Your position is not available: {reason}.", { reason }));
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 },
    );
  }

  place(latlng, typed, remember = true) {
    if (remember && !typed) this.remember(this.typedPosition());
    this.marker.setLatLng(latlng);
    if (!typed) {
      this.latInput.value = latlng.lat.toFixed(6);
      this.lonInput.value = latlng.lng.toFixed(6);
      this.latInput.dispatchEvent(new Event("input", { bubbles: true }));
    }
    this.map.panTo(latlng);
  }

  // The streets come from the tourist app's own basemap layer (the offline OpenStreetMap tiles the
  // site serves); a walk that is not public yet, or a site without a basemap, keeps the plain background.
  async addBasemap(publicWalkUrl) {
    try {
      const response = await fetch(publicWalkUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const { basemapLayer } = await import("/js/basemap.js");
      (await basemapLayer(await response.json())).addTo(this.map);
    } catch (error) {
      console.warn("no basemap in the editor, plain background", error);
    }
  }

  showWalk(walk, stops, currentSlug) {
    const line = (walk.path || []).map(([lon, lat]) => [lat, lon]);
    if (line.length) L.polyline(line, { color: "#1f5f8b", weight: 4, opacity: 0.8 }).addTo(this.map);
    stops
      .filter((stop) => stop.slug !== currentSlug)
      .forEach((stop) => {
        const name = document.createElement("span");
        name.textContent = stop.name.en || stop.slug; // a name is text: Leaflet would set a string tooltip as innerHTML
        L.circleMarker([stop.lat, stop.lon], { radius: 6, color: "#555", fillOpacity: 0.6 })
          .bindTooltip(name)
          .addTo(this.map);
      });
  }
}
