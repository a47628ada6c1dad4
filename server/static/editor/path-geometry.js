// Lengths and checks of a drawn path, live in the browser: the same rules as the server's
// server/domain/walks/path_checks.py (the server's word comes back with the preview and every save).
// Positions are [longitude, latitude], as in GeoJSON and the stored path.

const EARTH_RADIUS_M = 6371008.8;
export const NEAR_PATH_MARGIN_M = 25;
const rad = (degrees) => (degrees * Math.PI) / 180;

export function distanceM(a, b) {
  const h =
    Math.sin(rad(b[1] - a[1]) / 2) ** 2 +
    Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(rad(b[0] - a[0]) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function lengthM(path) {
  let total = 0;
  for (let i = 1; i < path.length; i += 1) total += distanceM(path[i - 1], path[i]);
  return total;
}

// Where `point` meets the path: {chainage, offset, segment, t, position}, or null for < 2 points.
export function locate(path, point) {
  if (path.length < 2) return null;
  const ky = rad(1) * EARTH_RADIUS_M;
  const kx = ky * Math.cos(rad(point[1]));
  let best = null;
  let chainage = 0;
  for (let i = 0; i + 1 < path.length; i += 1) {
    const [ax, ay] = path[i];
    const [bx, by] = path[i + 1];
    const dx = (bx - ax) * kx;
    const dy = (by - ay) * ky;
    const px = (point[0] - ax) * kx;
    const py = (point[1] - ay) * ky;
    const span = dx * dx + dy * dy;
    const t = span === 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / span));
    const offset = Math.hypot(px - t * dx, py - t * dy);
    const segmentLength = distanceM(path[i], path[i + 1]);
    if (!best || offset < best.offset) {
      best = {
        chainage: chainage + t * segmentLength,
        offset,
        segment: i,
        t,
        position: [ax + t * (bx - ax), ay + t * (by - ay)],
      };
    }
    chainage += segmentLength;
  }
  return best;
}

// Warnings for stops in walking order: {kind: "far"|"order", stop, offset, allowed, previous}.
export function pathWarnings(path, stops) {
  if (path.length < 2) return [];
  const warnings = [];
  let previous = null;
  for (const stop of stops) {
    const place = locate(path, [stop.lon, stop.lat]);
    const allowed = (stop.trigger_radius_m || 0) + NEAR_PATH_MARGIN_M;
    if (place.offset > allowed) {
      warnings.push({ kind: "far", stop: stop.slug, offset: Math.round(place.offset), allowed });
      continue; // a stop off the path has no place in its order
    }
    if (previous && place.chainage < previous.chainage) {
      warnings.push({ kind: "order", stop: stop.slug, previous: previous.slug });
    }
    previous = { slug: stop.slug, chainage: place.chainage };
  }
  return warnings;
}

// Seven decimals (1 cm), as the server stores and checks them.
export const round7 = (value) => Math.round(value * 1e7) / 1e7;

// A position `eastM` east and `northM` north of `position`.
export function offsetBy(position, eastM, northM) {
  const lat = position[1] + northM / (rad(1) * EARTH_RADIUS_M);
  const lon = position[0] + eastM / (rad(1) * EARTH_RADIUS_M * Math.cos(rad(position[1])));
  return [round7(lon), round7(lat)];
}
