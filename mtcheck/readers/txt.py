"""Plain text: the checked text is the file text, offsets are identical.

Paragraphs are separated by blank lines; inside a chunk a line break also
separates blocks unless the chunk is hard-wrapped prose.
"""
from __future__ import annotations

import re

from ..document import LF_RE, LINE_RE, Document, build_blocks

# Paragraph breaks: two or more line breaks, each after optional white space. The regex
# starts at the first line break (a character the regex engine can skip to); _breaks
# takes the white space before it in. The plain form, (?:[^\S\r\n]*(?:\r\n|\r|\n)){2,},
# gives the same spans but is tried at every offset of the text, four times slower.
_BREAKS_RE = re.compile(r"(?:\r\n|\r|\n)(?:[^\S\r\n]*(?:\r\n|\r|\n))+")
# The same for a text with no carriage return (nearly every story): the regex engine finds
# a pattern that opens with one literal character by a plain scan for it, a third of the cost
# per character of the scan for a set of characters that the form above needs (see also document.LF_RE).
_LF_BREAKS_RE = re.compile(r"\n(?:[^\S\r\n]*\n)+")
_ENDS_SENTENCE = tuple(".!?…:;\"”»)]'’")


def _is_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped prose: every line but the last is long and of similar width."""
    if len(lines) < 2:
        return False
    widths = [len(x) for x in lines[:-1]]
    return min(widths) >= 50 and max(widths) - min(widths) <= 30 and len(lines[-1]) <= max(widths) + 5


def _breaks(text: str, start: int, end: int, breaks_re: re.Pattern[str] = _BREAKS_RE):
    """(start, end) of every paragraph break in ``text[start:end]``, white space before it included."""
    lower = start
    for m in breaks_re.finditer(text, start, end):
        s = m.start()
        while s > lower and text[s - 1] not in "\r\n" and text[s - 1].isspace():
            s -= 1
        yield s, m.end()
        lower = m.end()


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Block spans of a plain-text region (used by the Markdown reader too)."""
    if end is None:
        end = len(text)
    spans: list[tuple[int, int]] = []
    pos = start
    chunks: list[tuple[int, int]] = []
    lf_only = text.find("\r", start, end) < 0
    line_re = LF_RE if lf_only else LINE_RE
    for b_start, b_end in _breaks(text, start, end, _LF_BREAKS_RE if lf_only else _BREAKS_RE):
        chunks.append((pos, b_start))
        pos = b_end
    chunks.append((pos, end))
    for cs, ce in chunks:
        if cs >= ce:
            continue
        breaks = list(line_re.finditer(text, cs, ce))
        if not breaks:
            spans.append((cs, ce))
            continue
        lines, ls = [], cs
        for b in breaks:
            lines.append((ls, b.start()))
            ls = b.end()
        lines.append((ls, ce))
        if _is_wrapped([text[a:b].rstrip() for a, b in lines]):
            spans.append((cs, ce))
            continue
        cur_start = lines[0][0]
        for (a, b), (na, nb) in zip(lines, lines[1:]):
            prev = text[a:b].rstrip()
            nxt = text[na:nb].lstrip()
            joined = prev and nxt and not prev.endswith(_ENDS_SENTENCE) and nxt[:1].islower()
            if not joined:
                spans.append((cur_start, b))
                cur_start = na
        spans.append((cur_start, lines[-1][1]))
    return spans


def read(text: str, filename: str = "<string>") -> Document:
    return Document(text=text, blocks=build_blocks(text, paragraph_spans(text)), filename=filename, format="txt")
