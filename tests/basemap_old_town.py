"""Basemap tiles with the shape and density of a real old town (central Ghent), for the map-speed bench.

`basemap_planet.py`'s "city" density fills tiles with random lines and boxes until they weigh what a
city tile weighs: thousands of 600-unit strokes crossing each other, every one a labelled street, even
at zoom 12. No real tile looks like that, and a renderer's cost follows what is in a tile (labels,
vertices, overlapping strokes), not its bytes. Here one made-up town is built once in metres and each
tile is cut from it, as Planetiler cuts the Protomaps build from OpenStreetMap:

- streets: a jittered grid (blocks of 70-130 m), named per line, major every fifth line, some lanes;
  each street segment one feature; minor streets from z13, lanes from z14, as in the Protomaps schema;
- buildings: row houses along every block edge (6-12 m fronts, 9-18 m deep) and a few big halls in
  courtyards, ~4,000 per km² as in Ghent's centre; at z15 each house is its own polygon, at z14 the
  houses of a block are merged (Protomaps merges nearby buildings below z15), none below z14;
- water: a winding river 25-40 m wide and a canal, with names; parks and squares in some blocks;
- points of interest with names (cafés, churches, museums) from z14, place names at z12-13.

A z15 tile in the centre weighs about 80-120 KB gzipped (the size of the Protomaps build's tiles in
central Ghent), a z14 tile about as much, a z12-13 tile a few tens of KB.
"""

import gzip
import math
import random
from functools import lru_cache

import mapbox_vector_tile
import mercantile
from shapely import affinity, set_precision
from shapely.geometry import LineString, Point, Polygon, box
from shapely.ops import unary_union
from shapely.strtree import STRtree

from .basemap_planet import STREETS

EXTENT = 4096
CENTRE = (3.7225, 51.0543)  # Korenmarkt, Ghent
RADIUS_M = 2600  # the old town and its 19th-century ring: beyond it, only the street grid thins out
STREET_NAMES = [
    *STREETS,
    "Sint-Michielsstraat",
    "Kortrijksestraat",
    "Lange Munt",
    "Kraanlei",
    "Oudburg",
    "Sluizeken",
    "Brabantdam",
    "Zuidstraat",
    "Limburgstraat",
    "Mageleinstraat",
    "Walpoortstraat",
]
LAYER_ORDER = ["earth", "water", "landuse", "roads", "buildings", "pois", "places"]
POI_KINDS = ["cafe", "restaurant", "church", "museum", "bakery", "pharmacy", "bar", "shop"]


def _metres_to_mercator(lon: float, lat: float):
    """Return (x, y) of the centre in Web Mercator metres and the scale of one ground metre there."""
    x, y = mercantile.xy(lon, lat)
    return x, y, 1 / math.cos(math.radians(lat))


@lru_cache(maxsize=1)
def old_town() -> dict[str, list[tuple]]:
    """Build the town once: {layer: [(shape in Mercator metres, properties, min_zoom)]}."""
    rng = random.Random("kotoji-old-town")
    cx, cy, k = _metres_to_mercator(*CENTRE)

    def place(points):
        return [(cx + px * k, cy + py * k) for px, py in points]

    layers: dict[str, list[tuple]] = {
        name: [] for name in ("water", "landuse", "roads", "buildings", "pois", "merged_buildings")
    }
    # Street corners: a jittered grid, in ground metres from the centre.
    spacing, count = 100, RADIUS_M // 100
    nodes = {
        (i, j): (i * spacing + rng.uniform(-30, 30), j * spacing + rng.uniform(-30, 30))
        for i in range(-count, count + 1)
        for j in range(-count, count + 1)
    }
    river = LineString(
        place([(t, 260 * math.sin(t / 700) + 120 * math.sin(t / 230)) for t in range(-RADIUS_M, RADIUS_M + 1, 40)])
    ).buffer(16 * k)
    canal = LineString(place([(300 + 0.1 * t, t) for t in range(-RADIUS_M, RADIUS_M + 1, 50)])).buffer(9 * k)
    water = unary_union([river, canal])
    layers["water"] += [
        (river, {"kind": "river", "name": "Leie"}, 10),
        (canal, {"kind": "canal", "name": "Ketelvest"}, 12),
    ]
    layers["roads"] += _streets(rng, nodes, place, water)
    for i, j in nodes:
        corners = [nodes.get(c) for c in ((i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1))]
        if None not in corners:
            block = _block(Polygon(place(corners)), water, k)
            if block is not None:
                _fill_block(rng, block, k, STREET_NAMES[(i * 3 + j) % len(STREET_NAMES)], layers)
    return layers


