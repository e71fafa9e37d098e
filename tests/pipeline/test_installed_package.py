"""``pip install .`` (no editable install, no checkout beside it) gives a ``publish`` that builds
every edition of a manuscript anywhere, with the default styles and fonts it carries.

The wheel is built once from a copy of the sources, without build isolation (the test venv has
setuptools), and installed with --no-deps into a new venv that sees this venv's libraries.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import pytest

from support import FIXTURES, ROOT

SOURCES = ("src", "styles", "pyproject.toml", "setup.py", "MANIFEST.in", "README.md")
# The installed package alone: no PYTHONPATH that could put a checkout's src/ before it.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a venv with the package installed from its wheel."""
    work = tmp_path_factory.mktemp("install")
    tree = work / "tree"
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            tree.mkdir(exist_ok=True)
            shutil.copy2(source, tree / name)
    wheels = work / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    build = [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(tree)]
    subprocess.run(build, check=True, cwd=work, timeout=300)
    (wheel,) = wheels.glob("publish-*.whl")

    target = work / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    bin_dir = target / "bin"
    # This venv's libraries without its editable publish: a .pth line adds the folder to the
    # path, and the .pth files inside it (the editable install's among them) are not read.
    site = subprocess.run(
        [str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
        env=CLEAN_ENV,
    ).stdout.strip()
    (Path(site) / "libraries.pth").write_text(sysconfig.get_path("purelib") + "\n", "utf-8")
    # This venv's pip, run for the new venv's interpreter (which has no pip of its own).
    install = [*pip, "--python", str(bin_dir / "python"), "install", "--no-deps", "--no-index"]
    subprocess.run([*install, str(wheel)], check=True, timeout=300)
    return bin_dir


def run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_dir / "publish"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        env=CLEAN_ENV,
    )


def test_the_installed_package_builds_every_edition_from_anywhere(
    installed: Path, tmp_path: Path
) -> None:
    book = tmp_path / "elsewhere" / "book.md"
    book.parent.mkdir()
    shutil.copy2(FIXTURES / "minimal.md", book)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    done = run(installed, "build", str(book), "-o", str(tmp_path / "out"), cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    for edition in ("book.epub", "book.html", "book.pdf", "index.html"):
        assert (out / edition).stat().st_size > 0, edition
    assert (out / "book.pdf").read_bytes().startswith(b"%PDF-")
    # The HTML edition's fonts come from the styles the package carries.
    assert sorted(p.suffix for p in (out / "book_files").rglob("*.otf"))


def test_it_uses_the_styles_it_carries_unless_the_project_has_its_own(
    installed: Path, tmp_path: Path
) -> None:
    probe = (
        "import sys; from pathlib import Path; from publish.styles import default_styles_dir; "
        "print(default_styles_dir(Path(sys.argv[1])))"
    )
    lone = tmp_path / "lone" / "book.md"
    lone.parent.mkdir()
    project = tmp_path / "project"
    (project / "manuscript").mkdir(parents=True)
    shutil.copytree(ROOT / "styles", project / "styles")
    for manuscript, expected_inside in (
        (lone, installed.parent),
        (project / "manuscript" / "b.md", project),
    ):
        found = subprocess.run(
            [str(installed / "python"), "-c", probe, str(manuscript)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=True,
            env=CLEAN_ENV,
        ).stdout.strip()
        assert Path(found).is_relative_to(expected_inside.resolve()), found
        assert (Path(found) / "print.css").is_file()
        assert (Path(found) / "fonts" / "SourceSerif4-Regular.otf").is_file()


def test_version(installed: Path, tmp_path: Path) -> None:
    done = run(installed, "--version", cwd=tmp_path)
    assert done.returncode == 0
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert done.stdout.strip() == f"publish {declared}"
