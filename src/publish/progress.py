"""Build progress for the editor: one line per finished step, and signs of life during a long one.

On a terminal a spinner with the elapsed time redraws in place; in a log (CI, ``make`` piped to a
file) a plain line every few seconds says the step is still running, without control characters.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from publish.errors import visible

_SPINNER = "|/-\\"


@dataclass
class Step:
    """A step under way; the code doing it sets ``detail`` (file, pages, size) before it ends."""

    name: str
    detail: str = ""
    seconds: float = 0.0


class Progress:
    """Reports steps to ``stream``; ``Progress.silent()`` reports nothing (tests, the API)."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        live: bool | None = None,
        log_every: float = 5.0,
    ) -> None:
        self.stream = stream
        is_tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self.live = is_tty if live is None else live
        self.log_every = log_every
        self.steps: list[Step] = []

    @classmethod
    def silent(cls) -> Progress:
        return cls(None)

    @contextlib.contextmanager
    def step(self, name: str, *, started: float | None = None) -> Iterator[Step]:
        """``started``: when the step began, if before this call (in another process)."""
        current = Step(name)
        started = time.perf_counter() if started is None else started
        done = threading.Event()
        ticker = None
        if self.stream is not None:
            ticker = threading.Thread(target=self._tick, args=(current, started, done), daemon=True)
            ticker.start()
        try:
            yield current
        finally:
            done.set()
            if ticker is not None:
                ticker.join()
            current.seconds = time.perf_counter() - started
        # Only a finished step is reported as done; a failing one leaves its error to the caller.
        self.steps.append(current)
        # A detail names files and quotes tools' reports: shown, never obeyed, line by line.
        detail = "\n".join(visible(line) for line in current.detail.split("\n"))
        line = f"{visible(current.name):<10}{current.seconds:6.2f} s  {detail}"
        self._write(line.rstrip() + "\n")

    def _tick(self, current: Step, started: float, done: threading.Event) -> None:
        interval = 0.1 if self.live else self.log_every
        turn = 0
        while not done.wait(interval):
            elapsed = time.perf_counter() - started
            if self.live:
                spinner = _SPINNER[turn % len(_SPINNER)]
                self._write(f"\r{spinner} {visible(current.name)} {elapsed:4.1f} s")
                turn += 1
            else:
                self._write(f"{visible(current.name):<10}still running after {elapsed:.0f} s\n")
        if self.live and turn:
            self._write("\r\x1b[2K")  # erase the spinner line before the step's own line

    def _write(self, text: str) -> None:
        if self.stream is not None:
            self.stream.write(text)
            self.stream.flush()


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
