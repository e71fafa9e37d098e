"""Build the manuscript and every buildable fixture, and print one SHA-256 line per file written.

A refactor must not change what readers get: run this before and after and compare.

    python tools/checksums.py > before.txt
    ... change the code ...
    python tools/checksums.py > after.txt && diff before.txt after.txt

A fixture that does not build (the lint fixtures lack required keys on purpose) is listed as such.
The page-map sidecar is left out: it carries a fingerprint of the layout code by design.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def manuscripts() -> list[Path]:
    found = [ROOT / "manuscript" / "kratom-and-depression.md"]
    found += sorted((ROOT / "tests" / "fixtures").rglob("*.md"))
    return found


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    publish = Path(sys.executable).parent / "publish"
    for manuscript in manuscripts():
        name = manuscript.relative_to(ROOT)
        with tempfile.TemporaryDirectory() as out:
            run = subprocess.run(
                [str(publish), "build", str(manuscript), "-o", out],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            if run.returncode != 0:
                print(f"{name}: does not build")
                continue
            for path in sorted(Path(out).rglob("*")):
                if path.is_file() and not path.name.endswith(".pagemap.json"):
                    print(f"{digest(path)}  {name} -> {path.relative_to(out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
