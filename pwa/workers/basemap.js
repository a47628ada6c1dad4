// Draws the basemap's tiles off the page's main thread: fetches each tile (through the service worker,
// so a downloaded walk draws offline), decodes it and places its labels with protomaps-leaflet's own
// decoder and labeler, paints it on an OffscreenCanvas (basemap-paint.js: the library's painter, one
// path per rule), and hands the page an ImageBitmap
// (js/basemap-tiles.js asks and shows). One label index for every tile, so street names are placed
// across tile edges as on the page, and a label moved by a later tile redraws the tiles it touched.
// The bytes of every tile asked for are fetched at once (waiting on the service worker is I/O, not work),
// while the tiles are decoded and painted one at a time, the nearest the middle first.
//
// A classic worker, not a module: protomaps-leaflet's browser build is a classic script (importScripts),
// and its ES module build imports packages by bare name, which a worker cannot resolve without a
// bundler. The style is the page's own module (js/basemap-style.js), imported dynamically.
// It lives outside js/ because it is no module of the page: index.html preloads every one of those.
//
// Messages in:  {type: "setup", library, tiles, maxDataZoom, levelDiff, pixelRatio, dark}
//               {type: "draw", key, x, y, z, priority}   a tile the map shows (key: Leaflet's "x:y:z")
//               {type: "cancel", key}                    the tile left the map: forget it
// Messages out: {type: "ready"} or {type: "failed", message} once, after setup
//               {type: "tile", key, bitmap}              drawn (again, when its labels changed)

const BUFFER = 16; // CSS px around a tile whose features are painted too: strokes crossing its edge
const MAX_LABELED_TILES = 16; // as protomaps-leaflet's own layer
const TILE = 256; // CSS px

let drawer = null;
const wanted = new Map(); // key -> {x, y, z, priority}: the tiles the map shows and is waiting for
const queue = new Set(); // keys of wanted tiles to draw (or to draw again)
let newestZoom = null; // only the zoom the map went to last is drawn; others wait (or are cancelled)
let drawing = false;
const fetched = new Map(); // data tile URL -> {controller, bytes: Promise<ArrayBuffer>}: fetched ahead of drawing

self.addEventListener("message", ({ data }) => {
  if (data.type === "setup") {
    setUp(data).then(
      () => self.postMessage({ type: "ready" }),
      (error) => self.postMessage({ type: "failed", message: String(error) }),
    );
  } else if (data.type === "draw") {
    const { key, x, y, z, priority } = data;
    wanted.set(key, { x, y, z, priority });
    queue.add(key);
    newestZoom = z;
    fetchAhead(wanted.get(key));
    drawNext();
  } else if (data.type === "cancel") {
    const tile = wanted.get(data.key);
    wanted.delete(data.key);
    queue.delete(data.key);
    if (tile) forgetBytes(tile);
  }
});

async function setUp(options) {
  self.importScripts(options.library);
  const P = self.protomapsL;
  const [style, { paintTile }] = await Promise.all([
    import("/js/basemap-style.js"),
    import("/workers/basemap-paint.js"),
  ]);
  const colours = style.coloursFor(options.dark);
  const tileSize = TILE * options.pixelRatio;
  const canvas = new OffscreenCanvas(tileSize, tileSize);
  drawer = {
    P,
    template: options.tiles,
    // protomaps-leaflet's own view and decoder (PmtilesSource parses what an archive's getZxy returns),
    // fed with the bytes fetched ahead instead of its ZxySource's fetch-then-decode, one tile at a time
    views: new Map([
      [
        "",
        new P.View(
          new P.TileCache(new P.PmtilesSource(archive, false), TILE << options.levelDiff),
          options.maxDataZoom,
          options.levelDiff,
        ),
      ],
    ]),
    paintRules: style.paintRules(P, colours),
    labelers: new P.Labelers(
      new OffscreenCanvas(1, 1).getContext("2d"), // measures label text: no document in a worker
      style.labelRules(P, colours),
      MAX_LABELED_TILES,
      redrawTiles,
    ),
    paintTile,
    background: colours.earth,
    canvas,
    context: canvas.getContext("2d"),
    scale: tileSize / TILE,
  };
  for (const tile of wanted.values()) fetchAhead(tile);
  drawNext();
}

