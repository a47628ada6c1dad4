// Paints one basemap tile in the worker: what protomaps-leaflet's paint() does, with the same rules,
// symbolizers and label index, but each rule's features in one path, filled and stroked once.
// An old town's tile holds thousands of houses and lanes: one path per rule is a few dozen draw calls
// for the rasteriser instead of thousands (bench/dense_map.py: with the CPU slowed 4x, the first view
// is drawn about a fifth sooner after the route). It draws the same shapes, with three visible
// differences, all small: where two features' antialiased edges meet
// (two streets crossing, one street in two pieces) the pixel is covered once, with no faint seam; a
// translucent rule blends once where its features overlap; and where two houses overlap, both outlines
// show (all fills, then all edges), where the library's later house hid the earlier one's edge.
// tests/test_basemap_paint.py compares the two painters on a city's density.
// Symbolizers that vary per feature, or that this file does not know, are drawn one feature at a time, as
// protomaps-leaflet draws them.

const featureInView = (feature, tile, bbox) => {
  const box = feature.bbox;
  const scale = tile.scale;
  return !(
    box.maxX * scale + tile.origin.x < bbox.minX ||
    box.minX * scale + tile.origin.x > bbox.maxX ||
    box.minY * scale + tile.origin.y > bbox.maxY ||
    box.maxY * scale + tile.origin.y < bbox.minY
  );
};

function addRings(context, geometry, scale) {
  for (const ring of geometry) {
    for (let i = 0; i < ring.length; i++) {
      const point = ring[i];
      if (i === 0) context.moveTo(point.x * scale, point.y * scale);
      else context.lineTo(point.x * scale, point.y * scale);
    }
  }
}

// How a symbolizer draws a whole rule's path at once, or null when it must draw feature by feature.
function batchedDraw(P, symbolizer) {
  if (symbolizer.perFeature) return null;
  if (symbolizer instanceof P.PolygonSymbolizer && !symbolizer.pattern) {
    return (context) => {
      context.fill();
      if (symbolizer.doStroke) context.stroke(); // before() set it when the rule has an edge width
    };
  }
  if (symbolizer instanceof P.LineSymbolizer && !symbolizer.skip) {
    return (context, z) => {
      context.save();
      if (symbolizer.dash) context.setLineDash(symbolizer.dash.get(z));
      context.stroke();
      context.restore();
    };
  }
  return null;
}

// The arguments are protomaps-leaflet paint()'s (without clipping, which the worker never asks for).
export function paintTile(P, context, z, prepared, labelIndex, rules, bbox, origin) {
  context.save();
  context.miterLimit = 2;
  for (const rule of rules) {
    if ((rule.minzoom && z < rule.minzoom) || (rule.maxzoom && z > rule.maxzoom)) continue;
    const symbolizer = rule.symbolizer;
    const draw = batchedDraw(P, symbolizer);
    for (const tile of prepared.get(rule.dataSource || "") || []) {
      const features = tile.data.get(rule.dataLayer);
      if (features === undefined) continue;
      symbolizer.before?.(context, tile.z);
      context.save();
      context.translate(tile.origin.x - origin.x, tile.origin.y - origin.y);
      if (draw) context.beginPath();
      for (const feature of features) {
        if (!featureInView(feature, tile, bbox) || (rule.filter && !rule.filter(tile.z, feature))) continue;
        if (draw) addRings(context, feature.geom, tile.scale);
        else {
          const geometry = tile.scale === 1 ? feature.geom : P.transformGeom(feature.geom, tile.scale, { x: 0, y: 0 });
          symbolizer.draw(context, geometry, tile.z, feature);
        }
      }
      if (draw) draw(context, tile.z);
      context.restore();
    }
  }
  if (labelIndex) {
    for (const label of labelIndex.searchBbox(bbox, Infinity)) {
      context.save();
      context.translate(label.anchor.x - origin.x, label.anchor.y - origin.y);
      label.draw(context);
      context.restore();
    }
  }
  context.restore();
}
