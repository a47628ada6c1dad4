#!/usr/bin/env python3
"""Write a walk bundle with N stops: the Ghent walk's path and texts, stops spread along the path.

The texts are those of the real stops with their words shuffled per stop (characters for Japanese),
so that compression sees text, not N copies of six blocks. No media, no twins: `manage.py check`
accepts the bundle. Usage: .venv/bin/python bench/synthetic_walk.py N FOLDER [--walk gent-kanazawa]
"""

import argparse
import itertools
import json
import math
import random
import re
import shutil
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def shuffled(text: str, rng: random.Random, lang: str) -> str:
    if lang == "ja":
        characters = list(text)
        rng.shuffle(characters)
        return "".join(characters)
    words = text.split(" ")
    rng.shuffle(words)
    return " ".join(words)


def texts(value, rng: random.Random):
    if isinstance(value, dict):
        return {
            lang: shuffled(text, rng, lang)
            if "<" not in text
            else f"<p>{shuffled(re.sub(r'<[^>]*>', ' ', text).replace('&', 'and'), rng, lang)}</p>"
            for lang, text in value.items()
            if isinstance(text, str)
        }
    return value


def along(path: list[list[float]], fraction: float) -> tuple[float, float]:
    """Return the point at `fraction` of the path's length (in degrees, enough for spreading stops)."""
    lengths = [math.dist(a[:2], b[:2]) for a, b in itertools.pairwise(path)]
    goal = fraction * sum(lengths)
    for (a, b), length in zip(itertools.pairwise(path), lengths, strict=True):
        if goal <= length and length > 0:
            t = goal / length
            return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
        goal -= length
    return tuple(path[-1][:2])


def write_bundle(count: int, folder: Path, walk: str = "gent-kanazawa", slug: str | None = None) -> Path:
    """Write the bundle into folder/<slug> (the model walk's slug unless given) and return `folder`."""
    source = PROJECT_ROOT / "routes" / walk
    target = folder / (slug or walk)
    target.mkdir(parents=True, exist_ok=True)
    (target / "walk.json").write_text(
        json.dumps({**json.loads((source / "walk.json").read_text()), "slug": slug or walk}, ensure_ascii=False)
    )
    shutil.copy(source / "path.geojson", target / "path.geojson")
    path = json.loads((source / "path.geojson").read_text())["geometry"]["coordinates"]
    real = [
        f
        for f in json.loads((source / "stops.geojson").read_text())["features"]
        if f["properties"].get("status") == "published"
    ]
    rng = random.Random(count)
    features = []
    for n in range(count):
        model = real[n % len(real)]["properties"]
        lon, lat = along(path, n / max(count - 1, 1))
        lon += rng.uniform(-0.0001, 0.0001)  # within about 10 m of the path
        lat += rng.uniform(-0.0001, 0.0001)
        properties = {key: texts(value, rng) for key, value in model.items() if key not in ("twin", "images", "audio")}
        features.append(
            {
                "type": "Feature",
                "id": f"stop-{n + 1:05d}",
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": properties,
            }
        )
    (target / "stops.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    )
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--walk", default="gent-kanazawa")
    args = parser.parse_args()
    write_bundle(args.count, args.folder, args.walk)


if __name__ == "__main__":
    main()
