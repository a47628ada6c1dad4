"""Follow the streets: the MVT reader and the router over a synthetic set of basemap tiles."""

import math

import mapbox_vector_tile
import pytest
from shapely.geometry import LineString, box

from server.domain.basemap.street_graph import join_tile
from server.domain.basemap.street_routes import NoRoute, StreetRouter, lonlat_to_tile, tile_to_lonlat
from server.domain.basemap.vector_tiles import TileDecodeError, TileLine, layer_lines
from server.domain.geometry import distance_m, path_length_m

Z, EXTENT = 15, 4096
# Ghent's Korenmarkt; the streets below are drawn in metres east/north of it.
ORIGIN = (3.7209, 51.0546)


def at(east_m, north_m):
    """Return (lon, lat) `east_m` east and `north_m` north of ORIGIN."""
    dlat = north_m / 111_195
    return ORIGIN[0] + east_m / (111_195 * math.cos(math.radians(ORIGIN[1]))), ORIGIN[1] + dlat


def make_tiles(streets: list[tuple[str, list]]) -> dict:
    """Encode streets (kind, [(lon, lat), ...]) into z15 tiles, cut at the tiles' edges as real tiles are."""
    tiles: dict[tuple[int, int], list] = {}
    for kind, positions, *extra in streets:
        global_line = LineString([lonlat_to_tile(lon, lat, Z) for lon, lat in positions])
        x0, y0, x1, y1 = global_line.bounds
        for tx in range(int(x0), int(x1) + 1):
            for ty in range(int(y0), int(y1) + 1):
                part = global_line.intersection(box(tx - 0.05, ty - 0.05, tx + 1.05, ty + 1.05))  # a tile's buffer
                if part.is_empty:
                    continue
                parts = getattr(part, "geoms", [part])
                for piece in parts:
                    local = LineString([((x - tx) * EXTENT, (y - ty) * EXTENT) for x, y in piece.coords])
                    properties = {"kind": kind, **(extra[0] if extra else {})}
                    tiles.setdefault((tx, ty), []).append({"geometry": local, "properties": properties})
    return {
        key: mapbox_vector_tile.encode(
            [{"name": "roads", "features": features}, {"name": "earth", "features": []}],
            default_options={"extents": EXTENT, "y_coord_down": True},
        )
        for key, features in tiles.items()
    }


def router_for(streets):
    tiles = make_tiles(streets)
    return StreetRouter(lambda z, x, y: tiles.get((x, y)) if z == Z else None, zoom=Z), tiles


def test_the_tile_reader_reads_the_road_lines_as_the_reference_decoder_does():
    tiles = make_tiles([("minor_road", [at(0, 0), at(200, 0), at(200, 150)]), ("path", [at(0, 0), at(0, 120)])])
    for data in tiles.values():
        extent, lines = layer_lines(data, "roads")
        reference = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})["roads"]
        expected = sorted(
            (f["properties"]["kind"], [tuple(p) for p in f["geometry"]["coordinates"]]) for f in reference["features"]
        )
        assert extent == EXTENT
        assert sorted((line.kind, line.points) for line in lines) == expected
    assert layer_lines(next(iter(tiles.values())), "buildings") == (4096, [])


