// The position map: click or drag to place the stop; the coordinate fields stay in step both
// ways, so keyboard users type what others drag (WCAG 2.5.7).

import L from './leaflet.js';

export class StopMap {
  constructor(element, latInput, lonInput) {
    this.latInput = latInput;
    this.lonInput = lonInput;
    const start = this.typedPosition() || [0, 0];
    this.map = L.map(element, { zoomControl: true, attributionControl: false }).setView(start, 17);
    const icon = L.divIcon({ className: 'stop-marker', iconSize: [22, 22], html: '' });
    this.marker = L.marker(start, { draggable: true, keyboard: false, icon, title: 'This stop' }).addTo(this.map);
    this.marker.on('dragend', () => this.place(this.marker.getLatLng(), false));
    this.map.on('click', (event) => this.place(event.latlng, false));
    const onTyped = () => {
      const position = this.typedPosition();
      if (position) this.place(L.latLng(position), true);
    };
    latInput.addEventListener('change', onTyped);
    lonInput.addEventListener('change', onTyped);
  }

  typedPosition() {
    const lat = Number(this.latInput.value.replace(',', '.'));
    const lon = Number(this.lonInput.value.replace(',', '.'));
    const valid = this.latInput.value !== '' && this.lonInput.value !== ''
      && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
    return valid ? [lat, lon] : null;
  }

  place(latlng, typed) {
    this.marker.setLatLng(latlng);
    if (!typed) {
      this.latInput.value = latlng.lat.toFixed(6);
      this.lonInput.value = latlng.lng.toFixed(6);
      this.latInput.dispatchEvent(new Event('input', { bubbles: true }));
    }
    this.map.panTo(latlng);
  }

  // The streets come from the tourist app's own basemap layer (the offline OpenStreetMap tiles the
  // site serves); a walk that is not public yet, or a site without a basemap, keeps the plain background.
  async addBasemap(publicWalkUrl) {
    try {
      const response = await fetch(publicWalkUrl, { headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      const { basemapLayer } = await import('/js/basemap.js');
      (await basemapLayer(await response.json())).addTo(this.map);
    } catch (error) {
      console.warn('no basemap in the editor, plain background', error);
    }
  }

  showWalk(walk, stops, currentSlug) {
    const line = (walk.path || []).map(([lon, lat]) => [lat, lon]);
    if (line.length) L.polyline(line, { color: '#1f5f8b', weight: 4, opacity: 0.8 }).addTo(this.map);
    stops.filter((stop) => stop.slug !== currentSlug).forEach((stop) => {
      const name = document.createElement('span');
      name.textContent = stop.name.en || stop.slug; // a name is text: Leaflet would set a string tooltip as innerHTML
      L.circleMarker([stop.lat, stop.lon], { radius: 6, color: '#555', fillOpacity: 0.6 })
        .bindTooltip(name).addTo(this.map);
    });
  }
}
