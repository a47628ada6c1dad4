// A walk in progress: follows the position, opens stops on arrival, keeps the screen on.
// Events: "fix" {lon, lat, accuracy}, "arrive" (stop slug), "statechange", "problem" (error code),
// "complete" (every stop visited: GPS and the wake lock are switched off).
import { bearingDeg, distanceM } from "./geo.js";
import { PositionWatch } from "./position-watch.js";
import { ProximityTracker } from "./proximity-tracker.js";
import { RouteLine } from "./route-line.js";
import { ScreenWakeLock } from "./screen-wake-lock.js";
import { setting, settingsEvents } from "./settings.js";
import { markVisited, progressEvents, visitedStops } from "./walk-progress.js";

const GENTLE_VIBRATION_MS = [80, 60, 80];
const NEAR_A_STOP_M = 300; // battery saver: precise GPS only this close to the next stop
// Kept on the phone so that closing the app does not end the walk: which walk is being walked,
// and the last position (used again if it is recent).
const WALKING_KEY = "kotoji:walking";
const FIX_KEY = "kotoji:last-fix";
const FIX_KEPT_MS = 2 * 60 * 60 * 1000;

export class WalkingSession extends EventTarget {
  constructor() {
    super();
    this.watch = new PositionWatch();
    this.wakeLock = new ScreenWakeLock();
    this.walk = null;
    this.stops = [];
    this.lastFix = null;
    this.watch.addEventListener("fix", (event) => this.onFix(event.detail));
    this.watch.addEventListener("problem", (event) =>
      this.dispatchEvent(new CustomEvent("problem", { detail: event.detail })),
    );
    progressEvents.addEventListener("change", () => this.finishIfDone());
    settingsEvents.addEventListener("change", () => this.watch.setPrecise(this.wantsPrecision()));
  }

  // Precise GPS unless the walker saves battery and the next stop is still far away.
  wantsPrecision() {
    if (!setting("batterySaver")) return true;
    const way = this.wayTo(this.nextStop());
    return !way || way.straight <= NEAR_A_STOP_M;
  }

  // The last stop reached (by GPS or "I'm here"): nothing is left to track, so nothing keeps running.
  finishIfDone() {
    if (!this.walking || !this.stops.length || this.nextStop()) return;
    this.stop();
    this.dispatchEvent(new Event("complete"));
  }

  // Walk these stops ({slug, coordinates, trigger_radius_m}, in order) of walk `walk` along `path`.
  use(walk, stops, path = null) {
    this.walk = walk;
    this.stops = stops;
    this.route = path && path.length > 1 ? new RouteLine(path) : null;
    this.tracker = new ProximityTracker(stops);
    try {
      const saved = JSON.parse(localStorage.getItem(FIX_KEY) || "null");
      if (!this.lastFix && saved && saved.walk === walk && Date.now() - saved.time < FIX_KEPT_MS)
        this.lastFix = saved.fix;
    } catch {
      localStorage.removeItem(FIX_KEY);
    }
  }

  // The walk that was being walked when the app was closed (null if none): {walk, link}.
  static interrupted() {
    try {
      return JSON.parse(localStorage.getItem(WALKING_KEY) || "null");
    } catch {
      return null;
    }
  }

  get walking() {
    return this.watch.active;
  }

  // link: the address of the walk's screen (a tour's too), to come back to after a restart
  start(link = null) {
    if (!this.watch.start({ precise: this.wantsPrecision() })) return false;
    localStorage.setItem(WALKING_KEY, JSON.stringify({ walk: this.walk, link }));
    this.wakeLock.hold();
    this.dispatchEvent(new Event("statechange"));
    return true;
  }

  stop() {
    localStorage.removeItem(WALKING_KEY);
    this.watch.stop();
    this.wakeLock.release();
    this.dispatchEvent(new Event("statechange"));
  }

  onFix(fix) {
    this.lastFix = fix;
    localStorage.setItem(FIX_KEY, JSON.stringify({ walk: this.walk, fix, time: Date.now() }));
    this.dispatchEvent(new CustomEvent("fix", { detail: fix }));
    const [slug] = this.tracker ? this.tracker.update(fix) : [];
    this.watch.setPrecise(this.wantsPrecision());
    if (slug && markVisited(this.walk, slug)) {
      navigator.vibrate?.(GENTLE_VIBRATION_MS);
      this.dispatchEvent(new CustomEvent("arrive", { detail: slug }));
    }
  }

  visited() {
    return visitedStops(this.walk);
  }

  nextStop() {
    const visited = this.visited();
    return this.stops.find((stop) => !visited.has(stop.slug)) || null;
  }

  // The way from the last fix to a stop, or null without a fix: distance along the path (m),
  // bearing (degrees), and how far off the path the walker is, with the bearing back to it.
  wayTo(stop) {
    if (!this.lastFix || !stop) return null;
    const here = [this.lastFix.lon, this.lastFix.lat];
    const straight = distanceM(here, stop.coordinates);
    const bearing = bearingDeg(here, stop.coordinates);
    if (!this.route) return { distance: straight, straight, bearing, offset: 0, accuracy: this.lastFix.accuracy };
    const along = this.route.wayAlong(here, stop.coordinates);
    return {
      ...along,
      distance: Math.max(along.distance, straight),
      straight,
      bearing,
      accuracy: this.lastFix.accuracy,
    };
  }

  // What is left of the whole walk from the last fix along the path (m), or null.
  leftOnPath() {
    if (!this.lastFix || !this.route) return null;
    return Math.max(0, this.route.length - this.route.locate([this.lastFix.lon, this.lastFix.lat]).along);
  }
}
