"""Reading alone: the median wall and CPU time of ``read_manuscript`` over several runs in one
process, after one run that warms the imports and caches.

    python bench/read.py MANUSCRIPT [RUNS]

CPU time is the steadier figure on a busy machine. To compare two versions, run it with each
version's ``src`` first on ``PYTHONPATH``, round by round.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from publish.reading.manuscript import read_manuscript


def main() -> None:
    path, runs = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5
    read_manuscript(path)
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        read_manuscript(path)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    print(
        f"read {path.name}: wall median {statistics.median(wall):.3f} s, "
        f"CPU median {statistics.median(cpu):.3f} s ({runs} runs)"
    )


if __name__ == "__main__":
    main()
