"""The PDF's bytes do not depend on the clock, whichever library subsets its fonts.

Without libharfbuzz-subset0 WeasyPrint subsets with fontTools, which stamps each subset with the
time it was saved; the build has it stamp the manuscript's date instead.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import types
from pathlib import Path

import pikepdf
import pytest
from fontTools.misc import timeTools
from fontTools.ttLib import TTFont

from publish.build import build
from support import FIXTURES

MANUSCRIPT_DATE = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # minimal.md's `date`


def _font_dates(pdf: Path) -> dict[str, dt.datetime]:
    """Each embedded font subset's ``head.modified``, by font name."""
    found = {}
    with pikepdf.open(pdf) as document:
        for obj in document.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/FontDescriptor":
                continue
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in obj:
                    head = TTFont(io.BytesIO(obj[key].read_bytes()))["head"]
                    seconds = head.modified + timeTools.epoch_diff
                    found[str(obj.FontName)] = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    return found


@pytest.fixture
def without_harfbuzz_subset(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> pytest.LogCaptureFixture:
    """WeasyPrint as it runs where libharfbuzz-subset0 is not installed: it subsets with
    fontTools (and says so in its log)."""
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    caplog.set_level(logging.WARNING, logger="weasyprint")
    return caplog


def test_fonttools_subsets_carry_the_manuscript_date_and_builds_stay_identical(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    without_harfbuzz_subset: pytest.LogCaptureFixture,
) -> None:
    first = build(FIXTURES / "minimal.md", tmp_path / "first", ["pdf"])[0].path
    # The second build as if years later, by fontTools' clock.
    monkeypatch.setattr(timeTools, "time", types.SimpleNamespace(time=lambda: 2_000_000_000.0))
    second = build(FIXTURES / "minimal.md", tmp_path / "second", ["pdf"])[0].path

    assert "Using fontTools instead of HarfBuzz-Subset" in without_harfbuzz_subset.text
    dates = _font_dates(first)
    assert len(dates) >= 3  # serif, bold serif, sans at least
    assert set(dates.values()) == {MANUSCRIPT_DATE}
    assert first.read_bytes() == second.read_bytes()
    assert "SOURCE_DATE_EPOCH" not in os.environ  # set only while the PDF was written


def test_a_source_date_epoch_of_the_callers_dates_the_subsets(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    without_harfbuzz_subset: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pdf = build(FIXTURES / "minimal.md", tmp_path, ["pdf"])[0].path

    assert set(_font_dates(pdf).values()) == {dt.datetime.fromtimestamp(1700000000, tz=dt.UTC)}
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"
