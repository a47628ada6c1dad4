// Distances and directions on the sphere, for positions given as [longitude, latitude].
const EARTH_RADIUS_M = 6371008.8;
const toRadians = (degrees) => (degrees * Math.PI) / 180;

export function distanceM(a, b) {
  const [lon1, lat1, lon2, lat2] = [a[0], a[1], b[0], b[1]].map(toRadians);
  const h = Math.sin((lat2 - lat1) / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin((lon2 - lon1) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function bearingDeg(a, b) {
  const [lon1, lat1, lon2, lat2] = [a[0], a[1], b[0], b[1]].map(toRadians);
  const y = Math.sin(lon2 - lon1) * Math.cos(lat2);
  const x = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(lon2 - lon1);
  return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
}

const POINTS = ["n", "ne", "e", "se", "s", "sw", "w", "nw"];
const ARROWS = ["↑", "↗", "→", "↘", "↓", "↙", "←", "↖"];

// The compass point (n, ne, ...) and its arrow for a bearing.
export function compassPoint(bearing) {
  const index = Math.round(bearing / 45) % 8;
  return { point: POINTS[index], arrow: ARROWS[index] };
}
