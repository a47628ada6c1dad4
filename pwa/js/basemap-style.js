// The basemap's look, shared by the page (protomaps-leaflet on the main thread) and pwa/workers/basemap.js
// (the same library in a worker): colours for light and dark, and the paint and label rules.
// The style is made for a phone in the sun: strong contrasts, street names with a white halo, names in
// the local language (the OSM `name`, as on the street signs), fonts from the device only.
// No DOM and no Leaflet here: it also runs in the worker. `P` is protomaps-leaflet's namespace.

const FONT = "sans-serif"; // the device's own font: nothing is downloaded, and every script is covered

export const LIGHT_COLOURS = {
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

// The same map at night: dark ground, muted roads, light labels with a dark halo.
export const DARK_COLOURS = {
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

const kindIs =
  (...kinds) =>
  (z, f) =>
    kinds.includes(f.props.kind);
const font = (weight, size) => `${weight} ${size}px ${FONT}`;

const MINOR = ["minor_road", "other"];
const MAJOR = ["major_road", "medium_road", "highway"];

export function paintRules(P, colours) {
  const road = (color, from, to, kinds) => ({
    dataLayer: "roads",
    symbolizer: new P.LineSymbolizer({ color, width: P.exp(1.6, [from, to]) }),
    filter: kindIs(...kinds),
  });
  return [
    { dataLayer: "earth", symbolizer: new P.PolygonSymbolizer({ fill: colours.earth }) },
    {
      dataLayer: "landuse",
      symbolizer: new P.PolygonSymbolizer({ fill: colours.park }),
      filter: kindIs("park", "garden", "grass", "village_green", "playground", "cemetery", "forest", "nature_reserve"),
    },
    {
      // squares and pedestrian streets: the heart of an old town, a shade darker than the ground
      dataLayer: "landuse",
      symbolizer: new P.PolygonSymbolizer({ fill: colours.square }),
      filter: kindIs("pedestrian", "plaza"),
    },
    { dataLayer: "landcover", symbolizer: new P.PolygonSymbolizer({ fill: colours.park, opacity: 0.6 }) },
    { dataLayer: "water", symbolizer: new P.PolygonSymbolizer({ fill: colours.water }) },
    {
      dataLayer: "buildings",
      symbolizer: new P.PolygonSymbolizer({ fill: colours.building, stroke: colours.buildingEdge, width: 0.5 }),
    },
    {
      dataLayer: "roads",
      symbolizer: new P.LineSymbolizer({ color: colours.path, width: 1.5, dash: [3, 2] }),
      filter: kindIs("path"),
    },
    // casings under the roads, then the roads: widths grow exponentially with the zoom, as in Protomaps' styles
    road(colours.roadCasing, [13, 1.5], [18, 14], MINOR),
    road(colours.majorCasing, [12, 2.5], [18, 20], MAJOR),
    road(colours.road, [13, 0.5], [18, 11], MINOR),
    road(colours.major, [12, 1.5], [18, 16], MAJOR),
  ];
}

export function labelRules(P, colours) {
  const local = ["name"];
  return [
    {
      dataLayer: "roads",
      symbolizer: new P.LineLabelSymbolizer({
        labelProps: local,
        fill: colours.label,
        stroke: colours.halo,
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
        fill: colours.label,
        stroke: colours.halo,
        width: 3,
        font: font(500, 12),
      }),
      filter: kindIs("minor_road", "other", "path"),
    },
    {
      dataLayer: "water",
      symbolizer: new P.CenteredTextSymbolizer({
        labelProps: local,
        fill: colours.waterLabel,
        stroke: colours.halo,
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
        stroke: colours.halo,
        width: 2,
        font: font(500, 12),
      }),
      filter: kindIs("park", "garden"),
    },
    {
      dataLayer: "places",
      symbolizer: new P.CenteredTextSymbolizer({
        labelProps: local,
        fill: colours.place,
        stroke: colours.halo,
        width: 3,
        font: font(700, 15),
      }),
    },
  ];
}

// The colours of the phone's scheme (prefers-color-scheme, read by the page: a worker cannot ask).
export const coloursFor = (dark) => (dark ? DARK_COLOURS : LIGHT_COLOURS);
