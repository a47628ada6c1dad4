// The names of Kotoji's caches and how to read them, shared by the service worker (sw.js) and the
// page (walk-download.js), so both always agree. No DOM here: it also runs in the worker.
//   kotoji-shell-<version>        the app shell, one per app version
//   kotoji-data                   the last copy of each walk document seen online
//   kotoji-walk-<walk>-v<version> one per downloaded walk version
export const PREFIX = "kotoji-";
export const SHELL_PREFIX = `${PREFIX}shell-`;
export const DATA_CACHE = `${PREFIX}data`;
export const WALK_PREFIX = `${PREFIX}walk-`;

export const shellCacheName = (version) => `${SHELL_PREFIX}${version}`;
export const walkCacheName = (walk, version) => `${WALK_PREFIX}${walk}-v${version}`;

// The walk and version a walk cache holds, or null for any other name.
export function parseWalkCacheName(name) {
  const match = /^kotoji-walk-(.+)-v(\d+)$/.exec(name);
  return match ? { walk: match[1], version: Number(match[2]) } : null;
}

// Newest first.
export function byVersionDescending(a, b) {
  return (parseWalkCacheName(b)?.version || 0) - (parseWalkCacheName(a)?.version || 0);
}

export async function sha256Hex(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
