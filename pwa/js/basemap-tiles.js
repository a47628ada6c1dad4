// The basemap drawn by the worker in /workers/basemap.js: this Leaflet layer only asks for tiles and shows the bitmaps
// that come back, so the page's main thread stays free to follow the walker's finger while a dense old
// town is decoded, labelled and painted elsewhere.
import L from "./leaflet.js";

const WORKER_URL = "/workers/basemap.js";

// Can this browser draw the basemap in a worker? (Otherwise basemap.js draws it on the page.)
export const workerDrawingAvailable = () =>
  typeof Worker === "function" &&
  typeof OffscreenCanvas === "function" &&
  "transferToImageBitmap" in OffscreenCanvas.prototype;

// Start a worker with the drawing library and the style; resolve when it is ready, reject when it cannot be.
export function startTileWorker(setup) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { name: "kotoji-basemap" });
    const settle = (error) => {
      worker.removeEventListener("message", answered);
      worker.removeEventListener("error", failed);
      if (!error) return resolve(worker);
      worker.terminate();
      reject(error);
    };
    const answered = ({ data }) => {
      if (data.type === "ready") settle();
      else if (data.type === "failed") settle(new Error(data.message));
    };
    const failed = (event) => settle(new Error(event.message || `${WORKER_URL} did not start`));
    worker.addEventListener("message", answered);
    worker.addEventListener("error", failed);
    worker.postMessage({ type: "setup", ...setup });
  });
}

// A grid of canvases, each showing the bitmap the worker drew for it. The layer owns its worker: removed
// from the map, it stops it (a walk's basemap is made for that walk and added once).
export const workerTilesClass = () =>
  L.GridLayer.extend({
    initialize(worker, options) {
      L.GridLayer.prototype.initialize.call(this, options);
      this._worker = worker;
      this._shown = new Map(); // key -> {canvas, done}: tiles on the map, drawn or waiting for the worker
      this._receive = ({ data }) => data.type === "tile" && this._show(data.key, data.bitmap);
    },

    onAdd(map) {
      this._worker.addEventListener("message", this._receive);
      this.on("tileunload", this._forget, this);
      L.GridLayer.prototype.onAdd.call(this, map);
    },

    onRemove(map) {
      L.GridLayer.prototype.onRemove.call(this, map);
      this.off("tileunload", this._forget, this);
      this._worker.removeEventListener("message", this._receive);
      this._worker.terminate();
      this._shown.clear();
    },

    // Never added to a map: its worker stops all the same.
    dispose() {
      this._worker.terminate();
    },

    createTile(coords, done) {
      const canvas = L.DomUtil.create("canvas", "leaflet-tile");
      const size = this.getTileSize().multiplyBy(this.options.pixelRatio);
      canvas.width = size.x;
      canvas.height = size.y;
      const key = this._tileCoordsToKey(coords);
      this._shown.set(key, { canvas, done });
      canvas.dataset.key = key; // as asked for: see _forget
      const { x, y, z } = coords;
      this._worker.postMessage({ type: "draw", key, x, y, z, priority: this._distanceFromMiddle(coords) });
      return canvas;
    },

    // The tile left the map (panned away, or another zoom replaced it): the worker drops it too. Its key is
    // the one it was asked for under, not one worked out again from `coords`: Leaflet wraps coordinates with
    // the range of the zoom it shows now, which gives a tile of another zoom another key (never cancelled).
    _forget({ tile }) {
      tile.width = tile.height = 0; // its pixels go now, not at the next GC
      const key = tile.dataset.key;
      if (this._shown.get(key)?.canvas !== tile) return; // a newer tile was asked for under that key
      this._shown.delete(key);
      this._worker.postMessage({ type: "cancel", key });
    },

    _show(key, bitmap) {
      const tile = this._shown.get(key);
      if (!tile) return bitmap.close(); // it left the map while being drawn
      // A copy, but a cheap one: in bench/dense_map.py "bitmaprenderer"'s transferFromImageBitmap, meant to
      // be free, cost the page more (tasks over 200 ms while panning, none with drawImage).
      tile.canvas.getContext("2d").drawImage(bitmap, 0, 0);
      bitmap.close();
      tile.done?.(undefined, tile.canvas);
      tile.done = null; // drawn again later (its labels moved): shown, not loaded twice
    },

    // In tiles, from the middle of the view: the worker draws the nearest first.
    _distanceFromMiddle(coords) {
      const range = this._pxBoundsToTileRange(this._getTiledPixelBounds(this._map.getCenter()));
      return coords.distanceTo(range.getCenter());
    },
  });
