"""tools/system-packages, which `make` runs: it checks the system packages, installs the
missing ones with apt-get when it can, and otherwise says the one command to run.

apt-get, sudo, id and dpkg-query are stand-ins on PATH that write down how they were called.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from support import ROOT, require_tool

SCRIPT = ROOT / "tools" / "system-packages"
LIST = """\
# group package probe
build  libfake-render   cmd:fake-render
build  libc6            lib:libc.so.6
test   fake-utils       cmd:fake-text,fake-fonts
test   fake-runtime     cmd:fake-java
"""
# The stand-ins. apt-get "installs" a package by putting its commands in the installed folder.
APT_GET = """#!/bin/sh
echo "apt-get $*" >> "$CALLS"
[ "$1" = install ] || exit 0
provide() { for c; do touch "$INSTALLED/$c" && chmod +x "$INSTALLED/$c"; done; }
for package in "$@"; do
  case $package in
    libfake-render) provide fake-render ;;
    fake-utils) provide fake-text fake-fonts ;;
    fake-runtime) provide fake-java ;;
  esac
done
"""
SUDO = """#!/bin/sh
echo "sudo $*" >> "$CALLS"
[ "$FAKE_SUDO" = works ] || exit 1
shift  # -n
exec "$@"
"""
ID = """#!/bin/sh
echo "$FAKE_UID"
"""
DPKG_QUERY = """#!/bin/sh
for asked; do :; done  # the last argument: dpkg-query -W -f=FORMAT PACKAGE
for package in $FAKE_DPKG_INSTALLED; do
  [ "$package" = "$asked" ] && printf installed && exit 0
done
echo "dpkg-query: no packages found matching $asked" >&2
exit 1
"""


class Machine:
    """A folder of stand-ins and of "installed" commands, and the script run against them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.bin = root / "bin"
        self.installed = root / "installed"
        self.calls = root / "calls"
        for folder in (self.bin, self.installed):
            folder.mkdir()
        for name, text in (
            ("apt-get", APT_GET),
            ("sudo", SUDO),
            ("id", ID),
            ("dpkg-query", DPKG_QUERY),
        ):
            (self.bin / name).write_text(text)
            (self.bin / name).chmod(0o755)
        (root / "packages.txt").write_text(LIST)
        self.calls.touch()

    def have(self, *commands: str) -> None:
        for command in commands:
            (self.installed / command).touch()
            (self.installed / command).chmod(0o755)

    def run(
        self, *args: str, uid: int = 1000, sudo: bool = False, dpkg_has: str = "", **env: str
    ) -> subprocess.CompletedProcess[str]:
        environment = {
            "PATH": f"{self.bin}:{self.installed}:/usr/bin:/bin",
            "CALLS": str(self.calls),
            "INSTALLED": str(self.installed),
            "FAKE_UID": str(uid),
            "FAKE_SUDO": "works" if sudo else "asks",
            "FAKE_DPKG_INSTALLED": dpkg_has,
            "PUBLISH_PACKAGE_LIST": str(self.root / "packages.txt"),
            **env,
        }
        return subprocess.run(
            [str(SCRIPT), *args], env=environment, capture_output=True, text=True, check=False
        )

    def apt_get(self) -> list[str]:
        return [line for line in self.calls.read_text().splitlines() if "apt-get" in line]


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return Machine(tmp_path)


def test_nothing_is_said_or_installed_when_everything_is_there(machine: Machine) -> None:
    machine.have("fake-render", "fake-text", "fake-fonts", "fake-java")
    for group in ("build", "test"):
        done = machine.run("ensure", group, uid=0)
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert machine.calls.read_text() == ""


def test_root_installs_what_the_build_lacks_and_goes_on(machine: Machine) -> None:
    done = machine.run("ensure", "build", uid=0)

    assert done.returncode == 0, done.stderr
    assert "Installing the system packages build needs: libfake-render (apt-get)" in done.stderr
    assert machine.apt_get() == [
        "apt-get update -qq",
        "apt-get install -y -qq --no-install-recommends libfake-render",
    ]


def test_a_user_with_sudo_that_asks_no_password_installs_through_it(machine: Machine) -> None:
    done = machine.run("ensure", "test", sudo=True)

    assert done.returncode == 0, done.stderr
    assert machine.calls.read_text().splitlines()[-1] == (
        "apt-get install -y -qq --no-install-recommends fake-utils fake-runtime"
    )
    assert "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install" in machine.calls.read_text()
    assert "skipped" not in done.stderr


def test_without_root_or_sudo_the_build_stops_with_the_one_command(machine: Machine) -> None:
    done = machine.run("ensure", "build")

    assert done.returncode == 1
    assert "The build needs system packages that are not installed: libfake-render." in done.stderr
    assert "    sudo apt-get install libfake-render\n" in done.stderr
    assert machine.apt_get() == []


