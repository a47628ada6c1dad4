"""Signed-distance-field glyphs in MapLibre's PBF format, made from a system font (no download).

MapLibre GL JS draws text only from glyph PBFs (`glyphs` in the style); without them it places no
labels, which would flatter it in bench/dense_map.py. This makes the Latin range 0-255 of DejaVu Sans
the way fontnik does (24 px glyphs, a 3 px buffer, an 8 px radius), enough for Ghent's street names.
"""

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SIZE, BUFFER, RADIUS, CUTOFF = 24, 3, 8, 0.25


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, value) -> bytes:
    if isinstance(value, bytes):
        return _varint(number << 3 | 2) + _varint(len(value)) + value
    return _varint(number << 3) + _varint(value)


def _zigzag(value: int) -> int:
    return value << 1 if value >= 0 else (-value << 1) - 1


def _sdf(mask: np.ndarray) -> np.ndarray:
    """Signed distance (pixels, positive outside) from each pixel to the glyph's edge, brute force."""
    inside = mask > 127
    edge = inside & ~(np.roll(inside, 1, 0) & np.roll(inside, -1, 0) & np.roll(inside, 1, 1) & np.roll(inside, -1, 1))
    points = np.argwhere(edge)
    if not len(points):
        return np.full(mask.shape, float(RADIUS))
    ys, xs = np.indices(mask.shape)
    grid = np.stack([ys.ravel(), xs.ravel()], axis=1)
    distance = np.sqrt(((grid[:, None, :] - points[None, :, :]) ** 2).sum(-1)).min(1).reshape(mask.shape)
    return np.where(inside, -distance, distance)


def glyph(font, code: int) -> bytes:
    char = chr(code)
    advance = round(font.getlength(char))
    left, top, right, bottom = font.getbbox(char)
    width, height = max(0, right - left), max(0, bottom - top)
    fields = _field(1, code)
    if width and height:
        image = Image.new("L", (width + 2 * BUFFER, height + 2 * BUFFER), 0)
        ImageDraw.Draw(image).text((BUFFER - left, BUFFER - top), char, font=font, fill=255)
        distance = _sdf(np.asarray(image))
        values = np.clip(255 - 255 * (distance / RADIUS + CUTOFF), 0, 255).astype(np.uint8)
        fields += _field(2, values.tobytes())
    ascent = font.getmetrics()[0]
    fields += _field(3, width) + _field(4, height) + _field(5, _zigzag(left)) + _field(6, _zigzag(ascent - top - SIZE))
    return _field(3, fields + _field(7, advance))


def glyph_range(name: str, start: int = 0) -> bytes:
    """Return the PBF of glyphs start..start+255 for the font stack `name` (only 0-255 has glyphs)."""
    font = ImageFont.truetype(FONT, SIZE)
    codes = range(32, 256) if start == 0 else range(0)
    glyphs = b"".join(glyph(font, code) for code in codes if code not in range(127, 160))
    stack = _field(1, name.encode()) + _field(2, f"{start}-{start + 255}".encode()) + glyphs
    return _field(1, stack)
