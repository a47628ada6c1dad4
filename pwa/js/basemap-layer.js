// The basemap hook: return a Leaflet layer drawn under the walk (map-view.js adds it and keeps the
// path and stops above it). `walk` is the /api/walks/<walk> document; its `basemap` member says where
// the tiles are. basemap.js draws them, or returns a short "plain background" notice without them.
export async function createBasemapLayer(walk) {
  // imported when the map exists: basemap.js extends Leaflet as it loads, so Leaflet must be there first
  const { basemapLayer } = await import("./basemap.js");
  return basemapLayer(walk);
}
