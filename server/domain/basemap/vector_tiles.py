"""Read the lines of one layer from a Mapbox Vector Tile (MVT 2.1), without a protobuf library.

The street router needs only the road lines of a tile, so this reads just what that takes: layer
names, the extent, feature types and geometry commands, each feature's `kind`, and whether it is
a bridge or a tunnel (`is_bridge`, `is_tunnel`: it crosses other streets without meeting them). Everything else
in the tile is skipped unread. A damaged tile raises TileDecodeError, never returns half a layer.
"""

from collections.abc import Iterator
from dataclasses import dataclass

LINESTRING = 2
MOVE_TO, LINE_TO, CLOSE_PATH = 1, 2, 7


class TileDecodeError(ValueError):
    pass


@dataclass(frozen=True)
class TileLine:
    """One line of a tile, in tile units (0..extent, y downwards), with its `kind` (e.g. 'path')."""

    kind: str
    points: list[tuple[int, int]]
    layered: bool = False  # a bridge or tunnel: meets other streets only at its ends


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if at >= len(data) or shift > 63:
            raise TileDecodeError("truncated varint")
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return value, at
        shift += 7


# One protobuf field: (field number, wire type, value). The value is bytes exactly when the field is
# length-delimited (wire type 2), so `isinstance(value, bytes)` is that check; numbers are ints.
Field = tuple[int, int, int | bytes]


def _fields(data: bytes) -> Iterator[Field]:
    """Yield (field number, wire type, value) of one protobuf message; value is int or bytes."""
    at = 0
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, at = _varint(data, at)
        elif wire == 2:
            length, at = _varint(data, at)
            if at + length > len(data):
                raise TileDecodeError("field runs past the end of the tile")
            value, at = data[at : at + length], at + length
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            if at + size > len(data):
                raise TileDecodeError("field runs past the end of the tile")
            value, at = int.from_bytes(data[at : at + size], "little"), at + size
        else:
            raise TileDecodeError(f"unsupported wire type {wire}")
        yield number, wire, value


def _packed(data: bytes) -> list[int]:
    values, at = [], 0
    while at < len(data):
        value, at = _varint(data, at)
        values.append(value)
    return values


def _zigzag(n: int) -> int:
    return (n >> 1) ^ -(n & 1)


def _value(message: bytes) -> str | bool | None:
    """Return a tag's value if it is a string or a boolean (the only kinds the router reads)."""
    for number, wire, value in _fields(message):
        if number == 1 and isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        if number == 7 and wire == 0:
            return bool(value)
    return None


def _line_parts(commands: list[int]) -> list[list[tuple[int, int]]]:
    parts, x, y, at = [], 0, 0, 0
    while at < len(commands):
        command, count = commands[at] & 7, commands[at] >> 3
        at += 1
        if command == CLOSE_PATH:
            continue
        if command not in (MOVE_TO, LINE_TO) or at + 2 * count > len(commands):
            raise TileDecodeError("bad geometry command")
        for _ in range(count):
            x += _zigzag(commands[at])
            y += _zigzag(commands[at + 1])
            at += 2
            if command == MOVE_TO:
                parts.append([(x, y)])
            elif parts:
                parts[-1].append((x, y))
    return [part for part in parts if len(part) >= 2]


def _feature_lines(feature: bytes, wanted: dict[int, str], values: list[bytes]) -> list[TileLine]:
    """Return the feature's lines (none unless it is a line); `wanted` maps key indexes to tag names."""
    tags: dict[str, str | bool | None] = {}
    geometry_type, commands = 0, []
    for field, wire, value in _fields(feature):
        if field == 3 and wire == 0 and isinstance(value, int):
            geometry_type = value
        elif field == 4 and isinstance(value, bytes):
            commands = _packed(value)
        elif field == 2 and isinstance(value, bytes):
            pairs = _packed(value)
            for k, v in zip(pairs[::2], pairs[1::2], strict=False):
                if k in wanted and v < len(values):
                    tags[wanted[k]] = _value(values[v])
    if geometry_type != LINESTRING:
        return []
    kind = tags.get("kind")
    if not isinstance(kind, str):
        kind = ""
    layered = tags.get("is_bridge") is True or tags.get("is_tunnel") is True
    return [TileLine(kind, part, layered) for part in _line_parts(commands)]


def layer_lines(tile: bytes, layer_name: str) -> tuple[int, list[TileLine]]:
    """Return (extent, lines) of the named layer; (4096, []) when the tile has no such layer."""
    for number, _wire, layer in _fields(tile):
        if number != 3 or not isinstance(layer, bytes):
            continue
        name, extent = None, 4096
        keys: list[str] = []
        values: list[bytes] = []
        features: list[bytes] = []
        for field, field_wire, value in _fields(layer):
            if field == 1 and isinstance(value, bytes):
                name = value.decode("utf-8", "replace")
            elif field == 5 and field_wire == 0 and isinstance(value, int):
                extent = value
            elif field == 3 and isinstance(value, bytes):
                keys.append(value.decode("utf-8", "replace"))
            elif field == 4 and isinstance(value, bytes):
                values.append(value)
            elif field == 2 and isinstance(value, bytes):
                features.append(value)
        if name != layer_name:
            continue
        if extent <= 0:  # the router divides by it
            raise TileDecodeError(f"layer extent {extent} is not positive")
        wanted = {index: key for index, key in enumerate(keys) if key in ("kind", "is_bridge", "is_tunnel")}
        lines: list[TileLine] = []
        for feature in features:
            lines += _feature_lines(feature, wanted, values)
        return extent, lines
    return 4096, []
