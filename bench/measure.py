"""Run a command as a child process and measure it: wall time, CPU time and peak memory.

Every tool is measured the same way, as a separate process started cold, so our build and the
reference tools pay the same costs (interpreter start, imports). Peak memory is the kernel's
``ru_maxrss`` from ``wait4``, which covers the child and every descendant it waited for (pandoc's
WeasyPrint, make's recipes): the largest resident set among them, not a sum.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    peak_mb: float
    ok: bool
    output: str


@dataclass(frozen=True)
class Summary:
    """Medians of several samples of one command."""

    wall: float
    cpu: float
    peak_mb: float
    runs: int
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


def run_once(
    command: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Sample:
    started = time.perf_counter()
    child = subprocess.Popen(
        [str(part) for part in command],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so an interrupt stops its children too
    )
    assert child.stdout is not None
    try:
        # Read the output before waiting, or a chatty child blocks on a full pipe.
        output = child.stdout.read().decode("utf-8", "replace")
        _, status, usage = os.wait4(child.pid, 0)
    except BaseException:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        raise
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stdout.close()
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_mb=usage.ru_maxrss / 1024,  # Linux reports kibibytes
        ok=child.returncode == 0,
        output=output,
    )


def summarise(samples: Sequence[Sample]) -> Summary:
    failed = next((s for s in samples if not s.ok), None)
    if failed is not None:
        tail = "\n".join(failed.output.strip().splitlines()[-5:])
        return Summary(0.0, 0.0, 0.0, len(samples), failure=tail or "failed with no output")
    return Summary(
        wall=statistics.median(s.wall for s in samples),
        cpu=statistics.median(s.cpu for s in samples),
        peak_mb=statistics.median(s.peak_mb for s in samples),
        runs=len(samples),
    )
