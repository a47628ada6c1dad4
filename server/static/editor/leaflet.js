// Leaflet is loaded as the allow-listed classic script /vendor/leaflet/dist/leaflet.js;
// this hands it to the modules so nothing else reaches for the global.
export default globalThis.L;
