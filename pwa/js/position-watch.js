// The walker's position from the device (GPS), as "fix" events {lon, lat, accuracy}.
export class PositionWatch extends EventTarget {
  constructor() {
    super();
    this.watchId = null;
  }

  get active() {
    return this.watchId !== null;
  }

  start() {
    if (this.active || !("geolocation" in navigator)) return this.active;
    this.watchId = navigator.geolocation.watchPosition(
      (position) => {
        const { longitude, latitude, accuracy } = position.coords;
        this.dispatchEvent(new CustomEvent("fix", { detail: { lon: longitude, lat: latitude, accuracy } }));
      },
      (error) => this.dispatchEvent(new CustomEvent("problem", { detail: error.code })),
      { enableHighAccuracy: true, maximumAge: 5000, timeout: 20000 },
    );
    return true;
  }

  stop() {
    if (this.active) navigator.geolocation.clearWatch(this.watchId);
    this.watchId = null;
  }
}
