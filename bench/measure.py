"""Run a command as a child process and measure it: wall time, CPU time and peak memory.

Every tool is measured the same way, as a separate process started cold, so our build and the
reference tools pay the same costs (interpreter start, imports).

Peak memory is what the command and all its processes hold at once: while it runs, the
proportional set size (PSS: each page shared between processes counted once, split among them)
of the command's process and all its descendants is summed every 20 ms, and the largest sum is
kept. That counts our build's PDF worker together with the process that forked it, and pandoc
together with the WeasyPrint it runs. Sampling takes CPU time from the command (our build's two
processes share two cores with it), so it is done in a run of its own (``memory=True``), apart
from the timed runs. The kernel's ``ru_maxrss`` from ``wait4`` (the largest resident set of any
one of the processes) is kept too; the peak reported is the larger of the two, so a short burst
between samples is not lost.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    peak_mb: float  # all the command's processes at once (see the module's docstring)
    ok: bool
    output: str
    largest_process_mb: float = 0.0  # ru_maxrss: the largest single process


class TreeMemory:
    """Samples the summed PSS of a process and its descendants in a thread until ``stop()``."""

    INTERVAL = 0.02

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_kb = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        """The peak in MB (0 when nothing could be read)."""
        self._done.set()
        self._thread.join()
        return self.peak_kb / 1024

    def _run(self) -> None:
        while not self._done.wait(self.INTERVAL):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in self._members()))

    def _members(self) -> list[int]:
        members, pending = [], [self.root]
        while pending:
            pid = pending.pop()
            members.append(pid)
            try:
                tasks = list(Path(f"/proc/{pid}/task").iterdir())
            except OSError:
                continue
            for task in tasks:
                try:
                    pending += [int(child) for child in (task / "children").read_text().split()]
                except OSError:
                    continue
        return members


def _pss_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


@dataclass(frozen=True)
class Summary:
    """Medians of several samples of one command."""

    wall: float
    cpu: float
    peak_mb: float
    runs: int
    failure: str | None = None
    largest_process_mb: float = 0.0

    @property
    def ok(self) -> bool:
        return self.failure is None


def run_once(
    command: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    memory: bool = False,
) -> Sample:
    """One run; ``memory``: sample the memory of all its processes (which slows it a little)."""
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
    tree = TreeMemory(child.pid) if memory else None
    try:
        # Read the output before waiting, or a chatty child blocks on a full pipe.
        output = child.stdout.read().decode("utf-8", "replace")
        _, status, usage = os.wait4(child.pid, 0)
    except BaseException:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        raise
    finally:
        group_mb = tree.stop() if tree is not None else 0.0
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stdout.close()
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_mb=max(group_mb, usage.ru_maxrss / 1024),  # Linux reports kibibytes
        ok=child.returncode == 0,
        output=output,
        largest_process_mb=usage.ru_maxrss / 1024,
    )


def summarise(samples: Sequence[Sample], memory: Sequence[Sample] = ()) -> Summary:
    """Medians of the timed ``samples``; peak memory from the ``memory`` runs when there are."""
    failed = next((s for s in (*samples, *memory) if not s.ok), None)
    if failed is not None:
        tail = "\n".join(failed.output.strip().splitlines()[-5:])
        return Summary(0.0, 0.0, 0.0, len(samples), failure=tail or "failed with no output")
    peaks = memory or samples
    return Summary(
        wall=statistics.median(s.wall for s in samples),
        cpu=statistics.median(s.cpu for s in samples),
        peak_mb=statistics.median(s.peak_mb for s in peaks),
        runs=len(samples),
        largest_process_mb=statistics.median(s.largest_process_mb for s in peaks),
    )