def test_a_damaged_tile_is_refused_whole():
    data = next(iter(make_tiles([("path", [at(0, 0), at(50, 0)])]).values()))
    with pytest.raises(TileDecodeError):
        layer_lines(data[: len(data) // 2], "roads")


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def _field(number: int, value: int | bytes) -> bytes:
    """Encode one protobuf field by hand: a varint for an int, length-delimited for bytes."""
    if isinstance(value, int):
        return _varint(number << 3) + _varint(value)
    return _varint(number << 3 | 2) + _varint(len(value)) + value


def _roads_tile(extent: int) -> bytes:
    """A tile whose roads layer has one straight line from (0, 0) to (10, 0) and the given extent."""
    geometry = b"".join(_varint(n) for n in (9, 0, 0, 10, 20, 0))  # MoveTo(0,0) LineTo(+10,0), zigzagged
    feature = _field(3, 2) + _field(4, geometry)
    return _field(3, _field(1, b"roads") + _field(5, extent) + _field(2, feature))


def test_a_layer_with_no_extent_is_a_damaged_tile_and_routes_as_one_without_streets():
    assert layer_lines(_roads_tile(4096), "roads") == (4096, [TileLine("", [(0, 0), (10, 0)])])
    with pytest.raises(TileDecodeError):
        layer_lines(_roads_tile(0), "roads")
    assert join_tile(_roads_tile(0), 0, 0, lambda gx, gy: (gx, gy)) == []


def test_a_fixed_width_value_cut_short_is_a_damaged_tile():
    layer = _field(1, b"roads") + _varint(6 << 3 | 5) + b"\x01\x02"  # a 4-byte value with 2 bytes left
    with pytest.raises(TileDecodeError):
        layer_lines(_field(3, layer), "roads")


def test_the_route_turns_the_corner_of_the_street_instead_of_cutting_across():
    router, _ = router_for([("minor_road", [at(0, 0), at(300, 0), at(300, 250)])])
    route = router.route(at(0, 5), at(300, 250))
    corner = at(300, 0)
    assert min(distance_m(tuple(p), corner) for p in route) < 2  # it passes the corner
    assert 540 < path_length_m(route) < 570  # 300 + 250 m, not the 390 m straight line
    assert all(len(str(v).split(".")[-1]) <= 7 for p in route for v in p)  # as the path's validation wants


def test_a_street_cut_by_the_tiles_edge_is_one_street():
    start, end = at(-700, 10), at(900, 10)
    (tx0, _), (tx1, _) = lonlat_to_tile(*start, Z), lonlat_to_tile(*end, Z)
    assert int(tx1) > int(tx0)  # the street crosses at least one tile edge
    router, _ = router_for([("major_road", [at(-800, 0), at(1000, 0)])])
    route = router.route(start, end)
    assert path_length_m(route) < distance_m(start, end) + 25


def test_the_route_takes_the_footpath_and_never_the_motorway():
    streets = [
        ("highway", [at(0, 0), at(400, 0)]),  # the short way, but a motorway
        ("path", [at(0, 0), at(0, 120), at(400, 120), at(400, 0)]),
    ]
    router, _ = router_for(streets)
    route = router.route(at(0, 0), at(400, 0))
    assert max(distance_m(tuple(p), at(200, 120)) for p in route) > 0
    assert any(distance_m(tuple(p), at(0, 120)) < 2 for p in route)
    assert path_length_m(route) > 600


@pytest.mark.parametrize(
    "streets, start, end, reason",
    [
        ([("path", [at(0, 0), at(100, 0)]), ("path", [at(0, 200), at(100, 200)])], at(0, 0), at(0, 200), "connect"),
        ([("path", [at(0, 0), at(100, 0)])], at(0, 0), at(50, 300), "within 80 m"),
        ([("path", [at(0, 0), at(100, 0)])], at(0, 0), at(4000, 0), "km apart"),
        ([], at(0, 0), at(50, 0), "within 80 m"),
    ],
    ids=["two separate streets", "click far from any street", "too far apart", "no streets at all"],
)
def test_no_route_says_why(streets, start, end, reason):
    router, _ = router_for(streets)
    with pytest.raises(NoRoute, match=reason):
        router.route(start, end)


def test_tile_coordinates_go_both_ways():
    x, y = lonlat_to_tile(*ORIGIN, Z)
    lon, lat = tile_to_lonlat(x, y, Z)
    assert distance_m((lon, lat), ORIGIN) < 0.01


def test_a_side_street_that_stops_just_short_of_the_street_it_joins_meets_it():
    # Tiles simplify lines: the junction's shared point is gone and the side street ends 0.3 m short.
    streets = [("minor_road", [at(0, 0), at(400, 0)]), ("path", [at(200, 150), at(200, 0.3)])]
    router, _ = router_for(streets)
    route = router.route(at(0, 0), at(200, 150))
    assert 340 < path_length_m(route) < 360
    assert any(distance_m(tuple(p), at(200, 0)) < 1 for p in route)


def test_two_streets_crossing_without_a_shared_point_meet_but_a_bridge_does_not():
    north_south = ("minor_road", [at(0, -200), at(0, 200)])
    router, _ = router_for([north_south, ("minor_road", [at(-200, 0), at(200, 0)])])
    assert 390 < path_length_m(router.route(at(0, -200), at(200, 0))) < 410
    router, _ = router_for([north_south, ("minor_road", [at(-200, 0), at(200, 0)], {"is_bridge": True})])
    with pytest.raises(NoRoute, match="connect"):
        router.route(at(0, -200), at(200, 0))


def test_the_tile_reader_tells_bridges_and_tunnels_from_streets():
    tiles = make_tiles(
        [
            ("minor_road", [at(0, 0), at(50, 0)], {"is_bridge": True}),
            ("path", [at(0, 10), at(50, 10)], {"is_tunnel": True, "name": "Onder"}),
            ("minor_road", [at(0, 20), at(50, 20)], {"is_bridge": False}),
        ]
    )
    [(_, data)] = tiles.items()
    assert sorted((line.kind, line.layered) for line in layer_lines(data, "roads")[1]) == [
        ("minor_road", False),
        ("minor_road", True),
        ("path", True),
    ]


def test_two_points_on_one_street_walk_straight_along_it_and_tiles_are_read_once():
    # One straight street in the middle of one tile: a single link, with both points on it.
    tx, ty = (int(v) for v in lonlat_to_tile(*ORIGIN, Z))
    centre = tile_to_lonlat(tx + 0.5, ty + 0.5, Z)
    metre = 1 / (111_195 * math.cos(math.radians(centre[1])))
    east = lambda m: (centre[0] + m * metre, centre[1])  # noqa: E731
    router, _ = router_for([("minor_road", [east(-200), east(200)])])
    reads = []
    read = router.read_tile
    router.read_tile = lambda z, x, y: reads.append((x, y)) or read(z, x, y)
    route = router.route(east(-100), east(100))
    assert 195 < path_length_m(route) < 205  # not round the street's ends (600 m)
    router.route(east(100), east(-50))
    assert reads and len(reads) == len(set(reads))  # the second leg reused the joined tiles
