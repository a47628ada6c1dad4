// The walker's position from the device (GPS), as "fix" events {lon, lat, accuracy}.
export class PositionWatch extends EventTarget {
  constructor() {
    super();
    this.watchId = null;
  }

  get active() {
    return this.watchId !== null;
  }

  // precise: high accuracy, fresh fixes (near a stop); otherwise fewer, coarser fixes (saves battery)
  start({ precise = true } = {}) {
    if (this.active || !("geolocation" in navigator)) return this.active;
    this.precise = precise;
    this.watchId = navigator.geolocation.watchPosition(
      (position) => {
        const { longitude, latitude, accuracy } = position.coords;
        this.dispatchEvent(new CustomEvent("fix", { detail: { lon: longitude, lat: latitude, accuracy } }));
      },
      (error) => this.dispatchEvent(new CustomEvent("problem", { detail: error.code })),
      precise
        ? { enableHighAccuracy: true, maximumAge: 5000, timeout: 20000 }
        : { enableHighAccuracy: false, maximumAge: 30000, timeout: 60000 },
    );
    return true;
  }

  // Change precision while watching.
  setPrecise(precise) {
    if (!this.active || this.precise === precise) return;
    this.stop();
    this.start({ precise });
  }

  stop() {
    if (this.active) navigator.geolocation.clearWatch(this.watchId);
    this.watchId = null;
  }
}
