"""The benchmark's manuscript generator: same bytes every time, the requested number of words."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import yaml

from publish.reading.manuscript import read_manuscript
from support import ROOT

GENERATOR = ROOT / "bench" / "generate.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def _visible_words(markdown: str) -> int:
    # Counted here apart from the generator: drop the front matter, citations and note labels.
    body = markdown.split("\n---\n", 1)[1]
    body = re.sub(r"\[@[^\]]*\]|\[\^[^\]]*\]:?", " ", body)
    return len(re.findall(r"[A-Za-z]+", body))


def test_same_words_give_the_same_bytes(tmp_path: Path) -> None:
    generate = _generator().generate
    first, second = generate(3000, tmp_path / "a"), generate(3000, tmp_path / "b")
    assert first.manuscript.read_bytes() == second.manuscript.read_bytes()
    assert first.bibliography.read_bytes() == second.bibliography.read_bytes()


def test_the_requested_word_count_and_a_realistic_mix(tmp_path: Path) -> None:
    made = _generator().generate(6000, tmp_path)
    text = made.manuscript.read_text(encoding="utf-8")
    assert _visible_words(text) == 6000
    assert re.search(r"^# ", text, re.MULTILINE) and re.search(r"^## ", text, re.MULTILINE)
    assert re.search(r"^- ", text, re.MULTILINE) and re.search(r"^\|---", text, re.MULTILINE)
    assert re.search(r"^\[\^n1\]: ", text, re.MULTILINE)
    cited = set(re.findall(r"@(ref\d{4})", text))
    entries = yaml.safe_load(made.bibliography.read_text(encoding="utf-8"))["references"]
    assert cited == {entry["id"] for entry in entries}  # every entry cited, no unknown key


def test_a_generated_manuscript_is_one_we_read(tmp_path: Path) -> None:
    made = _generator().generate(2000, tmp_path)
    book = read_manuscript(made.manuscript)
    assert book.sections and book.metadata.title == "A Generated Book of 2000 Words"
