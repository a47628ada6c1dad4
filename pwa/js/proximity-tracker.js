// Decide from position fixes when the walker has arrived at a stop.
// Arrival needs two consecutive good fixes inside the stop's trigger radius; fixes less accurate
// than MAX_ACCURACY_M are ignored (they neither count nor break a run); the walker has left a
// stop only beyond radius + LEAVE_MARGIN_M, so standing at the edge does not flicker.
import { distanceM } from "./geo.js";

export const MAX_ACCURACY_M = 50;
export const LEAVE_MARGIN_M = 15;
const FIXES_TO_ARRIVE = 2;

export class ProximityTracker {
  constructor(stops) {
    // stops: [{slug, coordinates: [lon, lat], trigger_radius_m}]
    this.stops = stops.map((stop) => ({ ...stop, run: 0, inside: false }));
  }

  // Feed a fix {lon, lat, accuracy}; returns the slugs of the stops just arrived at (nearest first).
  update(fix) {
    if (!(fix.accuracy <= MAX_ACCURACY_M)) return [];
    const arrived = [];
    for (const stop of this.stops) {
      const distance = distanceM([fix.lon, fix.lat], stop.coordinates);
      if (stop.inside) {
        if (distance > stop.trigger_radius_m + LEAVE_MARGIN_M) Object.assign(stop, { inside: false, run: 0 });
      } else if (distance <= stop.trigger_radius_m) {
        stop.run += 1;
        if (stop.run >= FIXES_TO_ARRIVE) {
          stop.inside = true;
          arrived.push({ slug: stop.slug, distance });
        }
      } else {
        stop.run = 0;
      }
    }
    return arrived.sort((a, b) => a.distance - b.distance).map((item) => item.slug);
  }
}
