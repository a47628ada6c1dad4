// The offline basemap: OpenStreetMap vector tiles served by Kotoji itself (/tiles/<version>/{z}/{x}/{y}.mvt,
// listed in each walk's offline manifest), drawn on canvas by protomaps-leaflet.
// The style is made for a phone in the sun: strong contrasts, street names with a white halo, names in
// the local language (the OSM `name`, as on the street signs), fonts from the device only.
import { languageEvents, t } from "./i18n.js";
import L from "./leaflet.js";

const LIBRARY_URL = "/vendor/protomaps-leaflet/dist/protomaps-leaflet.js";
const ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
const LEVEL_DIFF = 1; // protomaps-leaflet draws 512 px data tiles: the map at zoom z shows data of zoom z - 1
const MAX_ZOOM = 18; // past the data's last zoom the same tiles are drawn larger
// Tiles are drawn at most at twice their CSS size: a phone's 2.6-3x screen makes each canvas 70-125 %
// more pixels to paint for a sharpness no one sees while walking (bench/dense_map.py measures it).
const MAX_PIXEL_RATIO = 2;
const FONT = "sans-serif"; // the device's own font: nothing is downloaded, and every script is covered
const LIGHT_COLOURS = {
  earth: "#f4f1ea",
  square: "#e6e0d4",
  park: "#a9d99a",
  water: "#6fb1e4",
  waterLabel: "#0b4f8a",
  building: "#d6cfc4",
  buildingEdge: "#aea596",
  road: "#ffffff",
  roadCasing: "#a39e93",
  major: "#ffd86b",
  majorCasing: "#b8860b",
  path: "#8a7f70",
  label: "#1f1f1f",
  halo: "#ffffff",
  place: "#3a3a3a",
};
const COLOURS = { ...LIGHT_COLOURS };

// The same map at night: dark ground, muted roads, light labels with a dark halo.
const DARK_COLOURS = {
  earth: "#23272a",
  square: "#2e3336",
  park: "#2f4a2c",
  water: "#1d3f5c",
  waterLabel: "#9cc7ee",
  building: "#3a3f43",
  buildingEdge: "#555b60",
  road: "#5a5f63",
  roadCasing: "#2a2d30",
  major: "#8a7330",
  majorCasing: "#3d3318",
  path: "#8f877c",
  label: "#eeeeee",
  halo: "#111111",
  place: "#dddddd",
};

let library = null;

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

const kindIs =
  (...kinds) =>
  (z, f) =>
    kinds.includes(f.props.kind);
const font = (weight, size) => `${weight} ${size}px ${FONT}`;

function paintRules(P) {
  return [
    { dataLayer: "earth", symbolizer: new P.PolygonSymbolizer({ fill: COLOURS.earth }) },
    {
      dataLayer: "landuse",
      symbolizer: new P.PolygonSymbolizer({ fill: COLOURS.park }),
      filter: kindIs("park", "garden", "grass", "village_green", "playground", "cemetery", "forest", "nature_reserve"),
    },
    {
      // squares and pedestrian streets: the heart of an old town, a shade darker than the ground
      dataLayer: "landuse",
      symbolizer: new P.PolygonSymbolizer({ fill: COLOURS.square }),
      filter: kindIs("pedestrian", "plaza"),
    },
    { dataLayer: "landcover", symbolizer: new P.PolygonSymbolizer({ fill: COLOURS.park, opacity: 0.6 }) },
    { dataLayer: "water", symbolizer: new P.PolygonSymbolizer({ fill: COLOURS.water }) },
    {
      dataLayer: "buildings",
      symbolizer: new P.PolygonSymbolizer({ fill: COLOURS.building, stroke: COLOURS.buildingEdge, width: 0.5 }),
    },
    {
      dataLayer: "roads",
      symbolizer: new P.LineSymbolizer({ color: COLOURS.path, width: 1.5, dash: [3, 2] }),
      filter: kindIs("path"),
    },
    {
      dataLayer: "roads",
      symbolizer: new P.LineSymbolizer({
        color: COLOURS.roadCasing,
        width: P.exp(1.6, [
          [13, 1.5],
          [18, 14],
        ]),
      }),
      filter: kindIs("minor_road", "other"),
    },
    {
      dataLayer: "roads",
      symbolizer: new P.LineSymbolizer({
        color: COLOURS.majorCasing,
        width: P.exp(1.6, [
          [12, 2.5],
          [18, 20],
        ]),
      }),
      filter: kindIs("major_road", "medium_road", "highway"),
    },
    {
      dataLayer: "roads",
      symbolizer: new P.LineSymbolizer({
        color: COLOURS.road,
        width: P.exp(1.6, [
          [13, 0.5],
          [18, 11],
        ]),
      }),
      filter: kindIs("minor_road", "other"),
    },
    {
      dataLayer: "roads",
      symbolizer: new P.LineSymbolizer({
        color: COLOURS.major,
        width: P.exp(1.6, [
          [12, 1.5],
          [18, 16],
        ]),
      }),
      filter: kindIs("major_road", "medium_road", "highway"),
    },
  ];
}

