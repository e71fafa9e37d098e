"""Time reading a manuscript into a Book, with the code of this tree or of another one.

    python bench/reading.py --words 100000 --runs 7 [--src OTHER/src] [--rich]

Generates the book with ``bench/generate.py`` (the same bytes every time); ``--rich`` adds what
pandoc's Markdown adds to prose at about the density of a technical book: an inline formula in
every fourth paragraph, a numbered display equation and a highlighted code block in every
section. Each run is its own process (imports, converters and caches cold), which times
``read_manuscript`` alone; the medians of CPU and wall time and the spread are printed.
``--src`` runs the same timing against another checkout's ``src`` (a snapshot of main, say),
for before and after.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

_TIMED = """
import sys, time
from pathlib import Path
from publish.reading.manuscript import read_manuscript
start, cpu = time.perf_counter(), time.process_time()
read_manuscript(Path(sys.argv[1]))
print(time.perf_counter() - start, time.process_time() - cpu)
"""
_CODE = """```python
def mean(values: list[float]) -> float:
    \"\"\"The arithmetic mean of {n} values.\"\"\"
    total = sum(values)  # never empty here
    return total / len(values)
```
"""


def enrich(book: Path) -> None:
    """Formulas and code added between the generated paragraphs, the same way every time."""
    blocks = book.read_text(encoding="utf-8").split("\n\n")
    out: list[str] = []
    paragraphs = 0
    for block in blocks:
        out.append(block)
        if block.startswith("## "):
            n = len(out)
            out.append(f"$$\n\\int_0^{{{n}}} x^2 \\, dx = \\frac{{{n}^3}}{{3}}\n$$ {{#eq:e{n}}}")
            out.append(f"As @eq:e{n} shows, the area grows as the cube.")
            out.append(_CODE.replace("{n}", str(n)))
        elif re.match(r"[A-Z][a-z]", block):
            paragraphs += 1
            if paragraphs % 4 == 0:
                out[-1] = (
                    block + f" The ratio $\\frac{{a_{paragraphs}}}{{b}} \\leq \\sqrt{{2}}$ holds."
                )
    book.write_text("\n\n".join(out), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--src", type=Path, help="another checkout's src folder")
    parser.add_argument("--rich", action="store_true", help="add formulas and code")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        book = generate(args.words, Path(folder)).manuscript
        if args.rich:
            enrich(book)
        env = dict(os.environ)
        if args.src:
            env["PYTHONPATH"] = str(args.src.resolve())
        runs = [
            subprocess.run(
                [sys.executable, "-c", _TIMED, str(book)],
                check=True, capture_output=True, text=True, env=env,
            ).stdout.split()
            for _ in range(args.runs)
        ]  # fmt: skip
    wall = [float(run[0]) for run in runs]
    cpu = [float(run[1]) for run in runs]
    label = f"{args.src or 'this tree'}{' --rich' if args.rich else ''}"
    # CPU time is the steadier figure on a shared machine: other processes lengthen the wall
    # time, not the time this one spends computing.
    print(
        f"{label}: {args.words} words, {args.runs} runs: CPU median {statistics.median(cpu):.2f} s "
        f"(min {min(cpu):.2f}, max {max(cpu):.2f}); wall median {statistics.median(wall):.2f} s"
    )


if __name__ == "__main__":
    main()
