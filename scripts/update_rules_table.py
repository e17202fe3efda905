#!/usr/bin/env python3
"""Regenerate the rule table in README.md from the rule registry.

Run after adding or changing a rule; tests/test_readme.py fails while the
table is out of date.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"


def table() -> str:
    from mtcheck.rules import all_rules

    rows = ["| code | name | severity | fix | what it flags |", "| --- | --- | --- | --- | --- |"]
    for r in all_rules().values():
        fix = {"always": "safe", "sometimes": "sometimes safe", "never": ""}[r.fix]
        summary = r.summary.replace("|", r"\|")
        rows.append(f"| {r.code} | `{r.name}` | {r.severity} | {fix} | {summary} |")
    return "\n".join(rows)


def render(readme: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    return pattern.sub(lambda _m: f"{START}\n{table()}\n{END}", readme)


def main() -> int:
    path = REPO / "README.md"
    text = path.read_text(encoding="utf-8")
    new = render(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
        print("README.md: rule table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
