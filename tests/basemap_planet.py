"""A synthetic PMTiles "planet" for the basemap tests and bench, in the Protomaps basemap schema.

Tiles near a centre (Ghent) are drawn with made-up streets, parks, water, buildings and places;
the rest of the world is one repeated "ocean" tile, like the real planet's deduplicated runs.
`density="test"` makes tiny tiles with big, easy-to-see shapes; `density="city"` makes tiles about
as heavy as a dense European old town in the Protomaps daily build (see CITY below).
"""

import gzip
import json
import math
import random
from pathlib import Path

import mapbox_vector_tile
import mercantile
from pmtiles.tile import (
    Compression,
    Entry,
    TileType,
    serialize_directory,
    serialize_header,
    tileid_to_zxy,
    zxy_to_tileid,
)
from pmtiles.writer import build_roots_leaves
from shapely.affinity import rotate
from shapely.geometry import LineString, Point, Polygon, box

EXTENT = 4096
STREETS = [
    "Veldstraat",
    "Korenmarkt",
    "Graslei",
    "Korenlei",
    "Sint-Baafsplein",
    "Kouter",
    "Vrijdagmarkt",
    "Burgstraat",
    "Onderbergen",
    "Nederkouter",
    "Hoogpoort",
    "Belfortstraat",
    "Jan Breydelstraat",
]
# Features per tile at each zoom for a dense old town. Ghent's centre has ~4,000 buildings per km²
# and a z15 tile there covers ~0.6 km²; z12-13 carry the whole city's street network. The counts
# give tiles of about 300/250/200/120 kB of plain MVT (gzip ~55%) at z12/13/14/15: the size of the
# Protomaps daily build's tiles in a European city centre, rounded up (Planetiler caps them at 500 kB).
CITY = {
    12: dict(buildings=0, roads=8000, pois=400, parks=400),
    13: dict(buildings=0, roads=6500, pois=600, parks=250),
    14: dict(buildings=5000, roads=1500, pois=600, parks=60),
    15: dict(buildings=3300, roads=550, pois=450, parks=30),
}
TEST = dict(buildings=1, roads=1, pois=1, parks=1)


def _layers(z: int, x: int, y: int, density: str) -> list[dict]:
    rng = random.Random(f"{z}/{x}/{y}")
    counts = TEST if density == "test" else CITY.get(z, CITY[12] if z < 12 else CITY[15])
    label = f"{z}/{x}/{y}"
    layers = [{"name": "earth", "features": [{"geometry": box(0, 0, EXTENT, EXTENT), "properties": {"kind": "earth"}}]}]
    if density == "test":
        # Big blocks, so a browser test can see them: park left half, water bottom-right quarter.
        parks = [box(64, 64, EXTENT / 2 - 64, EXTENT - 64)]
        water = [box(EXTENT / 2 + 64, EXTENT / 2 + 64, EXTENT - 64, EXTENT - 64)]
    else:
        parks = [_blob(rng, 120, 500) for _ in range(counts["parks"])]
        water = [Polygon([(0, 1800), (EXTENT, 2100), (EXTENT, 2500), (0, 2200)])] if (x + y) % 3 == 0 else []
    layers.append(
        {
            "name": "landuse",
            "features": [{"geometry": g, "properties": {"kind": "park", "name": f"Park {label}"}} for g in parks],
        }
    )
    layers.append(
        {"name": "water", "features": [{"geometry": g, "properties": {"kind": "water", "name": "Leie"}} for g in water]}
    )
    roads = []
    for n in range(counts["roads"]):
        if density == "test":
            line = LineString([(EXTENT / 2, 0), (EXTENT / 2, EXTENT)])
        else:
            start = (rng.uniform(0, EXTENT), rng.uniform(0, EXTENT))
            line = LineString(
                [start]
                + [
                    (start[0] + rng.uniform(-600, 600), start[1] + rng.uniform(-600, 600))
                    for _ in range(rng.randint(1, 6))
                ]
            )
        kind = "major_road" if n % 7 == 0 else ("path" if n % 5 == 0 else "minor_road")
        roads.append(
            {
                "geometry": line,
                "properties": {
                    "kind": kind,
                    "name": f"{STREETS[n % len(STREETS)]} {label}" if density == "test" else STREETS[n % len(STREETS)],
                    "min_zoom": 12,
                },
            }
        )
    layers.append({"name": "roads", "features": roads})
    buildings = []
    for _ in range(counts["buildings"]):
        if density == "test":
            shape = box(2600, 600, 3400, 1400)
        else:
            cx, cy = rng.uniform(0, EXTENT), rng.uniform(0, EXTENT)
            w, h = rng.uniform(20, 90), rng.uniform(20, 90)
            shape = rotate(box(cx, cy, cx + w, cy + h), rng.uniform(0, 90))
        buildings.append({"geometry": shape, "properties": {"kind": "building", "height": rng.randint(6, 30)}})
    layers.append({"name": "buildings", "features": buildings})
    layers.append(
        {
            "name": "pois",
            "features": [
                {
                    "geometry": Point(rng.uniform(0, EXTENT), rng.uniform(0, EXTENT)),
                    "properties": {
                        "kind": rng.choice(["cafe", "museum", "church", "bakery"]),
                        "name": f"Poi {n}",
                        "min_zoom": 14,
                    },
                }
                for n in range(counts["pois"])
            ],
        }
    )
    if z <= 13:
        layers.append(
            {
                "name": "places",
                "features": [
                    {
                        "geometry": Point(EXTENT / 2, EXTENT / 2),
                        "properties": {"kind": "locality", "name": "Gent", "min_zoom": 7},
                    }
                ],
            }
        )
    return layers


