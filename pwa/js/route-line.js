// Where the walker is along the walk's path: distance along it, distance off it, the nearest point
// on it. Positions are [lon, lat]; a local flat projection is exact enough over a town walk.
import { bearingDeg, distanceM } from "./geo.js";

const METRES_PER_DEGREE = 111320;

export class RouteLine {
  constructor(coordinates) {
    this.points = coordinates;
    this.cumulative = [0];
    for (let i = 1; i < coordinates.length; i += 1) {
      this.cumulative.push(this.cumulative[i - 1] + distanceM(coordinates[i - 1], coordinates[i]));
    }
    this.length = this.cumulative[this.cumulative.length - 1] || 0;
  }

  // {along (m from the start), offset (m from the path), nearest [lon, lat]} of a position.
  locate(position) {
    const scale = Math.cos((position[1] * Math.PI) / 180);
    const flat = ([lon, lat]) => [lon * scale * METRES_PER_DEGREE, lat * METRES_PER_DEGREE];
    const [px, py] = flat(position);
    let best = { offset: Infinity, along: 0, nearest: this.points[0] };
    for (let i = 1; i < this.points.length; i += 1) {
      const [ax, ay] = flat(this.points[i - 1]);
      const [bx, by] = flat(this.points[i]);
      const dx = bx - ax;
      const dy = by - ay;
      const lengthSquared = dx * dx + dy * dy;
      const share = lengthSquared ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared)) : 0;
      const offset = Math.hypot(px - (ax + share * dx), py - (ay + share * dy));
      if (offset < best.offset) {
        const [lon1, lat1] = this.points[i - 1];
        const [lon2, lat2] = this.points[i];
        const nearest = [lon1 + share * (lon2 - lon1), lat1 + share * (lat2 - lat1)];
        best = {
          offset,
          along: this.cumulative[i - 1] + share * (this.cumulative[i] - this.cumulative[i - 1]),
          nearest,
        };
      }
    }
    return best;
  }

  // The way from `position` to a stop along the path (metres), and how far off the path it is.
  wayAlong(position, stopPosition) {
    const here = this.locate(position);
    const there = this.locate(stopPosition);
    const ahead = there.along - here.along;
    return {
      distance: ahead >= 0 ? here.offset + ahead + there.offset : distanceM(position, stopPosition),
      offset: here.offset,
      backTo: here.nearest,
      backBearing: bearingDeg(position, here.nearest),
      leftOnPath: Math.max(0, this.length - here.along),
    };
  }
}
