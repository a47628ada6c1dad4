// The offline basemap: OpenStreetMap vector tiles served by Kotoji itself (/tiles/<version>/{z}/{x}/{y}.mvt,
// listed in each walk's offline manifest), drawn on canvas by protomaps-leaflet: in a worker where the
// browser can (basemap-tiles.js and its worker, pwa/workers/basemap.js), else on the page.
// The style (colours, paint and label rules) is basemap-style.js.
import { languageEvents, t } from "./i18n.js";
import { coloursFor, labelRules, paintRules } from "./basemap-style.js";
import { startTileWorker, workerDrawingAvailable, workerTilesClass } from "./basemap-tiles.js";
import L from "./leaflet.js";

const LIBRARY_URL = "/vendor/protomaps-leaflet/dist/protomaps-leaflet.js";
const ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
const LEVEL_DIFF = 1; // protomaps-leaflet draws 512 px data tiles: the map at zoom z shows data of zoom z - 1
const MAX_ZOOM = 18; // past the data's last zoom the same tiles are drawn larger
// Tiles are drawn at most at twice their CSS size: a phone's 2.6-3x screen makes each canvas 70-125 %
// more pixels to paint for a sharpness no one sees while walking (bench/dense_map.py measures it).
const MAX_PIXEL_RATIO = 2;

let library = null;
let early = null; // {setup, worker: Promise<Worker or the Error it failed with>}: started by prepareBasemap, not yet used

// protomaps-leaflet's browser build (a classic script that extends the page's Leaflet), loaded once.
function loadLibrary() {
  if (!library) {
    library = new Promise((resolve, reject) => {
      if (window.protomapsL) return resolve(window.protomapsL);
      const script = document.createElement("script");
      script.src = LIBRARY_URL;
      script.onload = () =>
        window.protomapsL ? resolve(window.protomapsL) : reject(new Error("protomaps-leaflet did not load"));
      script.onerror = () => {
        library = null;
        reject(new Error(`${LIBRARY_URL} is unavailable`));
      };
      document.head.append(script);
    });
  }
  return library;
}

// The basemap under the walk, keeping the map to the walk's area and to the zooms the tiles serve.
// (Classes are made on first use, so importing this module never depends on Leaflet being loaded.)
const walkBasemapClass = () =>
  L.Layer.extend({
    initialize(tiles, basemap, drawer) {
      this._tiles = tiles;
      this._drawer = drawer;
      const [west, south, east, north] = basemap.bounds;
      this._bounds = L.latLngBounds([south, west], [north, east]);
      this._minZoom = basemap.minzoom + LEVEL_DIFF;
    },
    onAdd(map) {
      this._previous = { minZoom: map.getMinZoom(), maxZoom: map.getMaxZoom(), maxBounds: map.options.maxBounds };
      map.setMaxZoom(MAX_ZOOM);
      map.setMinZoom(this._minZoom);
      map.setMaxBounds(this._bounds.pad(0.15));
      map.getContainer().dataset.basemap = "vector";
      map.getContainer().dataset.basemapDrawer = this._drawer; // "worker" or "page": read by tests and benches
      this._tiles.addTo(map);
    },
    // Made but never added (the walker went to another walk meanwhile): its worker stops.
    dispose() {
      this._tiles.dispose?.();
    },
    onRemove(map) {
      map.removeLayer(this._tiles);
      map.setMaxBounds(this._previous.maxBounds || null);
      map.setMinZoom(this._previous.minZoom);
      map.setMaxZoom(this._previous.maxZoom);
      delete map.getContainer().dataset.basemap;
      delete map.getContainer().dataset.basemapDrawer;
    },
  });

// No basemap: the route and stops on the plain background, and a short note saying so.
const basemapNoticeClass = () =>
  L.Layer.extend({
    onAdd(map) {
      this._control = L.control({ position: "bottomleft" });
      this._control.onAdd = () => {
        const note = L.DomUtil.create("div", "leaflet-control-attribution basemap-notice");
        note.setAttribute("role", "status");
        note.textContent = t("map.no_basemap");
        return note;
      };
      this._control.addTo(map);
      this._translate = () => (this._control.getContainer().textContent = t("map.no_basemap"));
      languageEvents.addEventListener("change", this._translate);
      map.getContainer().dataset.basemap = "none";
    },
    onRemove(map) {
      languageEvents.removeEventListener("change", this._translate);
      this._control.remove();
      delete map.getContainer().dataset.basemap;
    },
  });

