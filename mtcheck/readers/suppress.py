"""Inline suppression comments, and the plain-text builder the markup readers share.

``<!-- mtcheck: ignore[P001,T] -->`` (or bare ``ignore``) silences codes in the
next block; ``<!-- mtcheck: disable[P001] -->`` ... ``<!-- mtcheck: enable -->``
silences a region (to the end of the file if never enabled). Readers note each
comment at its plain-text offset while they build the text; :class:`PlainText`
resolves them once the blocks exist, because "the next block" is only known then.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Sequence

from ..document import Block, Document, OffsetMap, Segment, Suppression, build_blocks

_DIRECTIVE_RE = re.compile(
    r"<!--\s*mtcheck\s*:\s*(ignore|disable|enable)\s*(?:\[([^\]]*)\])?\s*-->", re.IGNORECASE
)
BLOCK_SEPARATOR = "\n\n"


class Directive(NamedTuple):
    pos: int  # plain-text offset where the comment stood
    kind: str  # ignore | disable | enable
    codes: tuple[str, ...]  # empty: every code


def parse_directives(markup: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every ``mtcheck:`` directive in a piece of HTML (a comment, an HTML block)."""
    out = []
    for m in _DIRECTIVE_RE.finditer(markup):
        codes = tuple(c.strip().upper() for c in (m.group(2) or "").split(",") if c.strip())
        out.append((m.group(1).lower(), codes))
    return out


def resolve(directives: Sequence[Directive], blocks: Sequence[Block], text_len: int) -> list[Suppression]:
    """Turn directives into plain-text regions; ``ignore`` takes the first block starting at or after it."""
    regions: dict[tuple[int, int], list[str]] = {}
    opened: dict[str, int] = {}  # code ("" = every code) -> region start
    for d in directives:
        if d.kind == "ignore":
            block = next((b for b in blocks if b.start >= d.pos), None)
            if block is not None:
                regions.setdefault((block.start, block.end), []).extend(d.codes or [""])
        elif d.kind == "disable":
            for code in d.codes or ("",):
                opened.setdefault(code, d.pos)
        else:  # enable: bare closes everything, enable[X] only what disable[X] opened
            for code in d.codes or tuple(opened):
                if code in opened:
                    regions.setdefault((opened.pop(code), d.pos), []).append(code)
    for code, start in opened.items():
        regions.setdefault((start, text_len), []).append(code)
    return [
        Suppression(s, e, () if "" in codes else tuple(dict.fromkeys(codes)))
        for (s, e), codes in sorted(regions.items())
        if e > s
    ]


class PlainText:
    """Accumulates plain text with its :class:`Segment`s, block spans and directives.

    Blocks are joined by a blank line that maps to nothing in the file (offsets
    there snap to the end of the previous block). Adjacent equal-length pieces
    that are contiguous in the file merge into one segment, so a run of prose
    maps character by character.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.segments: list[list[int]] = []  # [plain_start, file_start, plain_len, file_len]
        self.spans: list[tuple[int, int, str | None]] = []
        self.directives: list[Directive] = []
        self.block_start: int | None = None  # None: no text yet in the current block

    def add(self, text: str, file_start: int, file_end: int) -> None:
        """Append ``text``, which came from ``source[file_start:file_end]``."""
        if not text:
            return
        if self.block_start is None:
            if self.spans:
                self.parts.append(BLOCK_SEPARATOR)
                self.length += len(BLOCK_SEPARATOR)
            self.block_start = self.length
        n, file_len = len(text), file_end - file_start
        last = self.segments[-1] if self.segments else None
        if (
            n == file_len
            and last is not None
            and last[2] == last[3]
            and last[0] + last[2] == self.length
            and last[1] + last[3] == file_start
        ):
            last[2] += n
            last[3] += n
        else:
            self.segments.append([self.length, file_start, n, file_len])
        self.parts.append(text)
        self.length += n

    @property
    def ends_with_space(self) -> bool:
        return self.block_start is not None and self.parts[-1][-1:] == " "

    @property
    def in_block(self) -> bool:
        """Whether the current block already has text."""
        return self.block_start is not None

    def end_block(self, hint: str | None = None) -> None:
        if self.block_start is not None:
            self.spans.append((self.block_start, self.length, hint))
            self.block_start = None

    def comment(self, markup: str) -> None:
        """Note any suppression directives in a comment or HTML block seen at this point."""
        for kind, codes in parse_directives(markup):
            self.directives.append(Directive(self.length, kind, codes))

    def document(self, source: str, filename: str, fmt: str) -> Document:
        self.end_block()
        text = "".join(self.parts)
        blocks = build_blocks(text, self.spans)
        return Document(
            text=text,
            blocks=blocks,
            source=source,
            filename=filename,
            format=fmt,
            offset_map=OffsetMap([Segment(*s) for s in self.segments]),
            suppressions=resolve(self.directives, blocks, len(text)),
        )
