// The basemap hook: return a Leaflet layer drawn under the walk (map-view.js adds it and keeps the
// path and stops above it). `walk` is the /api/walks/<walk> document; its `basemap` member says where
// the tiles are. basemap.js draws them, or returns a short "plain background" notice without them.
// Imported statically (index.html preloads it anyway): basemap.js makes its Leaflet classes on first use
// only, so it loads before Leaflet, and its worker can start at once, not after a dynamic import.
import { basemapLayer, prepareBasemap } from "./basemap.js";

export async function createBasemapLayer(walk) {
  return basemapLayer(walk);
}

// Start drawing the walk's basemap (its worker and library) before the map exists: as soon as the walk's
// document is there, while Leaflet loads.
export function prepareBasemapLayer(walk) {
  prepareBasemap(walk);
}
