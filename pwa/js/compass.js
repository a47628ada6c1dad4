// Which way the phone points (degrees from north), from DeviceOrientation. iOS asks permission,
// and only from a tap; elsewhere the absolute event (or Safari's webkitCompassHeading) is used.
// Events: "heading" (degrees). Without one, the walker's arrow stays north-up.
export class Compass extends EventTarget {
  constructor() {
    super();
    this.heading = null;
    this.listening = null;
  }

  get supported() {
    return "DeviceOrientationEvent" in window;
  }

  // Call from a tap: iOS shows its permission prompt then.
  async start() {
    if (!this.supported || this.listening) return Boolean(this.listening);
    if (typeof DeviceOrientationEvent.requestPermission === "function") {
      try {
        if ((await DeviceOrientationEvent.requestPermission()) !== "granted") return false;
      } catch {
        return false;
      }
    }
    const name = "ondeviceorientationabsolute" in window ? "deviceorientationabsolute" : "deviceorientation";
    const handler = (event) => {
      let heading = null;
      if (typeof event.webkitCompassHeading === "number") heading = event.webkitCompassHeading;
      else if (event.alpha !== null && (event.absolute || name === "deviceorientationabsolute"))
        heading = (360 - event.alpha) % 360;
      if (heading === null) return;
      this.heading = heading;
      this.dispatchEvent(new CustomEvent("heading", { detail: heading }));
    };
    window.addEventListener(name, handler);
    this.listening = { name, handler };
    return true;
  }

  stop() {
    if (this.listening) window.removeEventListener(this.listening.name, this.listening.handler);
    this.listening = null;
    this.heading = null;
  }
}