def _streets(rng, nodes, place, water) -> list[tuple]:
    """One feature per street between two corners, named per grid line, major every fifth line."""
    streets = []
    for (i, j), a in nodes.items():
        for di, dj in ((1, 0), (0, 1)):
            b = nodes.get((i + di, j + dj))
            if b is None or rng.random() < 0.08:  # some streets missing: bigger, irregular blocks
                continue
            # OSM streets bend: a few vertices between the corners
            bends = [
                (a[0] + (b[0] - a[0]) * t + rng.uniform(-3, 3), a[1] + (b[1] - a[1]) * t + rng.uniform(-3, 3))
                for t in (0.2, 0.4, 0.6, 0.8)
            ]
            line = LineString(place([a, *bends, b]))
            if line.within(water):
                continue
            number = j if di else i
            name = STREET_NAMES[(number * 7 + (i if dj else j) // 4) % len(STREET_NAMES)]
            kind, min_zoom = ("major_road", 11) if number % 5 == 0 else ("minor_road", 13)
            streets.append((line, {"kind": kind, "name": name, "min_zoom": min_zoom}, min_zoom))
    return streets


def _block(corners: Polygon, water, k: float) -> Polygon | None:
    """The built land between four streets (less their half width and any water), or None."""
    block = corners.buffer(-6 * k)
    if block.is_empty or not block.intersects(water):
        return None if block.is_empty else block
    block = block.difference(water.buffer(8 * k))
    if block.is_empty or block.area < (40 * k) ** 2:
        return None
    return block if block.geom_type == "Polygon" else max(block.geoms, key=lambda g: g.area)


def _fill_block(rng, block: Polygon, k: float, name: str, layers) -> None:
    """Make the block a park, a square, or row houses with lanes, footways and shops."""
    roll = rng.random()
    if roll < 0.04:
        layers["landuse"].append((block, {"kind": "park", "name": f"Park {name}"}, 12))
        return
    if roll < 0.07:
        layers["landuse"].append((block, {"kind": "pedestrian", "name": name}, 13))
        return
    if roll < 0.25:  # a lane through the block
        mid = block.centroid
        lane = LineString([(mid.x - 40 * k, mid.y), (mid.x + 40 * k, mid.y + rng.uniform(-10, 10) * k)])
        layers["roads"].append((lane, {"kind": "path", "min_zoom": 14}, 14))
    houses = _row_houses(rng, block, k)
    layers["buildings"] += [(house, {"kind": "building", "height": rng.randint(7, 22)}, 15) for house in houses]
    if houses:  # below z15 Protomaps merges neighbouring buildings: one outline per block
        merged = unary_union([house.buffer(0.3 * k) for house in houses]).simplify(0.5 * k)
        layers["merged_buildings"] += [(part, {"kind": "building"}, 14) for part in getattr(merged, "geoms", [merged])]
    if rng.random() < 0.5:  # a footway round the block (OSM maps sidewalks in most old towns)
        layers["roads"].append((block.buffer(2.5 * k).exterior, {"kind": "path", "min_zoom": 14}, 14))
    for _ in range(rng.randint(0, 3)):
        spot = block.representative_point()
        spot = Point(spot.x + rng.uniform(-30, 30) * k, spot.y + rng.uniform(-30, 30) * k)
        kind = rng.choice(POI_KINDS)
        layers["pois"].append((spot, {"kind": kind, "name": f"{kind.title()} {STREET_NAMES[rng.randrange(24)]}"}, 14))


def _row_houses(rng, block: Polygon, k: float) -> list[Polygon]:
    """Row houses along the block's edges, and sometimes a big hall in its courtyard."""
    ring = list(block.exterior.coords)
    centre = block.centroid
    houses = []
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        length = math.hypot(x2 - x1, y2 - y1)
        if length < 8 * k:
            continue
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        nx, ny = -uy, ux  # towards the inside when the ring turns that way
        if (centre.x - x1) * nx + (centre.y - y1) * ny < 0:
            nx, ny = -nx, -ny
        at = 0.0
        while at < length - 6 * k:
            front = min(rng.uniform(5, 10) * k, length - at)
            depth = rng.uniform(9, 18) * k
            p = (x1 + ux * at, y1 + uy * at)
            q = (p[0] + ux * front, p[1] + uy * front)
            # a slightly crooked back wall: real houses are never quite rectangles
            back = rng.uniform(0.5, 0.8)  # an annex at the back: OSM houses have 6-10 corners
            house = Polygon(
                [
                    p,
                    q,
                    (q[0] + nx * depth * back, q[1] + ny * depth * back),
                    (q[0] + nx * depth * back - ux * front * 0.4, q[1] + ny * depth * back - uy * front * 0.4),
                    (q[0] + nx * depth - ux * front * 0.4, q[1] + ny * depth - uy * front * 0.4),
                    (p[0] + nx * depth, p[1] + ny * depth),
                ]
            ).intersection(block)
            if not house.is_empty and house.geom_type == "Polygon":
                houses.append(house)
            at += front
    if rng.random() < 0.3:
        c = block.centroid
        hall = affinity.rotate(box(c.x - 12 * k, c.y - 8 * k, c.x + 12 * k, c.y + 8 * k), rng.uniform(0, 90))
        if hall.within(block):
            houses.append(hall)
    return houses


@lru_cache(maxsize=1)
def _index():
    town = old_town()
    return {name: (STRtree([shape for shape, _, _ in items]), items) for name, items in town.items()}


def old_town_layers(z: int, x: int, y: int) -> list[dict]:
    """Return the tile's layers for mapbox_vector_tile.encode, in tile coordinates (y down)."""
    bounds = mercantile.xy_bounds(x, y, z)
    width = bounds.right - bounds.left
    buffer = width * 8 / 256  # 8 px of 256, as Planetiler does
    area = box(bounds.left - buffer, bounds.bottom - buffer, bounds.right + buffer, bounds.top + buffer)
    scale = EXTENT / width
    tolerance = width / EXTENT * 0.5  # half a tile unit: what the encoder would round away anyway

    def to_tile(shape):
        shape = affinity.affine_transform(shape, [scale, 0, 0, -scale, -bounds.left * scale, bounds.top * scale])
        return set_precision(shape, 1.0)

    layers = [{"name": "earth", "features": [{"geometry": box(0, 0, EXTENT, EXTENT), "properties": {"kind": "earth"}}]}]
    for source, (tree, items) in _index().items():
        if source in ("buildings", "merged_buildings") and (source == "buildings") != (z >= 15):
            continue
        name = "buildings" if source == "merged_buildings" else source
        found = [items[n] for n in tree.query(area)]
        found = [(shape, props) for shape, props, min_zoom in found if min_zoom <= z]
        features = []
        for shape, props in found:
            clipped = shape.intersection(area)
            if clipped.is_empty:
                continue
            if z < 15:
                clipped = clipped.simplify(tolerance)
            tiled = to_tile(clipped)
            if not tiled.is_empty:
                features.append({"geometry": tiled, "properties": props})
        layers.append({"name": name, "features": features})
    layers.sort(key=lambda layer: LAYER_ORDER.index(layer["name"]))
    if z <= 13:
        centre = mercantile.xy(*CENTRE)
        point = Point((centre[0] - bounds.left) * scale, (bounds.top - centre[1]) * scale)
        layers.append(
            {"name": "places", "features": [{"geometry": point, "properties": {"kind": "locality", "name": "Gent"}}]}
        )
    return layers


def make_old_town_tile(z: int, x: int, y: int) -> bytes:
    """Return one gzipped MVT tile of the old town."""
    plain = mapbox_vector_tile.encode(
        old_town_layers(z, x, y), default_options={"extents": EXTENT, "y_coord_down": True}
    )
    return gzip.compress(plain, mtime=0)
