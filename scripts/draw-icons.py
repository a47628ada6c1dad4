#!/usr/bin/env python3
"""Draw the PWA's icons (a kotoji stone lantern on a walking path) into pwa/icons/ with Pillow.

The kotoji-tōrō of Kenrokuen in Kanazawa stands on two legs of different lengths, like the two
strings of a koto; the app is named after it. Run: .venv/bin/python scripts/draw-icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "pwa" / "icons"
TEAL = (31, 78, 95)
STONE = (236, 232, 220)
LIGHT = (242, 183, 5)
PATH = (120, 170, 160)
SCALE = 4  # draw large, then shrink: smooth edges without an antialiasing library


def lantern(draw: ImageDraw.ImageDraw, size: int, inset: float) -> None:
    """Draw the path and the lantern inside the square that leaves `inset` (fraction) on each side."""
    s = size * (1 - 2 * inset)
    o = size * inset

    def box(x0, y0, x1, y1):
        return [o + x0 * s, o + y0 * s, o + x1 * s, o + y1 * s]

    def point(x, y):
        return (o + x * s, o + y * s)

    # the walking path: a gentle curve of dots from bottom left to the lantern's feet
    for i, (x, y) in enumerate([(0.06, 0.96), (0.16, 0.93), (0.26, 0.91), (0.36, 0.9)]):
        r = 0.025 + i * 0.004
        draw.ellipse(box(x - r, y - r, x + r, y + r), fill=PATH)
    draw.polygon(
        [point(0.18, 0.34), point(0.5, 0.12), point(0.86, 0.34), point(0.76, 0.4), point(0.26, 0.4)], fill=STONE
    )  # the wide roof
    draw.ellipse(box(0.46, 0.05, 0.56, 0.15), fill=STONE)  # the finial
    draw.rectangle(box(0.34, 0.42, 0.7, 0.62), fill=STONE)  # the light box
    draw.rectangle(box(0.43, 0.46, 0.61, 0.58), fill=LIGHT)  # its window, lit
    draw.rectangle(box(0.3, 0.62, 0.74, 0.67), fill=STONE)  # the base plate
    draw.polygon([point(0.36, 0.67), point(0.43, 0.67), point(0.4, 0.82), point(0.34, 0.82)], fill=STONE)  # short leg
    draw.polygon([point(0.62, 0.67), point(0.69, 0.67), point(0.74, 0.93), point(0.67, 0.93)], fill=STONE)  # long leg
    draw.rectangle(box(0.28, 0.82, 0.46, 0.86), fill=STONE)  # the stone the short leg stands on


def icon(size: int, maskable: bool) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:  # full bleed; the drawing stays inside the 80 % safe circle
        draw.rectangle([0, 0, big, big], fill=TEAL)
        lantern(draw, big, 0.2)
    else:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 0.2, fill=TEAL)
        lantern(draw, big, 0.12)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
        ("apple-touch-icon.png", 180, True),
        ("icon-32.png", 32, False),
    ]:
        icon(size, maskable).save(OUT / name, optimize=True)
        print(OUT / name)


if __name__ == "__main__":
    main()
