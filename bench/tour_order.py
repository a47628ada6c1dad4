"""Print how long the tour planner's "best order" takes for tours of growing size (random stops in 2 km²)."""

import math
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.domain.tours.best_order import EXACT_LIMIT, best_order, nearest_neighbour, route_length  # noqa: E402


def main(runs: int = 5) -> None:
    print(f"best order: exact up to {EXACT_LIMIT} stops, nearest neighbour + 2-opt + Or-opt beyond")
    print(f"{'stops':>5} {'median ms':>10} {'max ms':>8} {'vs nearest neighbour':>21}")
    for count in (5, 8, 10, 12, 13, 20, 30, 45, 60):
        times, gains = [], []
        for seed in range(runs):
            rng = random.Random(seed)
            points = [(rng.random() * 1400, rng.random() * 1400) for _ in range(count + 1)]
            distances = [[math.dist(a, b) for b in points] for a in points]
            movable = list(range(1, count + 1))
            started = time.perf_counter()
            order = best_order(distances, movable, head=[0], current=movable)
            times.append((time.perf_counter() - started) * 1000)
            nearest = route_length([0] + nearest_neighbour([0], movable, distances), distances)
            gains.append(1 - route_length([0] + order, distances) / nearest)
        print(
            f"{count:>5} {statistics.median(times):>10.1f} {max(times):>8.1f} {statistics.mean(gains):>20.1%} shorter"
        )


if __name__ == "__main__":
    main()
