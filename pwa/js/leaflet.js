// Leaflet, loaded as its minified build (see server/web/vendor_files.py for why) by a script element
// the page adds itself: the first screen's text and data do not wait for the map library.
// Modules import the library from here; the binding is live, so it holds Leaflet once loaded.
const LEAFLET_URL = "/vendor/leaflet/dist/leaflet.js";
let L = window.L;
let loading = null;
export { L as default };

export function loadLeaflet() {
  loading ??= new Promise((resolve, reject) => {
    if (window.L) return resolve((L = window.L));
    const script = document.createElement("script");
    script.src = LEAFLET_URL;
    script.addEventListener("load", () => resolve((L = window.L)));
    script.addEventListener("error", () => {
      loading = null;
      reject(new Error(`${LEAFLET_URL} did not load`));
    });
    document.head.append(script);
  });
  return loading;
}
