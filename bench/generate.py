"""Generate a manuscript of a given length for the benchmark, the same bytes every time.

The mix follows what a long non-fiction book holds: chapters (level-1 headings) every few
thousand words, subsections, paragraphs of varied length with emphasis, bullet and numbered
lists, tables, block quotes, footnotes, and citations in pandoc's syntax (``[@key]``,
``[@a; @b]``, ``[@key, p. 12]``) resolved from a CSL YAML bibliography written beside it.

The prose avoids what the editorial checks flag (amounts with units, curative claims), so a
generated book builds like a real one. Words are counted as a reader would count them: the
visible words of headings, prose, lists, tables, quotes and notes, but not citation keys or
footnote labels, which the reader sees as numbers.

    python bench/generate.py 100000 OUTDIR     # writes OUTDIR/book.md and OUTDIR/references.yaml
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass, field
from pathlib import Path


def _split(text: str) -> list[str]:
    return text.split()


# A plain vocabulary of common words, so text shapes and hyphenates like ordinary English.
_WORDS = _split("""
the of and to in a is that for it as was with be by on not he this are or his from at which but
have an they you were her all she there would their we him been has when who will more no if out
so said what up its about into than them can only other new some could time these two may then do
first any my now such like our over man me even most made after also did many before must through
back years where much your way well down should because each just those people how too little
state good very make world still own see men work long get here between both life being under
never day same another know while last might us great old year off come since against go came
right used take three states himself few house use during without again place american around
however home small found thought went say part once general high upon school every does got
united left number course war until always away something fact though water less public put think
almost hand enough far took head yet government system better set told nothing night end why
called didn find look asked later point knew city next program business give group toward young
days let room president side social given present several order national possible rather second
face per among form important often things looked early white case john become large big need
four within felt along children saw best church ever least power development light thing seemed
family interest want members mind country area others done turned although open problem sense
service certain kind began thus help means course reading evidence study studies review readers
chapter section survey pattern question answer reason method result measure record letter table
garden river valley harbor village market bridge window morning evening summer winter season
""")
_CAPITALISED = [w.capitalize() for w in _WORDS if len(w) > 3]
_SURNAMES = _split("""
Abbott Baker Carter Dalton Ellis Foster Garcia Hughes Ibrahim Jensen Kowalski Lindqvist Moreau
Nakamura Okafor Patel Quinn Rossi Santos Tanaka Umarov Varga Walsh Xu Yilmaz Zimmermann
""")
_GIVEN = _split("Ada Ben Chloe David Elena Farid Grace Hiro Ines Jonas Kira Luis Mei Nora Omar")
_JOURNALS = [
    "Journal of Everyday Studies",
    "Review of Applied Reading",
    "Annals of Plain Evidence",
    "Quarterly of General Methods",
]
# No block is longer than this, so the book closes on plain paragraphs that hit the target.
_LAST_STRETCH = 400
_PUBLISHERS = ["Harbor Press", "Valley Books", "Riverside Academic", "Northfield Publishing"]


def count_words(markdown_body: str) -> int:
    """Visible words: citation brackets and footnote labels are not words a reader sees."""
    text = re.sub(r"\[@[^\]]*\]|\[\^[^\]]*\]:?", " ", markdown_body)
    return len(re.findall(r"[A-Za-z]+", text))


@dataclass
class _Writer:
    rng: random.Random
    keys: list[str]
    target: int
    words: int = 0
    blocks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cited: set[str] = field(default_factory=set)

    def phrase(self, count: int) -> str:
        chosen = [self.rng.choice(_WORDS) for _ in range(count)]
        self.words += count
        return " ".join(chosen)

    def title(self, count: int) -> str:
        self.words += count
        return " ".join(self.rng.choice(_CAPITALISED) for _ in range(count))

    def sentence(self) -> str:
        length = self.rng.randint(6, 24)
        words = self.phrase(length).split()
        if length > 8 and self.rng.random() < 0.15:
            words[3] = f"*{words[3]}*"
        if length > 10 and self.rng.random() < 0.08:
            words[6] = f"**{words[6]}**"
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def citation(self) -> str:
        roll = self.rng.random()
        first = self._key()
        if roll < 0.7:
            return f" [@{first}]"
        if roll < 0.85:
            return f" [@{first}, p. {self.rng.randint(2, 400)}]"
        return f" [@{first}; @{self._key()}]"

    def _key(self) -> str:
        # Cite every entry once, in order, before citing any again: no entry stays uncited.
        unused = len(self.cited) < len(self.keys)
        key = self.keys[len(self.cited)] if unused else self.rng.choice(self.keys)
        self.cited.add(key)
        return key

    def footnote(self) -> str:
        label = f"n{len(self.notes) + 1}"
        self.notes.append(f"[^{label}]: {self.sentence()} {self.sentence()}")
        return f"[^{label}]"

    def paragraph(self) -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(3, 8))]
        text = " ".join(sentences)
        if self.rng.random() < 0.35:
            text = text[:-1] + self.citation() + "."
        if self.rng.random() < 0.2:
            text += self.footnote()
        return text

    def bullet_list(self) -> str:
        numbered = self.rng.random() < 0.3
        items = []
        for index in range(1, self.rng.randint(3, 6) + 1):
            marker = f"{index}." if numbered else "-"
            item = self.sentence()
            if self.rng.random() < 0.2:
                item = item[:-1] + self.citation() + "."
            items.append(f"{marker} {item}")
        return "\n".join(items)

    def table(self) -> str:
        columns = self.rng.randint(3, 5)
        header = [self.title(1) for _ in range(columns)]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * columns]
        for _ in range(self.rng.randint(3, 7)):
            cells = [self.phrase(self.rng.randint(1, 3)) for _ in range(columns - 1)]
            lines.append(f"| {' | '.join(cells)} | {self.rng.randint(1, 999)} |")
        caption = f"{self.title(2)} {self.phrase(1)} {self.title(1)}."
        return "\n".join(lines) + f"\n\n{caption[:-1]}{self.citation()}."

    def quote(self) -> str:
        return "> " + " ".join(self.sentence() for _ in range(self.rng.randint(2, 4)))

    def body(self) -> str:
        while self.target - self.words > _LAST_STRETCH:
            self.blocks.append(f"# {self.title(self.rng.randint(2, 5))}")
            chapter_end = self.words + self.rng.randint(3000, 6000)
            while self.words < chapter_end and self.target - self.words > _LAST_STRETCH:
                self.blocks.append(f"## {self.title(self.rng.randint(2, 6))}")
                section_end = self.words + self.rng.randint(600, 1500)
                while self.words < section_end and self.target - self.words > _LAST_STRETCH:
                    self._block()
        if not self.blocks:
            self.blocks.append(f"# {self.title(1)}")
        # Close on plain paragraphs of exactly the words left, so the count lands on the target.
        while self.words < self.target:
            left = self.target - self.words
            text = self.phrase(min(left, self.rng.randint(40, 120)))
            self.blocks.append(text[0].upper() + text[1:] + ".")
        return "\n\n".join([*self.blocks, *self.notes]) + "\n"

    def _block(self) -> None:
        roll = self.rng.random()
        if roll < 0.04:
            self.blocks.append(f"### {self.title(self.rng.randint(2, 5))}")
        elif roll < 0.13:
            self.blocks.append(self.bullet_list())
        elif roll < 0.16:
            self.blocks.append(self.table())
        elif roll < 0.19:
            self.blocks.append(self.quote())
        else:
            self.blocks.append(self.paragraph())


def _reference(rng: random.Random, key: str, index: int) -> str:
    authors = []
    for _ in range(rng.randint(1, 4)):
        authors.append(f"  - family: {rng.choice(_SURNAMES)}\n    given: {rng.choice(_GIVEN)}")
    title = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 10))).capitalize()
    year = 1990 + index % 36
    kind = rng.choice(["article-journal", "article-journal", "book", "report"])
    lines = [f"- id: {key}", f"  type: {kind}", "  author:", *authors, f'  title: "{title}"']
    if kind == "article-journal":
        lines.append(f"  container-title: {rng.choice(_JOURNALS)}")
        lines.append(f'  volume: "{rng.randint(1, 80)}"')
        first = rng.randint(1, 900)
        lines.append(f"  page: {first}-{first + rng.randint(5, 30)}")
    else:
        lines.append(f"  publisher: {rng.choice(_PUBLISHERS)}")
    lines.append(f"  issued:\n    date-parts: [[{year}]]")
    return "\n".join(lines)


def front_matter(words: int) -> str:
    return f"""---
