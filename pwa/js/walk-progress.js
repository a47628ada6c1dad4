// Which stops of a walk this phone has visited, kept on the device (localStorage).
export const progressEvents = new EventTarget();
const key = (walk) => `kotoji:visited:${walk}`;

export function visitedStops(walk) {
  try {
    return new Set(JSON.parse(localStorage.getItem(key(walk)) || "[]"));
  } catch {
    return new Set();
  }
}

export function markVisited(walk, stop) {
  const visited = visitedStops(walk);
  if (visited.has(stop)) return false;
  visited.add(stop);
  localStorage.setItem(key(walk), JSON.stringify([...visited]));
  progressEvents.dispatchEvent(new CustomEvent("change", { detail: { walk, stop } }));
  return true;
}

export function resetProgress(walk) {
  localStorage.removeItem(key(walk));
  progressEvents.dispatchEvent(new CustomEvent("change", { detail: { walk } }));
}