// The tile archive protomaps-leaflet's PmtilesSource reads: a data tile's bytes, fetched ahead if asked.
const archive = {
  getZxy: async (z, x, y) => ({ data: await tileBytes(tileUrl({ z, x, y })) }),
};

const tileUrl = ({ z, x, y }) => drawer.template.replace("{z}", z).replace("{x}", x).replace("{y}", y);
const dataTileUrl = (tile) => tileUrl(drawer.views.get("").dataTileForDisplayTile(tile).dataTile);

// Start fetching the bytes of the data tile a wanted tile is drawn from (once for the tiles sharing it).
function fetchAhead(tile) {
  if (!drawer || !tile) return;
  const url = dataTileUrl(tile);
  if (fetched.has(url)) return;
  const controller = new AbortController();
  const bytes = self.fetch(url, { signal: controller.signal }).then((response) => {
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  bytes.catch(() => {}); // a failure is reported when the tile is drawn, not as an unhandled rejection
  fetched.set(url, { controller, bytes });
}

// The bytes for drawing a tile: those fetched ahead, handed over once (the decoded tile is cached).
// A global, so bench/dense_map.py can tell the time a tile waits for its bytes from the time it is worked on.
function tileBytes(url) {
  const ahead = fetched.get(url);
  fetched.delete(url);
  if (ahead) return ahead.bytes;
  return self.fetch(url).then((response) => {
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
}

// A tile left the map: its bytes are no longer fetched unless another wanted tile is drawn from them.
function forgetBytes(tile) {
  if (!drawer) return;
  const url = dataTileUrl(tile);
  for (const other of wanted.values()) if (dataTileUrl(other) === url) return;
  fetched.get(url)?.controller.abort();
  fetched.delete(url);
}

// A label placed for a new tile pushed out one drawn earlier: the tiles it crossed are drawn again.
function redrawTiles(keys) {
  for (const key of keys) if (wanted.has(key)) queue.add(key);
}

// One tile at a time, the one nearest the middle of the view first; the message loop runs between
// the steps, so a tile cancelled meanwhile is dropped before the next step.
async function drawNext() {
  if (drawing || !drawer) return;
  drawing = true;
  try {
    for (let key = nextKey(); key; key = nextKey()) {
      queue.delete(key);
      try {
        await drawTile(key, wanted.get(key));
      } catch (error) {
        console.warn("basemap tile not drawn", key, error);
      }
    }
  } finally {
    drawing = false;
  }
}

function nextKey() {
  let best = null;
  for (const key of queue) {
    const tile = wanted.get(key);
    if (tile.z !== newestZoom) continue;
    if (!best || tile.priority < wanted.get(best).priority) best = key;
  }
  return best;
}

async function drawTile(key, tile) {
  const prepared = new Map();
  for (const [name, view] of drawer.views) {
    try {
      prepared.set(name, [await view.getDisplayTile(tile)]);
    } catch (error) {
      if (error.name === "AbortError") {
        // its bytes were no longer wanted when fetched: it waits in the queue, if the map wants it again
        if (wanted.get(key) === tile) queue.add(key);
        return;
      }
      console.warn("basemap tile unavailable", key, error); // drawn as plain ground, as on the page
    }
  }
  if (wanted.get(key) !== tile) return;
  drawer.labelers.add(tile.z, prepared);
  const bitmap = paint(tile, prepared);
  self.postMessage({ type: "tile", key, bitmap }, [bitmap]); // transferred: no copy
}

function paint(tile, prepared) {
  const { P, context, scale, paintTile } = drawer;
  context.setTransform(scale, 0, 0, scale, 0, 0);
  context.clearRect(0, 0, TILE, TILE);
  context.fillStyle = drawer.background;
  context.fillRect(0, 0, TILE, TILE);
  const origin = { x: TILE * tile.x, y: TILE * tile.y };
  const bbox = {
    minX: origin.x - BUFFER,
    minY: origin.y - BUFFER,
    maxX: origin.x + TILE + BUFFER,
    maxY: origin.y + TILE + BUFFER,
  };
  paintTile(P, context, tile.z, prepared, drawer.labelers.getIndex(tile.z), drawer.paintRules, bbox, origin);
  return drawer.canvas.transferToImageBitmap();
}