title: "A Generated Book of {words} Words"
subtitle: "Benchmark Text"
author: "Benchmark Generator"
publisher: "Publish Benchmarks"
date: 2026-01-01
lang: en-US
keywords: [benchmark, generated]
bibliography: references.yaml
disclaimer: |
  **This text is generated for benchmarks.** It is not advice of any kind.

  In a crisis, call or text **988** in the US, or call local emergency services elsewhere.
  For a suspected overdose, call Poison Help at 1-800-222-1222.
summary: |
  A generated text with chapters, sections, lists, tables, notes and citations, made only to
  measure how long the editions take to build.
---

"""


@dataclass(frozen=True)
class Generated:
    manuscript: Path
    bibliography: Path
    words: int


def generate(words: int, out_dir: Path, seed: int = 8) -> Generated:
    """Write ``book.md`` (``words`` visible body words) and ``references.yaml`` into ``out_dir``."""
    rng = random.Random(f"{seed}:{words}")
    keys = [f"ref{index:04d}" for index in range(1, max(20, words // 400) + 1)]
    writer = _Writer(rng, keys, words)
    body = writer.body()
    references = "\n\n".join(_reference(rng, key, i) for i, key in enumerate(keys))
    out_dir.mkdir(parents=True, exist_ok=True)
    manuscript = out_dir / "book.md"
    bibliography = out_dir / "references.yaml"
    manuscript.write_text(front_matter(words) + body, encoding="utf-8")
    bibliography.write_text(f"references:\n{references}\n", encoding="utf-8")
    return Generated(manuscript, bibliography, count_words(body))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("words", type=int)
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args()
    made = generate(args.words, args.out_dir)
    print(f"wrote {made.manuscript} ({made.words} words) and {made.bibliography}")


if __name__ == "__main__":
    main()
