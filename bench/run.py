"""The build benchmark: our build against pandoc and bare WeasyPrint, measured in the same run.

    python bench/run.py [--runs 3] [--sizes 10000 100000 300000] [--write bench/README.md]

Every tool runs as its own cold process, several times, interleaved round by round so that a
busy moment on the machine falls on all of them alike; the table shows medians. Ratios compare
figures from this run only. See bench/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate
from measure import Sample, Summary, run_once, summarise

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
STYLES = ROOT / "styles"
PYTHON = sys.executable
HEAVY_MODULES = ("weasyprint", "markdown", "lxml", "ebooklib", "jinja2", "yaml", "citeproc")
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    # This checkout's code, whichever interpreter runs the benchmark.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


@dataclass
class Tool:
    name: str
    command: Sequence[str | Path]
    cwd: Path = ROOT
    env: dict[str, str] = field(default_factory=_env)
    before: Callable[[], None] | None = None
    samples: list[Sample] = field(default_factory=list)
    memory_samples: list[Sample] = field(default_factory=list)

    def run(self, *, memory: bool = False) -> Sample:
        """A timed run, or with ``memory`` a run whose memory is sampled (and time not kept)."""
        if self.before:
            self.before()
        sample = run_once(self.command, cwd=self.cwd, env=self.env, memory=memory)
        (self.memory_samples if memory else self.samples).append(sample)
        return sample

    @property
    def summary(self) -> Summary:
        return summarise(self.samples, self.memory_samples)


@dataclass
class Case:
    label: str
    manuscript: Path
    words: int
    tools: list[Tool] = field(default_factory=list)
    pages: int | None = None
    note: str = ""

    def tool(self, name: str) -> Summary | None:
        found = next((t for t in self.tools if t.name == name), None)
        return found.summary if found and found.samples else None


def count_manuscript_words(manuscript: Path) -> int:
    from generate import count_words

    text = manuscript.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
    return count_words(body)


def pandoc_version() -> str | None:
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        return None
    out = subprocess.run([pandoc, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.splitlines()[0] if out.returncode == 0 else None


def publish_command() -> list[str | Path]:
    """How editors run our build: the `publish` command beside this interpreter (what `make`
    runs from .venv), else `python -m publish`.

    The two are not quite the same on Python 3.11: the module runner starts the build a few
    frames deeper, and where CPython's frame-stack chunks begin and end decides how often
    WeasyPrint's layout crosses one (see README, "CPython 3.11's frame stack").
    """
    script = Path(PYTHON).parent / "publish"
    return [script] if script.exists() else [PYTHON, "-m", "publish"]


def _make_command(manuscript: Path) -> list[str | Path]:
    # make runs this interpreter's publish, as `publish build` does, whatever .venv holds.
    return [
        "make",
        "-C",
        ROOT,
        f"MANUSCRIPT={manuscript}",
        "PUBLISH=" + " ".join(map(str, publish_command())),
        "STAMP=",
    ]


def prepare_case(label: str, manuscript: Path, work: Path, pandoc: bool) -> Case:
    """The tools to run on one manuscript, and our book HTML saved for the bare WeasyPrint."""
    out = work / "out" / label
    out.mkdir(parents=True, exist_ok=True)
    case = Case(label, manuscript, count_manuscript_words(manuscript))
    html = out / "book.html"
    saved = subprocess.run(
        [PYTHON, BENCH / "save_book_html.py", manuscript, html],
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    case.tools.append(
        Tool(
            "ours",
            [*publish_command(), "build", manuscript, "-o", out / "ours", "--styles", STYLES],
        )
    )
    if label == "100k" and publish_command()[0] != PYTHON:
        # The same build by the module runner, to show what the frame-stack depth does.
        module = [PYTHON, "-m", "publish", "build", manuscript, "-o", out / "module"]
        case.tools.append(Tool("ours-module", [*module, "--styles", STYLES]))
    if label == "real" and shutil.which("make"):
        make_out = out / "make"
        case.tools.append(
            Tool(
                "make",
                [*_make_command(manuscript), f"OUT={make_out}"],
                before=lambda: shutil.rmtree(make_out, ignore_errors=True),
            )
        )
    if saved.returncode == 0:
        base_url = manuscript.parent.resolve().as_uri() + "/"
        bare: list[str | Path] = [
            PYTHON,
            BENCH / "bare_weasyprint.py",
            html,
            STYLES / "print.css",
            out / "bare.pdf",
        ]
        case.tools.append(Tool("weasyprint", [*bare, base_url, html.with_suffix(".json")]))
        if label in ("real", "100k"):
            shipped = [*bare, base_url, html.with_suffix(".json"), "--as-shipped"]
            case.tools.append(Tool("weasyprint-shipped", shipped))
    else:
        case.note = f"no book HTML for bare WeasyPrint: {saved.stderr.strip()[-300:]}"
    if pandoc:
        # pandoc's WeasyPrint engine is the `weasyprint` command beside this interpreter.
        path = f"{Path(PYTHON).parent}{os.pathsep}{os.environ.get('PATH', '')}"
        common: list[str | Path] = ["pandoc", manuscript.name, "--citeproc", "--toc"]
        case.tools.append(
            Tool("pandoc-epub", [*common, "-o", out / "pandoc.epub"], cwd=manuscript.parent)
        )
        case.tools.append(
            Tool(
                "pandoc-pdf",
                [*common, "--pdf-engine=weasyprint", "-o", out / "pandoc.pdf"],
                cwd=manuscript.parent,
                env=_env(PATH=path),
            )
        )
    return case


def run_case(case: Case, runs: int) -> None:
    for round_ in range(runs):
        for tool in case.tools:
            sample = tool.run()
            print(
                f"  {case.label} round {round_ + 1}/{runs} {tool.name}: {sample.wall:.2f} s"
                + ("" if sample.ok else " FAILED"),
                flush=True,
            )
    # Then one more run of each, for memory: sampling it would slow the timed runs.
    for tool in case.tools:
        sample = tool.run(memory=True)
        print(
            f"  {case.label} memory {tool.name}: {sample.peak_mb:.0f} MB "
            f"(largest process {sample.largest_process_mb:.0f} MB)"
            + ("" if sample.ok else " FAILED"),
            flush=True,
        )
    ours = next(t for t in case.tools if t.name == "ours")
    found = re.search(r"\((\d+) pages", ours.samples[-1].output) if ours.samples else None
    case.pages = int(found.group(1)) if found else None


def measure_help(runs: int) -> tuple[Summary, list[str]]:
    command: list[str | Path] = [*publish_command(), "--help"]
    summary = summarise([run_once(command, env=_env()) for _ in range(runs)])
    traced = run_once([PYTHON, "-X", "importtime", "-m", "publish", "--help"], env=_env())
    imported = {
        line.split("|")[-1].strip().split(".")[0]
        for line in traced.output.splitlines()
        if line.startswith("import time:")
    }
    return summary, sorted(m for m in HEAVY_MODULES if m in imported)


def _in_process(*arguments: object) -> dict[str, Any] | str:
    """Run bench/inprocess.py with ``arguments``; its last line of output is a JSON object."""
    done = subprocess.run(
        [PYTHON, BENCH / "inprocess.py", *map(str, arguments)],
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return f"failed: {done.stderr.strip()[-300:]}"
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure_warm(manuscript: Path, runs: int) -> dict[str, Any] | str:
    return _in_process("warm", manuscript, runs)


def measure_phases(manuscript: Path) -> dict[str, Any] | str:
    return _in_process("phases", manuscript)


@dataclass(frozen=True)
class Incremental:
    cold: float
    nothing_changed: float
    nothing_rebuilt: list[str]
    epub_css_rebuilt: list[str]


def check_incremental(manuscript: Path, work: Path) -> Incremental | str:
    """`make` twice, then again after touching styles/epub.css: which outputs were rewritten."""
    if not shutil.which("make"):
        return "make not found"
    out = work / "incremental"
    make = [*_make_command(manuscript), f"OUT={out}"]

    def outputs() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}

    def changed(before: dict[str, int]) -> list[str]:
        after = outputs()
        return sorted(name for name, stamp in after.items() if before.get(name) != stamp)

    cold = run_once(make, env=_env())
    if not cold.ok:
        return f"make failed: {cold.output.strip()[-300:]}"
    time.sleep(1.1)  # coarse file systems: let a rebuild show as a newer time stamp
    before = outputs()
    again = run_once(make, env=_env())
    nothing = changed(before)
    epub_css = STYLES / "epub.css"
    kept = epub_css.stat()
    try:
        os.utime(epub_css)
        before = outputs()
        touched = run_once(make, env=_env())
        rebuilt = changed(before)
    finally:
        os.utime(epub_css, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    if not touched.ok:
        return f"make failed after touching epub.css: {touched.output.strip()[-300:]}"
    return Incremental(cold.wall, again.wall, nothing, rebuilt)


def machine() -> list[tuple[str, str]]:
    def first(pattern: str, path: str) -> str:
        try:
            text = Path(path).read_text()
        except OSError:
            return "unknown"
        found = re.search(pattern, text, re.MULTILINE)
        return found.group(1).strip() if found else "unknown"

    def version(module: str) -> str:
        done = subprocess.run(
            [PYTHON, "-c", f"import importlib.metadata as m; print(m.version({module!r}))"],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip() or "not installed"

    cpu = first(r"^model name\s*:(.*)$", "/proc/cpuinfo")
    memory_kb = first(r"^MemTotal:\s+(\d+)", "/proc/meminfo")
    memory = f"{int(memory_kb) / 1024 / 1024:.1f} GiB" if memory_kb.isdigit() else memory_kb
    make_version = subprocess.run(["make", "--version"], capture_output=True, text=True).stdout
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("memory", memory),
        ("system", first(r'^PRETTY_NAME="?([^"\n]*)', "/etc/os-release")),
        ("Python", platform.python_version()),
        ("pandoc", pandoc_version() or "not found"),
        ("GNU make", make_version.splitlines()[0] if make_version else "not found"),
        *(
            (name, version(name))
            for name in ("weasyprint", "markdown", "lxml", "jinja2", "ebooklib", "citeproc-py")
        ),
    ]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _fmt(summary: Summary | None) -> tuple[str, str, str, str]:
    if summary is None:
        return ("—", "—", "—", "—")
    if not summary.ok:
        return ("failed", "", "", "")
    return (
        f"{summary.wall:.2f}",
        f"{summary.cpu:.2f}",
        f"{summary.peak_mb:.0f}",
        f"{summary.largest_process_mb:.0f}",
    )


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _stat(case: Case | None, name: str, field: str) -> float | None:
    summary = case.tool(name) if case else None
    return float(getattr(summary, field)) if summary and summary.ok else None


def _check(value: float | None, limit: float, text: str) -> str:
    if value is None:
        return "not measured"
    return f"{text} — {'meets' if value <= limit else 'MISSES'} ≤ {limit:g}"


def _time_target(label: str, limit: float, ratio: Callable[[str], float | None]) -> str:
    """Judged on wall time; CPU time beside it shows what a busy machine did to the wall."""
    wall, cpu = ratio("wall"), ratio("cpu")
    if wall is None:
        return f"| {label} | not measured |"
    return f"| {label} | {_check(wall, limit, f'{wall:.2f}')} (CPU time: {cpu or 0:.2f}) |"


def report(
    cases: list[Case],
    runs: int,
    pandoc: str | None,
    help_time: tuple[Summary, list[str]],
    warm: dict[str, object] | str,
    phases: dict[str, float] | str,
    phases_label: str,
    incremental: Incremental | str,
    load: tuple[str, str],
    started: dt.datetime,
) -> str:
    lines = [
        f"Run on {started:%Y-%m-%d %H:%M} UTC: medians of {runs} runs of each command (the "
        "runs column says where fewer), each a cold process; peak memory from one more run "
        "of each, with all its processes sampled together (see measure.py); load average "
        f"{load[0]} at the start, {load[1]} at the end.",
        "",
        "| machine | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in machine()),
        "",
    ]
    if pandoc is None:
        lines += ["**pandoc is not installed: the pandoc rows and ratios are missing.**", ""]
    lines += [
        "| manuscript | words | pages | command | runs | wall s | CPU s | peak MB, all "
        "processes | largest process MB |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    names = {
        "ours": "`publish build` (every edition; the PDF in a second process)",
        "ours-module": "`python -m publish build` (the same build, by the module runner)",
        "make": "cold `make` (lint, every edition)",
        "weasyprint": "bare WeasyPrint on our book HTML, configured as our build configures it",
        "weasyprint-shipped": "bare WeasyPrint as shipped (its own user-agent sheet, pages "
        "compressed at the end)",
        "pandoc-epub": "pandoc → EPUB",
        "pandoc-pdf": "pandoc → PDF (WeasyPrint)",
    }
    for case in cases:
        for tool in case.tools:
            wall, cpu, peak, largest = _fmt(tool.summary if tool.samples else None)
            lines.append(
                f"| {case.label} | {case.words:,} | {case.pages or ''} | {names[tool.name]} "
                f"| {len(tool.samples)} | {wall} | {cpu} | {peak} | {largest} |"
            )
        if case.note:
            lines.append(f"| {case.label} | | | {case.note} | | | | | |")
    lines.append("")

    by_label = {case.label: case for case in cases}
    real, k100, k300 = by_label.get("real"), by_label.get("100k"), by_label.get("300k")

    def make_vs_pandoc(field: str) -> float | None:
        epub, pdf = _stat(real, "pandoc-epub", field), _stat(real, "pandoc-pdf", field)
        return _ratio(_stat(real, "make", field), epub + pdf if epub and pdf else None)

    def overhead(field: str) -> float | None:
        ours, bare = _stat(k100, "ours", field), _stat(k100, "weasyprint", field)
        return 1 - bare / ours if ours and bare else None

    def growth(field: str) -> float | None:
        return _ratio(_stat(k300, "ours", field), _stat(k100, "ours", field))

    share = overhead("wall")
    memory_growth = growth("peak_mb")
    peak_100k = _stat(k100, "ours", "peak_mb")
    help_summary, heavy = help_time
    lines += [
        "| target | measured |",
        "|---|---|",
        _time_target("cold `make`, real manuscript ÷ pandoc EPUB + PDF", 1.0, make_vs_pandoc),
        "| our overhead beyond WeasyPrint at 100k words (1 - bare ÷ ours) | "
        + (
            _check(share, 0.10, f"{share:.1%}") + f" (CPU time: {overhead('cpu') or 0:.1%})"
            if share is not None
            else "not measured"
        )
        + " |",
        _time_target("300k ÷ 100k words, time", 3.3, growth),
        "| 300k ÷ 100k words, peak memory | "
        + _check(memory_growth, 3.3, f"{memory_growth or 0:.2f}")
        + " |",
        "| peak memory at 100k words, MB | "
        + _check(peak_100k, 250, f"{peak_100k or 0:.0f}")
        + " |",
    ]
    if isinstance(warm, dict):
        html_s, whole_s = float(warm["html"]), float(warm["warm"])  # type: ignore[arg-type]
        per_format = ", ".join(
            f"{fmt} {seconds:.2f} s"
            for fmt, seconds in warm["per_format"].items()  # type: ignore[attr-defined]
        )
        lines.append(
            "| warm rebuild after an edit, real manuscript: HTML edition written (what the "
            "preview shows), s | " + _check(html_s, 0.3, f"{html_s:.2f}") + " |"
        )
        lines.append(
            "| warm rebuild, every edition, s | "
            + f"{whole_s:.2f} ({per_format}; the first build in the process {warm['cold']:.2f}) |"
        )
    else:
        lines.append(f"| warm rebuild after an edit, real manuscript, s | {warm} |")
    help_text = f"{help_summary.wall:.3f}" + (
        f"; imports {', '.join(heavy)}" if heavy else "; imports none of the heavy libraries"
    )
    lines.append("| `publish --help`, s | " + _check(help_summary.wall, 0.15, help_text) + " |")
    if isinstance(incremental, Incremental):
        # The download page lists the EPUB's size, so it follows the EPUB.
        rebuilt = set(incremental.epub_css_rebuilt)
        expected = {n for n in rebuilt if n.endswith(".epub")} | {"index.html"}
        verdict_touch = "meets" if rebuilt == expected and len(expected) == 2 else "MISSES"
        verdict_none = "meets" if not incremental.nothing_rebuilt else "MISSES"
        lines += [
            "| `make` with nothing changed | rewrote "
            + (", ".join(incremental.nothing_rebuilt) or "nothing")
            + f" in {incremental.nothing_changed:.2f} s — {verdict_none} |",
            "| `make` after touching styles/epub.css | rewrote "
            + (", ".join(incremental.epub_css_rebuilt) or "nothing")
            + f" — {verdict_touch} (only the EPUB, and the download page listing its size) |",
        ]
    else:
        lines.append(f"| incremental `make` | {incremental} |")
    lines.append("")
    if isinstance(phases, dict):
        total = sum(phases.values())
        lines += [
            f"Where one cold build's time goes ({phases_label}, one process, in order):",
            "",
            "| step | s | share |",
            "|---|---:|---:|",
            *(f"| {step} | {s:.2f} | {s / total:.0%} |" for step, s in phases.items()),
            f"| total | {total:.2f} | |",
            "",
        ]
    else:
        lines += [f"Phases: {phases}", ""]
    return "\n".join(lines)


def write_into(readme: Path, table: str) -> None:
    text = readme.read_text(encoding="utf-8") if readme.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (default 3)")
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=[10_000, 100_000, 300_000],
        help="words of the generated manuscripts (default: 10000 100000 300000)",
    )
    parser.add_argument(
        "--large-runs",
        type=int,
        metavar="N",
        help="runs of each command on manuscripts of 200,000 words or more (default: --runs)",
    )
    parser.add_argument("--write", type=Path, metavar="README", help="put the tables in this file")
    args = parser.parse_args(argv)

    # A plain `kill` ends the run like Ctrl-C: the child being measured is stopped with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = dt.datetime.now(dt.UTC)
    load_start = _load()
    pandoc = pandoc_version()
    if pandoc is None:
        print("pandoc is not installed: measuring without the pandoc references", flush=True)
    real = sorted((ROOT / "manuscript").glob("*.md"))[0]
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as scratch:
        work = Path(scratch)
        cases = [prepare_case("real", real, work, pandoc is not None)]
        for words in args.sizes:
            made = generate(words, work / f"gen-{words}")
            label = f"{words // 1000}k" if words % 1000 == 0 else str(words)
            cases.append(prepare_case(label, made.manuscript, work, pandoc is not None))
        for case in cases:
            print(f"{case.label}: {case.words:,} words", flush=True)
            large = case.words >= 200_000 and args.large_runs is not None
            run_case(case, args.large_runs if large else args.runs)
        print("publish --help, warm rebuild, phases, incremental make", flush=True)
        help_time = measure_help(max(10, args.runs))
        warm = measure_warm(real, max(5, args.runs))
        phase_case = next((c for c in cases if c.label == "100k"), cases[-1])
        phases = measure_phases(phase_case.manuscript)
        incremental = check_incremental(real, work)
    table = report(
        cases,
        args.runs,
        pandoc,
        help_time,
        warm,
        phases,
        f"{phase_case.label}, {phase_case.words:,} words",
        incremental,
        (load_start, _load()),
        started,
    )
    print(table)
    if args.write:
        write_into(args.write, table)
        print(f"wrote the tables into {args.write}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
