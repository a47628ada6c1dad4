// Stops grouped by where they fall on the screen: one marker per group, so a 1,000-stop walk draws a
// few dozen markers, not 1,000. A grid of square cells in screen pixels: cheap enough to redo on every
// zoom and move, and a group always covers stops that would overlap or crowd each other anyway.

export const CLUSTER_FROM = 100; // stops: fewer are drawn one marker each, as they always were
export const CLUSTER_UNTIL_ZOOM = 18; // street level: every stop is drawn on its own from here on
export const CELL_PX = 64; // a marker is 36 px: stops closer than a cell cannot be told apart by a finger

// points: [{x, y, ...}] in screen (layer) pixels. Returns the groups in the order of their first member,
// each {members: [...points], x, y} placed at its members' average.
export function groupByCell(points, cellPx = CELL_PX) {
  const cells = new Map();
  for (const point of points) {
    const key = `${Math.floor(point.x / cellPx)}:${Math.floor(point.y / cellPx)}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { members: [], x: 0, y: 0 }));
    cell.members.push(point);
  }
  for (const cell of cells.values()) {
    cell.x = cell.members.reduce((sum, point) => sum + point.x, 0) / cell.members.length;
    cell.y = cell.members.reduce((sum, point) => sum + point.y, 0) / cell.members.length;
  }
  return [...cells.values()];
}