def _blob(rng, low, high) -> Polygon:
    cx, cy = rng.uniform(0, EXTENT), rng.uniform(0, EXTENT)
    return Point(cx, cy).buffer(rng.uniform(low, high), 3)


def make_tile(z: int, x: int, y: int, density: str = "test") -> bytes:
    """Return one gzipped MVT tile of the synthetic map."""
    plain = mapbox_vector_tile.encode(
        _layers(z, x, y, density), default_options={"extents": EXTENT, "y_coord_down": True}
    )
    return gzip.compress(plain, mtime=0)


OCEAN = gzip.compress(
    mapbox_vector_tile.encode(
        [{"name": "water", "features": [{"geometry": box(0, 0, EXTENT, EXTENT), "properties": {"kind": "ocean"}}]}],
        default_options={"extents": EXTENT, "y_coord_down": True},
    ),
    mtime=0,
)


def make_planet(
    path: Path,
    centre=(3.7225, 51.0543),
    radius_km: float = 3.0,
    minzoom: int = 10,
    maxzoom: int = 15,
    density: str = "test",
    leaf_size: int = 64,
    ocean_zoom: int = 7,
) -> dict:
    """Write the planet archive and return {tile_id: stored bytes} of its land tiles.

    Land tiles cover `radius_km` around `centre` at zooms minzoom..maxzoom; every other tile at
    zooms 0..ocean_zoom is one shared "ocean" tile (long runs, as in the real planet). `leaf_size` forces leaf
    directories, as the real planet has, even for a small archive.
    """
    lon, lat = centre
    dlat = radius_km / 111.2
    dlon = dlat / max(0.01, math.cos(math.radians(lat)))
    land = {}
    for z in range(minzoom, maxzoom + 1):
        for t in mercantile.tiles(lon - dlon, lat - dlat, lon + dlon, lat + dlat, [z]):
            land[zxy_to_tileid(t.z, t.x, t.y)] = make_tile(t.z, t.x, t.y, density)
    tiles = dict(land)
    for z in range(0, min(ocean_zoom, minzoom - 1) + 1):
        for x in range(1 << z):
            for y in range(1 << z):
                tiles.setdefault(zxy_to_tileid(z, x, y), OCEAN)
    write_archive(
        path,
        tiles,
        leaf_size=leaf_size,
        metadata={
            "name": "Synthetic planet",
            "attribution": "© OpenStreetMap contributors",
            "vector_layers": [
                {"id": name, "fields": {}}
                for name in ("earth", "water", "landuse", "roads", "buildings", "pois", "places")
            ],
        },
    )
    return land


def write_archive(
    path: Path,
    tiles: dict[int, bytes],
    leaf_size: int | None = None,
    metadata=None,
    bounds=(-180.0, -85.0, 180.0, 85.0),
) -> None:
    """Write a PMTiles v3 archive of gzipped MVT tiles, deduplicating identical tiles into runs."""
    entries, offsets, data = [], {}, bytearray()
    for tile_id in sorted(tiles):
        body = tiles[tile_id]
        if body in offsets:
            last = entries[-1]
            if last.offset == offsets[body] and last.tile_id + last.run_length == tile_id:
                last.run_length += 1
                continue
            entries.append(Entry(tile_id, offsets[body], len(body), 1))
        else:
            offsets[body] = len(data)
            entries.append(Entry(tile_id, len(data), len(body), 1))
            data += body
    if leaf_size:
        root, leaves, _ = build_roots_leaves(entries, leaf_size)
    else:
        root, leaves = serialize_directory(entries), b""
    meta = gzip.compress(json.dumps(metadata or {}).encode(), mtime=0)
    header = {
        "root_offset": 127,
        "root_length": len(root),
        "metadata_offset": 127 + len(root),
        "metadata_length": len(meta),
        "leaf_directory_offset": 127 + len(root) + len(meta),
        "leaf_directory_length": len(leaves),
        "tile_data_offset": 127 + len(root) + len(meta) + len(leaves),
        "tile_data_length": len(data),
        "addressed_tiles_count": len(tiles),
        "tile_entries_count": len(entries),
        "tile_contents_count": len(offsets),
        "clustered": True,
        "internal_compression": Compression.GZIP,
        "tile_compression": Compression.GZIP,
        "tile_type": TileType.MVT,
        "min_zoom": tileid_to_zxy(entries[0].tile_id)[0],
        "max_zoom": tileid_to_zxy(entries[-1].tile_id)[0],
        "min_lon_e7": int(bounds[0] * 1e7),
        "min_lat_e7": int(bounds[1] * 1e7),
        "max_lon_e7": int(bounds[2] * 1e7),
        "max_lat_e7": int(bounds[3] * 1e7),
        "center_zoom": 0,
    }
    Path(path).write_bytes(serialize_header(header) + root + meta + leaves + bytes(data))
