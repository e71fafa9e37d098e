#!/usr/bin/env python3
"""Summarize an Ace by DAISY report.json.

Usage: summarize.py REPORT_JSON

Prints violation counts by impact and one line per critical/serious violation
(rule id, file, CFI/CSS pointer). Exit status: 1 if any critical or serious
violation, 0 otherwise, 2 on usage/IO error.

report.json layout (Ace 1.4.x, EARL/JSON-LD):
  earl:result.earl:outcome                    "pass" | "fail" for the whole EPUB
  assertions[]                                one per checked document (OPF, nav, each XHTML)
    earl:testSubject.url                      file, e.g. "EPUB/content.opf", "chap_01.xhtml"
    earl:result.earl:outcome                  "pass" | "fail" for that document
    assertions[]                              one per violation (only failures are listed)
      earl:assertedBy                         "Ace" (EPUB-level rules) | "aXe" (HTML rules)
      earl:result.earl:outcome                "fail"
      earl:result.dct:description             what is wrong
      earl:result.earl:pointer.{cfi,css}[]    where (HTML rules only)
      earl:result.html                        offending markup snippet (HTML rules only)
      earl:test.dct:title                     rule id, e.g. "image-alt", "epub-lang"
      earl:test.earl:impact                   "critical" | "serious" | "moderate" | "minor"
      earl:test.help.url                      DAISY KB page
  a11y-metadata.{missing,empty,present}[]     schema.org / a11y: metadata names
  data.images[], properties{}, outlines{}     extracted info, not violations
"""

import json
import sys
from collections import Counter

IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")


def iter_violations(node, subject=None):
    """Yield (subject_url, assertion) for every failed leaf assertion."""
    if isinstance(node, dict):
        ts = node.get("earl:testSubject")
        if isinstance(ts, dict) and ts.get("url"):
            subject = ts["url"]
        children = node.get("assertions")
        if "earl:test" in node and node.get("earl:result", {}).get("earl:outcome") == "fail":
            yield subject, node
        if isinstance(children, list):
            for child in children:
                yield from iter_violations(child, subject)


def location(subject, assertion):
    ptr = assertion.get("earl:result", {}).get("earl:pointer") or {}
    parts = [subject or "?"]
    cfi = ptr.get("cfi") or []
    css = ptr.get("css") or []
    if cfi:
        parts.append("cfi=" + ",".join(cfi))
    if css:
        parts.append("css=" + ",".join(css))
    return " ".join(parts)


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as fh:
            report = json.load(fh)
    except (OSError, ValueError) as exc:
        print(f"summarize: cannot read {argv[1]}: {exc}", file=sys.stderr)
        return 2

    violations = list(iter_violations({"assertions": report.get("assertions", [])}))
    counts = Counter(a.get("earl:test", {}).get("earl:impact", "unknown") for _, a in violations)

    outcome = report.get("earl:result", {}).get("earl:outcome", "?")
    print(f"Ace outcome: {outcome}; violations: {len(violations)}")
    for impact in IMPACTS + tuple(k for k in counts if k not in IMPACTS):
        print(f"  {impact}: {counts.get(impact, 0)}")

    blocking = [
        (s, a) for s, a in violations if a.get("earl:test", {}).get("earl:impact") in BLOCKING
    ]
    for subject, a in blocking:
        test = a.get("earl:test", {})
        desc = a.get("earl:result", {}).get("dct:description", "").splitlines()
        print(
            f"{test.get('earl:impact', '?').upper()} {test.get('dct:title', '?')}"
            f" @ {location(subject, a)}: {desc[0] if desc else ''}"
        )

    missing = report.get("a11y-metadata", {}).get("missing", [])
    if missing:
        print("Missing a11y metadata: " + ", ".join(missing))
    return 1 if blocking else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
