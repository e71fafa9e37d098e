"""Shared fixtures: fixture manuscripts are built once per test session, into a temporary dist."""

from __future__ import annotations

import os

import pytest

from support import FIXTURES, REAL_MANUSCRIPT, Built, Epub
from support import build_fixture as _build


@pytest.fixture(scope="session")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(FIXTURES / "minimal.md", tmp_path_factory.mktemp("minimal"))


@pytest.fixture(scope="session")
def features(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Every Markdown feature we support, images included."""
    return _build(FIXTURES / "features.md", tmp_path_factory.mktemp("features"))


@pytest.fixture(scope="session")
def real(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(REAL_MANUSCRIPT, tmp_path_factory.mktemp("real"))


@pytest.fixture(params=["minimal", "real"], scope="session")
def edition(request: pytest.FixtureRequest) -> Built:
    built: Built = request.getfixturevalue(request.param)
    return built


@pytest.fixture(params=["minimal", "features", "real"], scope="session")
def any_book(request: pytest.FixtureRequest) -> Built:
    """Each session-built fixture, the one with every Markdown feature included."""
    built: Built = request.getfixturevalue(request.param)
    return built


@pytest.fixture
def read_epub():
    return Epub


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """With PUBLISH_REQUIRE_TOOLS=1 (CI sets it) a test skipped for a missing tool fails instead:
    CI installs every tool, so a skip there means an install step is missing, not a choice."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("PUBLISH_REQUIRE_TOOLS") == "1":
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped where every tool must be present: {reason}"
