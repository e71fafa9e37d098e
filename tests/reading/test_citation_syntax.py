"""Fast tests of pandoc's citation syntax and the clusters the style prints, without Markdown,
citeproc or a bibliography: pure functions of the text."""

from __future__ import annotations

from publish.locate import code_spans
from publish.reading.citations.formatting import author_label, collapse
from publish.reading.citations.syntax import Cite, find_citations, parse_cluster


def test_a_cluster_with_prefix_locator_and_two_sources() -> None:
    assert parse_cluster("see @smith, p. 33; @jones") == (
        Cite("smith", "see", "", ("page", "33"), 5),
        Cite("jones", "", "", None, 20),  # offsets: 1 + where each @ is
    )


def test_locators_and_suffixes_as_pandoc_reads_them() -> None:
    (labelled,) = parse_cluster("@a, chap. 2 and passim") or ()
    assert (labelled.locator, labelled.suffix) == (("chapter", "2"), "and passim")
    (bare,) = parse_cluster("@a, 12-14") or ()
    assert bare.locator == ("page", "12-14")  # a bare number is a page
    (plain,) = parse_cluster("@a and more") or ()
    assert (plain.locator, plain.suffix) == (None, "and more")


def test_braced_keys_and_what_is_not_a_cluster() -> None:
    assert [c.key for c in parse_cluster("@{smith.2020}") or ()] == ["smith.2020"]
    assert parse_cluster("@a @b") is None  # two keys in one part
    assert parse_cluster("mail me at x@example.org") is None


def test_citations_are_found_outside_links_and_code_spans() -> None:
    line = "Text [@a]. A [link](http://x) and `[@code]` then [see @b; @c]."
    found = [
        (line[start:end], [c.key for c in cites]) for start, end, cites in find_citations(line)
    ]
    assert found == [(" [@a]", ["a"]), (" [see @b; @c]", ["b", "c"])]


def test_code_spans_are_whole_backtick_runs() -> None:
    assert code_spans("a `x` b ``y ` z`` c") == [(2, 5), (8, 17)]
    assert code_spans("``not closed by one`") == []


def test_runs_of_three_or_more_numbers_collapse() -> None:
    cites = [(n, Cite(k)) for n, k in ((1, "a"), (2, "b"), (3, "c"), (5, "d"))]
    assert [[n for n, _ in group] for group in collapse(cites)] == [[1, 3], [5]]
    two = [(1, Cite("a")), (2, Cite("b"))]
    assert [[n for n, _ in group] for group in collapse(two)] == [[1], [2]]
    located = [(1, Cite("a")), (2, Cite("b", locator=("page", "4"))), (3, Cite("c"))]
    assert len(collapse(located)) == 3  # a locator keeps its number apart


def test_in_text_author_labels() -> None:
    def names(*family: str) -> dict[str, object]:
        return {"id": "k", "author": [{"family": f} for f in family]}

    assert author_label(names("Smith")) == "Smith"
    assert author_label(names("Smith", "Jones")) == "Smith and Jones"
    assert author_label(names("Smith", "Jones", "Lee")) == "Smith et al."
    assert author_label({"id": "k", "title": "<i>Report</i>"}) == "Report"
