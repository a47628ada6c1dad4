// The walk's basemap under a tour map made by folium (handout, standalone map): the walk's own vector
// tiles, drawn by the app's basemap hook, or the plain background with a note when none is installed.
const element = document.querySelector(".folium-map[data-walk-url][data-basemap-module]");

async function addBasemap() {
  // folium declares the map as a global variable named after its element's id.
  const map = window[element.id];
  const [walk, hook] = await Promise.all([
    fetch(element.dataset.walkUrl, { headers: { Accept: "application/json" } }).then((r) => r.json()),
    import(element.dataset.basemapModule),
  ]);
  const layer = await hook.createBasemapLayer(walk);
  layer.addTo(map);
  element.dataset.basemapReady = "yes";
}

if (element) {
  addBasemap().catch((error) => {
    element.dataset.basemapReady = "failed";
    console.warn("tour map: no basemap", error);
  });
}
