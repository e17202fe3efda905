"""Abbreviation-aware sentence splitting for news copy.

A period ends a sentence unless the word before it is a known abbreviation
(``corpora/abbreviations/``), a single-letter initial (``J.``, ``U.S.``) or the
next word starts in lower case. Measured against one-sentence-per-line news in
``scripts/evaluate.py``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import resources

# [.!?…][.!?…]* rather than [.!?…]+: a pattern that opens with a character set lets the regex engine
# skip to the next such character in a tight loop instead of trying a match at every offset of the text.
_BOUNDARY_RE = re.compile(r"[.!?…][.!?…]*[\"”’»)\]']*(?=\s+)")
# Abbreviations that only abbreviate before a number ("No. 10", "p. 4").
_NUMERIC_ONLY = frozenset({"No", "Nos", "Nr", "no", "p", "pp", "n", "art", "Art", "v", "vol", "Vol", "núm", "Núm"})
_OPENERS = "\"“‘«([¿¡'—–-"


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    out: set[str] = set()
    for lang in ("en", "es", "fr"):
        out.update(resources.lines(f"abbreviations/{lang}.txt"))
    return frozenset(out)


def _word_before(text: str, pos: int, floor: int) -> str:
    i = pos
    while i > floor and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    return text[i:pos]


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) within ``text[start:end]``, white space trimmed."""
    if end is None:
        end = len(text)
    abbrev = abbreviations()
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _BOUNDARY_RE.finditer(text, start, end):
        stop = m.end()
        # The next word, after white space and opening punctuation.
        j = stop
        while j < end and text[j].isspace():
            j += 1
        if j >= end:
            break
        k = j
        while k < end and text[k] in _OPENERS:
            k += 1
        nxt = text[k] if k < end else ""
        if not nxt or nxt.islower():
            continue
        if text[m.start()] == ".":
            word = _word_before(text, m.start(), cur)
            last = word.rsplit(".", 1)[-1]
            if len(last) == 1 and last.isalpha():
                continue  # initial: "J. Smith", "U.S. officials", "a.m."
            if last in abbrev:
                if last not in _NUMERIC_ONLY or nxt.isdigit():
                    continue
        spans.append((cur, stop))
        cur = j
    if cur < end:
        spans.append((cur, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out
