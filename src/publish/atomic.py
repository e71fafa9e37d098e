"""Write outputs beside their final names and rename them into place, so a failed or interrupted
build never leaves a half-written file where the last good one was.

Inside ``all_or_nothing()`` the renames wait until every edition is written: a build that fails
or is interrupted part-way leaves the output folder exactly as it was, not a new PDF beside an
old EPUB. The renames then run together with SIGINT and SIGTERM held back.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path


class _Staged:
    """Finished temporary files waiting to replace their targets."""

    def __init__(self) -> None:
        self.files: dict[Path, Path] = {}

    def add(self, target: Path, temporary: Path) -> None:
        earlier = self.files.pop(target, None)
        if earlier is not None:
            earlier.unlink(missing_ok=True)
        self.files[target] = temporary

    def commit(self) -> None:
        held = {signal.SIGINT, signal.SIGTERM}
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            for target, temporary in self.files.items():
                os.replace(temporary, target)
            self.files.clear()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def discard(self) -> None:
        for temporary in self.files.values():
            temporary.unlink(missing_ok=True)
        self.files.clear()


_staging: ContextVar[_Staged | None] = ContextVar("publish_staging", default=None)


@contextlib.contextmanager
def all_or_nothing() -> Iterator[None]:
    """Hold back every ``replacing()`` rename until the block succeeds; on failure, drop them."""
    staged = _Staged()
    token = _staging.set(staged)
    try:
        yield
        staged.commit()
    except BaseException:
        staged.discard()
        raise
    finally:
        _staging.reset(token)


def current(target: Path) -> Path:
    """Where ``target``'s newest content is: its staged file in this build, else ``target``."""
    staged = _staging.get()
    return staged.files.get(target, target) if staged is not None else target


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path in ``target``'s folder; on success it replaces ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        staged = _staging.get()
        if staged is None:
            os.replace(temporary, target)
        else:
            staged.add(target, temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
