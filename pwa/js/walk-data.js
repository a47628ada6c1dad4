// Read the published walk documents (through the service worker: network first, stored copy offline).
import { reportResponse, reportUnreachable } from "./server-reach.js";

const walks = new Map();
let index = null;

async function getJson(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    reportUnreachable(); // no server and no stored copy
    throw error;
  }
  reportResponse(response);
  if (!response.ok) {
    const error = new Error(`${url}: ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

export async function loadWalkIndex() {
  index = await getJson("/api/walks");
  return index.walks;
}

// The walk document and its stops (GeoJSON features) together: {walk, stops}.
export async function loadWalk(slug, { fresh = false } = {}) {
  if (!walks.has(slug) || fresh) {
    // both at once (the stops URL is part of the public API contract): one round trip, not two
    const base = `/api/walks/${encodeURIComponent(slug)}`;
    const [walk, stops] = await Promise.all([getJson(base), getJson(`${base}/stops`)]);
    walks.set(slug, { walk, stops: stops.features });
  }
  return walks.get(slug);
}

// Find the walk holding a stop: the preferred walk first, then every published walk.
export async function findStop(slug, preferredWalk) {
  const candidates = preferredWalk ? [preferredWalk] : [];
  try {
    for (const summary of await loadWalkIndex()) if (!candidates.includes(summary.slug)) candidates.push(summary.slug);
  } catch {
    // offline without a stored index: only the preferred walk can be searched
  }
  for (const walkSlug of candidates) {
    try {
      const data = await loadWalk(walkSlug);
      const stop = data.stops.find((feature) => feature.id === slug);
      if (stop) return { ...data, stop };
    } catch {
      // that walk is not reachable now; try the next
    }
  }
  return null;
}
