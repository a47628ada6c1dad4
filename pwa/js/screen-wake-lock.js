// Keep the screen on while walking (where the browser allows it), and again after a tab switch.
export class ScreenWakeLock {
  constructor() {
    this.wanted = false;
    this.sentinel = null;
    document.addEventListener("visibilitychange", () => {
      if (this.wanted && document.visibilityState === "visible") this.acquire();
    });
  }

  async hold() {
    this.wanted = true;
    await this.acquire();
  }

  async acquire() {
    if (!("wakeLock" in navigator) || this.sentinel) return;
    try {
      this.sentinel = await navigator.wakeLock.request("screen");
      this.sentinel.addEventListener("release", () => (this.sentinel = null));
    } catch {
      this.sentinel = null; // e.g. battery saver: walking works without it
    }
  }

  release() {
    this.wanted = false;
    if (this.sentinel) this.sentinel.release();
    this.sentinel = null;
  }
}
