"""How long "follow the streets" takes on tiles as heavy as a dense old town's (not a test).

    .venv/bin/python bench/street_route.py [--legs 20] [--seed 1] [--min-m 200] [--max-m 1500]

Builds z15 tiles of the synthetic planet at city density around Ghent (tests/basemap_planet.py:
~550 roads and 3,300 buildings per tile, the size of the Protomaps daily build's tiles in a
European centre), then asks the router for legs of 200 m to 1.5 km (or --min-m to --max-m)
between random points. Its random roads cross each other far more than real streets do (~20,000
crossings per tile), so joining a tile costs more here than on a real basemap. Prints,
for the first leg of a fresh router (its tiles read, decoded and joined) and for the later legs (the
graph kept, only new tiles added), the median and the slowest time, and how many legs were routed.
The synthetic roads are random polylines, so many legs have no route: timing counts them all.
"""

import argparse
import gzip
import math
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.domain.basemap.street_routes import NoRoute, StreetRouter  # noqa: E402
from server.domain.geometry import distance_m  # noqa: E402
from tests.basemap_planet import make_tile  # noqa: E402

CENTRE = (3.7225, 51.0543)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-m", type=float, default=200, help="shortest leg")
    parser.add_argument("--max-m", type=float, default=1500, help="longest leg")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tiles, reads = {}, [0]

    def read_tile(z, x, y):
        reads[0] += 1
        return gzip.decompress(tiles[(z, x, y)])

    def leg():
        start = (CENTRE[0] + rng.uniform(-0.006, 0.006), CENTRE[1] + rng.uniform(-0.004, 0.004))
        metres, bearing = rng.uniform(args.min_m, args.max_m), rng.uniform(0, 2 * math.pi)
        dlat = metres * math.cos(bearing) / 111_195
        dlon = metres * math.sin(bearing) / (111_195 * math.cos(math.radians(start[1])))
        return start, (start[0] + dlon, start[1] + dlat)

    router = StreetRouter(read_tile, zoom=15)
    for _ in range(args.legs):  # make the tiles first: encoding them is not the router's cost
        a, b = leg()
        for x, y in router._tiles_around(a, b, margin_m=max(150.0, distance_m(a, b) / 3)):
            tiles.setdefault((15, x, y), make_tile(15, x, y, density="city"))
    rng.seed(args.seed)
    router = StreetRouter(read_tile, zoom=15)
    cold, warm, routed = None, [], 0
    for n in range(args.legs):
        a, b = leg()
        began = time.perf_counter()
        try:
            router.route(a, b)
            routed += 1
        except NoRoute:
            pass
        spent = (time.perf_counter() - began) * 1000
        if n == 0:
            cold = spent
        else:
            warm.append(spent)
    print(f"tiles: {len(tiles)} distinct z15 tiles, {reads[0]} read by the router (each once)")
    print(f"first leg (its tiles read, decoded and joined): {cold:.0f} ms")
    print(f"later legs: median {statistics.median(warm):.0f} ms, slowest {max(warm):.0f} ms over {len(warm)}")
    print(f"routed: {routed} of {args.legs} (the rest: no street route in the random synthetic roads)")


if __name__ == "__main__":
    main()