def test_without_root_or_sudo_missing_test_tools_are_named_and_their_tests_skip(
    machine: Machine,
) -> None:
    machine.have("fake-text")  # poppler half there is still missing
    done = machine.run("ensure", "test")

    assert done.returncode == 0
    assert "Not installed: fake-utils fake-runtime: the tests that need them will be skipped" in (
        done.stderr
    )
    assert "    sudo apt-get install fake-utils fake-runtime\n" in done.stderr
    assert machine.apt_get() == []


def test_ci_fails_on_a_test_tool_that_could_not_be_installed(machine: Machine) -> None:
    done = machine.run("ensure", "test", PUBLISH_REQUIRE_TOOLS="1")

    assert done.returncode == 1
    assert "PUBLISH_REQUIRE_TOOLS=1: every test tool must be present." in done.stderr


def test_no_install_asks_root_too_to_run_the_command(machine: Machine) -> None:
    done = machine.run("ensure", "build", "--no-install", uid=0)

    assert done.returncode == 1
    assert "    apt-get install libfake-render\n" in done.stderr  # root needs no sudo
    assert machine.apt_get() == []


def test_a_package_installed_but_off_path_is_not_installed_again(machine: Machine) -> None:
    done = machine.run("ensure", "test", uid=0, dpkg_has="fake-utils fake-runtime")

    assert done.returncode == 0
    assert machine.apt_get() == []
    assert (
        "Installed, but not on PATH: fake-text, fake-fonts (fake-utils); fake-java "
        "(fake-runtime): the tests that need them will be skipped." in done.stderr
    )


def test_a_missing_library_is_found_missing(machine: Machine) -> None:
    (machine.root / "packages.txt").write_text("build libfake-absent lib:libfake-absent.so.7\n")
    done = machine.run("ensure", "build")

    assert done.returncode == 1
    assert "sudo apt-get install libfake-absent" in done.stderr


def test_hide_makes_a_path_without_a_groups_commands(machine: Machine, tmp_path: Path) -> None:
    machine.have("fake-text", "fake-fonts", "fake-java", "fake-render")
    done = machine.run("hide", str(tmp_path / "hidden"), "test")

    assert done.stdout.strip() == str(tmp_path / "hidden")
    linked = {p.name for p in (tmp_path / "hidden").iterdir()}
    assert {"fake-render", "sh", "apt-get"} <= linked
    assert not linked & {"fake-text", "fake-fonts", "fake-java"}


def test_the_real_list_names_every_package_once(machine: Machine) -> None:
    names = subprocess.run(
        [str(SCRIPT), "list", "build", "test"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert {"libpango-1.0-0", "libharfbuzz-subset0", "libcairo2", "poppler-utils"} <= set(names)
    assert len(names) == len(set(names))
    done = subprocess.run([str(SCRIPT), "commands", "test"], capture_output=True, text=True)
    assert {"pdftotext", "java", "chromium", "node", "npm"} <= set(done.stdout.split())


def test_make_stops_before_building_when_a_build_package_is_missing(tmp_path: Path) -> None:
    (tmp_path / "packages.txt").write_text("build libfake-absent lib:libfake-absent.so.7\n")
    out = tmp_path / "dist"
    done = subprocess.run(
        [require_tool("make"), "-C", str(ROOT), f"OUT={out}", "STAMP=", "SYSTEM_PACKAGES=check"],
        env={**os.environ, "PUBLISH_PACKAGE_LIST": str(tmp_path / "packages.txt")},
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode != 0
    assert "apt-get install libfake-absent" in done.stderr
    assert not out.exists()


def test_a_test_whose_tool_is_missing_skips_naming_the_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_tool("pdffonts", "the font check")
    assert str(skipped.value) == (
        "pdffonts is not on PATH, for the font check (sudo apt-get install poppler-utils)"
    )


def test_python_that_cannot_make_a_virtualenv_asks_for_python3_venv(
    machine: Machine, tmp_path: Path
) -> None:
    (machine.root / "packages.txt").write_text("build python3-venv venv:\n")
    cannot = {"PYTHON": "false", "VENV": str(tmp_path / "no-venv")}  # `false -c ...` fails
    assert "sudo apt-get install python3-venv" in machine.run("ensure", "build", **cannot).stderr
    done = machine.run("ensure", "build", dpkg_has="python3-venv", **cannot)
    assert done.returncode == 1
    assert "Installed, but not found by the build: false -m venv (python3-venv)." in done.stderr
    (tmp_path / "no-venv" / "bin").mkdir(parents=True)
    (tmp_path / "no-venv" / "bin" / "python").symlink_to("/bin/sh")  # a virtualenv is there
    assert machine.run("ensure", "build", **cannot).returncode == 0