// Light or dark, as the phone is set (prefers-color-scheme).
const prefersDark = () => Boolean(window.matchMedia?.("(prefers-color-scheme: dark)").matches);

// Return the walk's basemap layer, or the plain-background notice when the walk has no basemap.
let WalkBasemap = null;
let BasemapNotice = null;
let WorkerTiles = null;

// Start the walk's basemap worker now (importing the drawing library and the style takes it a while), in
// parallel with the page loading Leaflet and drawing the route; basemapLayer(walk) then takes it over.
export function prepareBasemap(walk) {
  const basemap = walk.basemap;
  if (!basemap || drawOnPage()) return;
  const setup = workerSetup(basemap, prefersDark(), drawingPixelRatio());
  if (early && sameSetup(early.setup, setup)) return;
  discardEarly();
  early = { setup, worker: startTileWorker(setup).catch((error) => error) };
}

function sameSetup(a, b) {
  return Object.keys(a).every((name) => a[name] === b[name]);
}

// A worker started for a walk that was not drawn after all: stopped, not left idle.
function discardEarly() {
  early?.worker.then((worker) => worker instanceof Error || worker.terminate());
  early = null;
}

const drawingPixelRatio = () => Math.min(window.devicePixelRatio || 1, MAX_PIXEL_RATIO);

export async function basemapLayer(walk) {
  WalkBasemap ||= walkBasemapClass();
  BasemapNotice ||= basemapNoticeClass();
  const basemap = walk.basemap;
  if (!basemap) return new BasemapNotice();
  const dark = prefersDark();
  const pixelRatio = drawingPixelRatio();
  let drawer = "worker";
  let tiles = drawOnPage() ? null : await workerTiles(basemap, dark, pixelRatio);
  if (!tiles) {
    drawer = "page";
    tiles = await pageTiles(basemap, coloursFor(dark), pixelRatio);
  }
  if (!tiles) return new BasemapNotice();
  tiles.once("load", () => performance.mark("kotoji:basemap-drawn")); // read by bench/pwa_figures.py
  return new WalkBasemap(tiles, basemap, drawer);
}

// `?basemap=page` draws on the page even where a worker could: bench/dense_map.py compares the two.
const drawOnPage = () =>
  !workerDrawingAvailable() || new URLSearchParams(window.location.search).get("basemap") === "page";

// The tiles drawn in a worker (basemap-tiles.js), or null when the worker cannot start here.
async function workerTiles(basemap, dark, pixelRatio) {
  const setup = workerSetup(basemap, dark, pixelRatio);
  let started;
  if (early && sameSetup(early.setup, setup)) {
    started = early.worker; // the one prepareBasemap started
    early = null;
  } else {
    discardEarly();
    started = startTileWorker(setup).catch((error) => error);
  }
  const worker = await started;
  if (worker instanceof Error) {
    console.warn("basemap worker unavailable, drawing the basemap on the page", worker);
    return null;
  }
  WorkerTiles ||= workerTilesClass();
  return new WorkerTiles(worker, { attribution: ATTRIBUTION, maxZoom: MAX_ZOOM, pixelRatio });
}

const workerSetup = (basemap, dark, pixelRatio) => ({
  library: LIBRARY_URL,
  tiles: absoluteTemplate(basemap.tiles),
  maxDataZoom: basemap.maxzoom,
  levelDiff: LEVEL_DIFF,
  pixelRatio,
  dark,
});

// The worker resolves URLs against its own script's: it gets the page's reading of the template.
const absoluteTemplate = (template) =>
  new URL(template, document.baseURI).href.replaceAll("%7B", "{").replaceAll("%7D", "}");

// The tiles drawn on the page by protomaps-leaflet's own layer, or null without the library.
async function pageTiles(basemap, colours, pixelRatio) {
  let P;
  try {
    P = await loadLibrary();
  } catch (error) {
    console.warn("basemap drawing library unavailable, using the plain background", error);
    return null;
  }
  return P.leafletLayer({
    url: basemap.tiles,
    maxDataZoom: basemap.maxzoom,
    levelDiff: LEVEL_DIFF,
    paintRules: paintRules(P, colours),
    labelRules: labelRules(P, colours),
    backgroundColor: colours.earth,
    attribution: ATTRIBUTION,
    maxZoom: MAX_ZOOM,
    devicePixelRatio: pixelRatio,
  });
}
