"""How the worst constructs grow: each at two sizes, the second four times the first.

    python bench/hostile.py [--write bench/README.md]

Long lines of what once made a pattern quadratic (tabs, '[' and '@', numbers, dots, spaces,
comments, backticks, link targets, titles and subscripts that never close, a raw tag full of
spaces, a word of look-alike letters), a large numeric table, many citations side by side, a
word longer than any line, and a long references file. Reading and the lint run in this process
and are timed in CPU seconds (the machine is shared: wall time would measure the neighbours);
the PDF of the long word and of the citations is a cold ``publish build --format pdf`` timed by
the clock. A ratio near 4 is linear growth; a quadratic step would show 16.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from publish.errors import PublishError  # noqa: E402
from publish.lint.rules import lint  # noqa: E402
from publish.reading.manuscript import read_manuscript  # noqa: E402

BEGIN, END = "<!-- hostile:begin -->", "<!-- hostile:end -->"
FRONT = "---\ntitle: T\ndate: 2026-01-01\ndisclaimer: Not advice.\nsummary: S.\n{extra}---\n"


def _references(count: int) -> str:
    return "".join(f"- id: k{i}\n  type: book\n  title: T{i}\n" for i in range(count))


def _line(unit: str, size: int) -> tuple[str, str, str]:
    return "# One\n\nx " + unit * (size // len(unit)) + " y\n", "", ""


CASES: list[tuple[str, int, Callable[[int], tuple[str, str, str]]]] = [
    ("line of tabs", 20_000, lambda n: _line("\t", n)),
    ("'[' then '@'", 20_000, lambda n: ("# One\n\n[" + "@" * n + "\n", "", "")),
    ("line of numbers", 20_000, lambda n: _line("1.5, ", n)),
    ("line of dots", 20_000, lambda n: _line(".", n)),
    ("line of spaces", 20_000, lambda n: _line(" ", n)),
    ("line of comments", 20_000, lambda n: _line("<!-- -->", n)),
    ("unclosed comments", 20_000, lambda n: _line("<!--", n)),
    ("backticks", 20_000, lambda n: _line("``a", n)),
    ("link targets never closed", 18_000, lambda n: _line("a-]([@", n)),
    ("link titles never closed", 20_000, lambda n: _line('[a](b "c) ', n)),
    ("spans' braces never closed", 20_000, lambda n: _line("[a]{", n)),
    ("subscripts never closed", 20_000, lambda n: _line("1.5, '~](", n)),
    ("a word of full-width digits", 20_000, lambda n: _line("\uff11", n)),
    ("raw tag full of spaces", 20_000, lambda n: ("# One\n\nx <a" + " " * n + "b> y\n", "", "")),
    (
        "numeric table (rows)",
        1_500,
        lambda n: (
            "# One\n\n| a | b | c |\n|---|---|---|\n"
            + "".join(f"| {i} | {i * 3.5} | {i % 97}% |\n" for i in range(n)),
            "",
            "",
        ),
    ),
    (
        "adjacent citations",
        2_500,
        lambda n: ("# One\n\n" + "[@k1]" * n + "\n", "bibliography: refs.yaml\n", _references(2)),
    ),
    ("30,000-letter word", 30_000, lambda n: ("# One\n\n" + "a" * n + "\n", "", "")),
    (
        "references (entries, all uncited)",
        5_000,
        lambda n: ("# One\n\nSee [@k0].\n", "bibliography: refs.yaml\n", _references(n)),
    ),
]
PDF_CASES = ("adjacent citations", "30,000-letter word")


def _write(folder: Path, case: Callable[[int], tuple[str, str, str]], size: int) -> Path:
    body, extra, references = case(size)
    folder.mkdir(parents=True, exist_ok=True)
    if references:
        (folder / "refs.yaml").write_text(references, encoding="utf-8")
    path = folder / "book.md"
    path.write_text(FRONT.format(extra=extra) + body, encoding="utf-8")
    return path


def _cpu(path: Path) -> float:
    """CPU seconds to read and lint ``path``, the best of three."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        with suppress(PublishError):
            read_manuscript(path)
        lint(path)
        best = min(best, time.process_time() - started)
    return best


def _pdf(path: Path) -> float:
    publish = Path(sys.executable).parent / "publish"
    command = [str(publish)] if publish.exists() else [sys.executable, "-m", "publish"]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    started = time.perf_counter()
    subprocess.run(
        [*command, "build", str(path), "-o", str(path.parent / "out"), "--format", "pdf"],
        check=True,
        capture_output=True,
        env=env,
    )
    return time.perf_counter() - started


def run() -> list[str]:
    rows = [
        "| construct | size | 4x size | reading + lint, CPU s | ratio | PDF build, s | ratio |",
        "|---|---:|---:|---|---:|---|---:|",
    ]
    with tempfile.TemporaryDirectory() as temporary:
        for label, size, case in CASES:
            small = _write(Path(temporary) / f"{label}-1", case, size)
            large = _write(Path(temporary) / f"{label}-4", case, size * 4)
            cpu = (_cpu(small), _cpu(large))
            pdf = (_pdf(small), _pdf(large)) if label in PDF_CASES else None
            pdf_cells = f"{pdf[0]:.2f} → {pdf[1]:.2f} | {pdf[1] / pdf[0]:.1f}" if pdf else "— | —"
            row = (
                f"| {label} | {size:,} | {size * 4:,} | {cpu[0]:.3f} → {cpu[1]:.3f} | "
                f"{cpu[1] / max(cpu[0], 1e-3):.1f} | {pdf_cells} |"
            )
            print(row, flush=True)
            rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, help="put the table into this README")
    args = parser.parse_args()
    load = os.getloadavg()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = run()
    table = "\n".join(
        [f"Run on {when}, load average {load[0]:.1f} at the start (2 cores).", "", *rows]
    )
    if args.write:
        text = args.write.read_text(encoding="utf-8")
        block = f"{BEGIN}\n{table}\n{END}"
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
