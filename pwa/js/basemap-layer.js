// The basemap hook: return a Leaflet layer drawn under the walk (map-view.js adds it and keeps the
// path and stops above it). `walk` is the /api/walks/<walk> document; its `basemap` member says where
// the tiles are. basemap.js draws them, or returns a short "plain background" notice without them.
export async function createBasemapLayer(walk) {
  const { basemapLayer } = await import("./basemap.js");
  return basemapLayer(walk);
}

// Start drawing the walk's basemap (its worker and library) before the map exists: as soon as the walk's
// document is there, while Leaflet loads. basemap.js makes its Leaflet classes on first use only, so it
// may be imported before Leaflet.
export async function prepareBasemapLayer(walk, ahead = []) {
  const { prepareBasemap } = await import("./basemap.js");
  prepareBasemap(walk, ahead);
}