function labelRules(P) {
  const local = ["name"];
  return [
    {
      dataLayer: "roads",
      symbolizer: new P.LineLabelSymbolizer({
        labelProps: local,
        fill: COLOURS.label,
        stroke: COLOURS.halo,
        width: 3,
        font: font(600, 13),
      }),
      filter: kindIs("major_road", "medium_road", "highway"),
    },
    {
      dataLayer: "roads",
      minzoom: 15,
      symbolizer: new P.LineLabelSymbolizer({
        labelProps: local,
        fill: COLOURS.label,
        stroke: COLOURS.halo,
        width: 3,
        font: font(500, 12),
      }),
      filter: kindIs("minor_road", "other", "path"),
    },
    {
      dataLayer: "water",
      symbolizer: new P.CenteredTextSymbolizer({
        labelProps: local,
        fill: COLOURS.waterLabel,
        stroke: COLOURS.halo,
        width: 2,
        font: `italic ${font(500, 13)}`,
      }),
    },
    {
      dataLayer: "landuse",
      minzoom: 15,
      symbolizer: new P.CenteredTextSymbolizer({
        labelProps: local,
        fill: "#24571b",
        stroke: COLOURS.halo,
        width: 2,
        font: font(500, 12),
      }),
      filter: kindIs("park", "garden"),
    },
    {
      dataLayer: "places",
      symbolizer: new P.CenteredTextSymbolizer({
        labelProps: local,
        fill: COLOURS.place,
        stroke: COLOURS.halo,
        width: 3,
        font: font(700, 15),
      }),
    },
  ];
}

// The basemap under the walk, keeping the map to the walk's area and to the zooms the tiles serve.
// (Classes are made on first use, so importing this module never depends on Leaflet being loaded.)
const walkBasemapClass = () =>
  L.Layer.extend({
    initialize(tiles, basemap) {
      this._tiles = tiles;
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
      this._tiles.addTo(map);
    },
    onRemove(map) {
      map.removeLayer(this._tiles);
      map.setMaxBounds(this._previous.maxBounds || null);
      map.setMinZoom(this._previous.minZoom);
      map.setMaxZoom(this._previous.maxZoom);
      delete map.getContainer().dataset.basemap;
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

// Light or dark, as the phone is set (prefers-color-scheme); paint rules read COLOURS when made.
function useColourScheme() {
  const dark = window.matchMedia?.("(prefers-color-scheme: dark)").matches;
  Object.assign(COLOURS, dark ? DARK_COLOURS : LIGHT_COLOURS);
}

// Return the walk's basemap layer, or the plain-background notice when the walk has no basemap.
let WalkBasemap = null;
let BasemapNotice = null;

export async function basemapLayer(walk) {
  useColourScheme();
  WalkBasemap ||= walkBasemapClass();
  BasemapNotice ||= basemapNoticeClass();
  const basemap = walk.basemap;
  if (!basemap) return new BasemapNotice();
  let P;
  try {
    P = await loadLibrary();
  } catch (error) {
    console.warn("basemap drawing library unavailable, using the plain background", error);
    return new BasemapNotice();
  }
  const tiles = P.leafletLayer({
    url: basemap.tiles,
    maxDataZoom: basemap.maxzoom,
    levelDiff: LEVEL_DIFF,
    paintRules: paintRules(P),
    labelRules: labelRules(P),
    backgroundColor: COLOURS.earth,
    attribution: ATTRIBUTION,
    maxZoom: MAX_ZOOM,
    devicePixelRatio: Math.min(window.devicePixelRatio || 1, MAX_PIXEL_RATIO),
  });
  tiles.once("load", () => performance.mark("kotoji:basemap-drawn")); // read by bench/pwa_figures.py
  return new WalkBasemap(tiles, basemap);
}
