"""HTML: the visible text, via the stdlib's tolerant ``html.parser``.

Block-level elements (and ``<br>``) separate blocks; h1-h6 and ``<title>`` are
headlines (the title is translated copy readers see in search results and tabs,
so it is checked too), ``<figcaption>`` is a caption, list items and table
cells are body text. Script, style, code, pre, template, noscript, textarea,
svg and math are skipped, as are attributes (so URLs and alt text).

White space collapses as a browser shows it: a single white-space character is
kept as it is (1:1), a longer run becomes one space mapped to the whole run (an
unequal segment). Entities decode to their character, also as unequal segments.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from ..document import BODY, CAPTION, HEADLINE, Document
from .suppress import PlainText

_SKIP = frozenset({"script", "style", "code", "pre", "template", "noscript", "textarea", "svg", "math"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_HINTS = {
    **{f"h{i}": HEADLINE for i in range(1, 7)},
    "title": HEADLINE,
    "figcaption": CAPTION,
    **dict.fromkeys(("li", "td", "th", "dd", "dt"), BODY),
}
_BLOCK = frozenset(_HINTS) | frozenset(
    "address article aside blockquote body br caption details dialog div dl fieldset figure footer "
    "form head header hgroup hr html legend main nav noscript ol p pre section summary table tbody "
    "template tfoot thead tr ul".split()
)
_WS = " \t\n\r\f"
_PIECE_RE = re.compile(f"[{_WS}]+|[^{_WS}]+")


class _Reader(HTMLParser):
    """Collects visible text into a :class:`PlainText`, tracking positions via ``getpos()``."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.src = source
        # getpos() counts lines by "\n" only; so do these line starts.
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.out = PlainText()
        self.skipping: list[str] = []  # open skipped elements
        self.open: list[str] = []  # open block elements
        self.space: tuple[int, int] | None = None  # white space waiting for the next word

    def _at(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _break(self) -> None:
        hint = next((_HINTS[t] for t in reversed(self.open) if t in _HINTS), None)
        self.out.end_block(hint)
        self.space = None

    def _add(self, text: str, start: int, end: int) -> None:
        if self.space:
            s, e = self.space
            self.out.add(self.src[s:e] if e - s == 1 else " ", s, e)
            self.space = None
        self.out.add(text, start, end)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP:
            if not self.skipping and tag in _BLOCK:
                self._break()
            self.skipping.append(tag)
        elif not self.skipping and tag in _BLOCK:
            self._break()
            if tag not in _VOID:
                self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag in self.skipping:
                del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag) :]
                if not self.skipping and tag in _BLOCK:
                    self._break()
        elif tag in _BLOCK:
            self._break()
            if tag in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        at = self._at()
        for m in _PIECE_RE.finditer(data):
            s, e = at + m.start(), at + m.end()
            if not m.group()[0] in _WS:
                self._add(m.group(), s, e)
            elif self.out.in_block and self.space is None:
                self.space = (s, e)

    def _ref(self, raw: str) -> None:
        if self.skipping:
            return
        at = self._at()
        raw = self.src[at : at + len(raw) + 1] if self.src.startswith(";", at + len(raw)) else raw
        char = html.unescape(raw)
        if char == raw:  # not an entity after all ("AT&T")
            self.handle_data(raw)
        else:
            self._add(char, at, at + len(raw))

    def handle_entityref(self, name: str) -> None:
        self._ref("&" + name)

    def handle_charref(self, name: str) -> None:
        self._ref("&#" + name)

    def handle_comment(self, data: str) -> None:
        self.out.comment(f"<!--{data}-->")


def read(text: str, filename: str = "<string>") -> Document:
    reader = _Reader(text)
    reader.feed(text)
    reader.close()
    reader._break()
    return reader.out.document(text, filename, "html")
