"""A story as plain text with exact offsets back to the file it came from.

Readers build a :class:`Document`; every check reads the same one. ``text`` is
what the checks see (markup removed); :class:`OffsetMap` takes an offset in it
back to a code-point offset in ``source`` (the decoded file).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, compress, repeat
from operator import itemgetter
from typing import Iterator, NamedTuple, Sequence

from .segment import split_sentences

# Block kinds, so checks can treat a headline or a photo credit differently
# from body copy.
HEADLINE = "headline"
DATELINE = "dateline"
BODY = "body"
CAPTION = "caption"
SIGNATURE = "signature"
BLOCK_KINDS = (HEADLINE, DATELINE, BODY, CAPTION, SIGNATURE)


class Token(NamedTuple):
    start: int
    end: int
    text: str

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()


class TokenColumns(NamedTuple):
    """A list of tokens as three parallel lists: ``starts[i]``, ``ends[i]``, ``texts[i]``."""

    starts: list[int]
    ends: list[int]
    texts: list[str]


class Sentence(NamedTuple):
    start: int
    end: int
    block: int  # index into Document.blocks


# Block, Segment and Suppression are NamedTuples like Token and Sentence, not
# frozen dataclasses: a dataclass costs a millisecond or more to define at start-up.
class Block(NamedTuple):
    """A paragraph-level unit: a headline, a body paragraph, a credit line..."""

    start: int
    end: int
    kind: str = BODY
    # End of a dateline that opens this block ("GENEVA (AP) -"), else == start.
    lead_end: int = -1

    @property
    def body_start(self) -> int:
        return self.lead_end if self.lead_end > self.start else self.start


class Segment(NamedTuple):
    """``text[plain_start:plain_start+plain_len]`` came from ``source[file_start:file_start+file_len]``."""

    plain_start: int
    file_start: int
    plain_len: int
    file_len: int


class OffsetMap:
    """Maps offsets in the plain text back to offsets in the decoded file.

    Segments of equal length map character by character; unequal ones (an HTML
    entity, say) map only their two ends, so a span inside them widens to the
    whole entity. Offsets between segments snap to the nearest segment end.
    """

    def __init__(self, segments: Sequence[Segment]):
        self.segments = sorted(segments, key=lambda s: s.plain_start)
        self._starts = [s.plain_start for s in self.segments]

    def to_file(self, offset: int, *, is_end: bool = False) -> int:
        if not self.segments:
            return offset
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return self.segments[0].file_start
        seg = self.segments[i]
        rel = offset - seg.plain_start
        if is_end and rel == 0 and i > 0:
            # An end offset at a segment start belongs to the previous segment.
            prev = self.segments[i - 1]
            if prev.plain_start + prev.plain_len == offset:
                return prev.file_start + prev.file_len
        if rel >= seg.plain_len:
            return seg.file_start + seg.file_len
        if seg.plain_len == seg.file_len:
            return seg.file_start + rel
        if rel == 0:
            return seg.file_start
        return seg.file_start + seg.file_len if is_end else seg.file_start

    def exact(self, start: int, end: int) -> bool:
        """True when [start, end) maps character by character (safe to rewrite)."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i < 0:
            return False
        seg = self.segments[i]
        return seg.plain_len == seg.file_len and end <= seg.plain_start + seg.plain_len


class Suppression(NamedTuple):
    """An inline ``mtcheck: ignore``/``disable`` region in plain-text offsets."""

    start: int
    end: int
    codes: tuple[str, ...] = ()  # empty: every code


# A token's text (Token.text as a C-level getter, for map over a story's tokens); a string's first character.
TOKEN_TEXT, _FIRST = itemgetter(2), itemgetter(0)
# The trailing group is possessive (*+): nothing after it can fail, so it never gives back, and
# sre then runs it without saving state for backtracking (same matches, ~13% fewer instructions).
_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*+|\S", re.UNICODE)
# The same tokens by re.split: [white space, token, white space, token, ..., white space]
# (_WORD_RE matches at every character that is not white space, so only white space lies between;
# the lookahead lets the regex engine skip that white space without trying each branch: ~12% faster).
_WORD_SPLIT_RE = re.compile(f"((?=\\S)(?:{_WORD_RE.pattern}))", re.UNICODE)
LINE_RE = re.compile(r"\r\n|\r|\n")  # a line break
# LINE_RE for a text with no "\r" (nearly every story): a literal is found by a cheaper scan than a set
LF_RE = re.compile(r"\n")


@dataclass
class Document:
    """The plain text of a story, its blocks, and the way back to the file."""

    text: str
    blocks: list[Block]
    source: str = ""
    filename: str = "<string>"
    format: str = "txt"
    encoding: str = "utf-8"
    bom: bool = False
    offset_map: OffsetMap | None = None
    suppressions: list[Suppression] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.source:
            self.source = self.text

    # -- plain-text structure ------------------------------------------------
    @cached_property
    def token_columns(self) -> TokenColumns:
        """The tokens' offsets and texts as parallel lists, with no object per token.

        The checks that read every token of a story use these: building a Token
        tuple per token cost more than the regex that finds them (and every tuple
        is one more object for the garbage collector to track). One split gives the
        texts and the white space between them; running sums of their lengths give
        the offsets.
        """
        parts = _WORD_SPLIT_RE.split(self.text)
        bounds = list(accumulate(map(len, parts)))  # end of each part: gap, token, gap, token, ...
        return TokenColumns(bounds[0:-1:2], bounds[1::2], parts[1::2])

    @cached_property
    def tokens(self) -> list[Token]:
        starts, ends, texts = self.token_columns
        # tuple.__new__ through map: a NamedTuple's own __new__ is a Python function.
        return list(map(tuple.__new__, repeat(Token), zip(starts, ends, texts)))

    @cached_property
    def words(self) -> list[Token]:
        """The tokens that start with a letter or digit (compress and map: no Python-level step per token)."""
        return list(compress(self.tokens, self._word_mask))

    @cached_property
    def word_columns(self) -> TokenColumns:
        """:attr:`words` as parallel lists (see :attr:`token_columns`)."""
        starts, ends, texts = self.token_columns
        mask = self._word_mask
        return TokenColumns(list(compress(starts, mask)), list(compress(ends, mask)), list(compress(texts, mask)))

    @cached_property
    def _word_mask(self) -> list[bool]:
        """Per token, whether it is a word (its first character is a letter or digit)."""
        return list(map(str.isalnum, map(_FIRST, self.token_columns.texts)))

    @cached_property
    def sentences(self) -> list[Sentence]:
        out: list[Sentence] = []
        text = self.text
        for i, b in enumerate(self.blocks):
            for s, e in split_sentences(text, b.body_start, b.end):
                out.append(tuple.__new__(Sentence, (s, e, i)))  # not Sentence(...): its __new__ is Python code
        return out

    def block_text(self, block: Block) -> str:
        return self.text[block.start:block.end]

    def blocks_of(self, *kinds: str) -> Iterator[tuple[int, Block]]:
        for i, b in enumerate(self.blocks):
            if b.kind in kinds:
                yield i, b

    def block_at(self, offset: int) -> Block | None:
        i = bisect.bisect_right([b.start for b in self.blocks], offset) - 1
        if 0 <= i < len(self.blocks) and offset < self.blocks[i].end:
            return self.blocks[i]
        return None

    @property
    def word_count(self) -> int:
        return len(self.words)

    # -- mapping back to the file -------------------------------------------
    def to_file(self, start: int, end: int) -> tuple[int, int]:
        if self.offset_map is None:
            return start, end
        fs = self.offset_map.to_file(start)
        fe = self.offset_map.to_file(end, is_end=True) if end > start else fs
        return fs, max(fs, fe)

    def fixable_span(self, start: int, end: int) -> bool:
        """Whether a replacement of [start, end) can be written back to the file exactly."""
        return self.offset_map is None or self.offset_map.exact(start, end)

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        source = self.source
        starts.extend(m.end() for m in (LINE_RE if "\r" in source else LF_RE).finditer(source))
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (code points) of a file offset."""
        i = bisect.bisect_right(self.line_starts, offset) - 1
        return i + 1, offset - self.line_starts[i] + 1

    def line_text(self, line: int) -> str:
        s = self.line_starts[line - 1]
        e = self.line_starts[line] if line < len(self.line_starts) else len(self.source)
        return self.source[s:e].rstrip("\r\n")


# -- building blocks from plain text ------------------------------------------

_TERMINAL = ".!?…:;\"”»’)]'"
# A photo caption or credit: "Photo: EFE", "... (AFP)", "EFE/Juan Pérez". Three patterns, each
# searched only when the block holds a character it needs: one search of their alternation over
# every block cost more than all the rest of reading a story (the regex engine tries it at every offset).
_CAPTION_RES = (
    (":", re.compile(r"(?:^|[\s(])(?:Photos?|Foto|Photo credit|Picture|Image|Credit|Crédito|Crédit|Bild)\s*:")),
    ("/(", re.compile(
        r"(?:/\s*|\()(?:AFP|EFE|EPA|AP|Reuters|REUTERS|dpa|ANSA|Getty Images|Europa Press|XINHUA|Xinhua)\s*\)?\s*$"
    )),
    ("/", re.compile(r"(?:EFE|EPA|AFP|AP|dpa|ANSA)\s*/\s*[A-ZÁÉÍÓÚÑ]")),
)
_SIGNATURE_RE = re.compile(
    r"^\s*(?:\*|—|--|-)?\s*(?:\(?(?:With information from|With reporting (?:by|from)|Reporting by|"
    r"Writing by|Editing by|Additional reporting|Con información de|Avec|Redacción|Edited by)\b"
    r"|\(?(?:EFE|AFP|AP|dpa|ANSA|Reuters|Europa Press)\)?\.?\s*$)",
    re.IGNORECASE,
)
_DATELINE_RE = re.compile(
    r"^[A-ZÁÉÍÓÚÜÑÇ][A-ZÁÉÍÓÚÜÑÇ .'\-]{1,40}"  # GENEVA / SAN JOSÉ / Madrid
    r"(?:,\s*[\w .]{1,25})?"                    # , 3 oct / , Switzerland
    r"\s*(?:\((?:AP|AFP|EFE|Reuters|dpa|ANSA|Europa Press|Xinhua|UPI|DPA)\))?"
    r"\s*\.?\s*(?:--|—|–|-|\.-)\s*",
)
_DATELINE_MIXED_RE = re.compile(
    r"^[A-ZÁÉÍÓÚ][\wáéíóúñ .'\-]{1,30},\s*\d{1,2}\s+\w{3,10}\.?\s*\((?:EFE|AFP|AP|dpa|ANSA|Europa Press)\)\s*\.?\s*(?:--|—|–|-|\.-)\s*"
)
_HEADLINE_MAX_WORDS = 15


# Characters each dateline pattern cannot match without (tested first: a failed match costs more).
_DATELINE_MIXED_NEEDS, _DATELINE_NEEDS = "(", "-—–"


def _dateline_end(text: str) -> int:
    m = (_DATELINE_MIXED_RE.match(text) if _DATELINE_MIXED_NEEDS in text else None) or (
        _DATELINE_RE.match(text) if any(map(text.__contains__, _DATELINE_NEEDS)) else None
    )
    if not m:
        return 0
    head = m.group().strip()
    # Need an all-caps place or an agency in brackets, not "A -" in a sentence.
    if "(" not in head and not re.match(r"^[A-ZÁÉÍÓÚÜÑÇ .'\-]{3,}", head):
        return 0
    return m.end()


def _is_caption(text: str) -> bool:
    for needs, rx in _CAPTION_RES:
        # any over map, not a generator expression: no Python frame per block and pattern
        if any(map(text.__contains__, needs)) and rx.search(text):
            return True
    return False


def classify_block(text: str, *, index: int, count: int, hint: str | None = None) -> tuple[str, int]:
    """Guess the kind of a block from its shape; returns (kind, dateline length)."""
    stripped = text.strip()
    if hint in BLOCK_KINDS and hint != BODY:
        return hint, 0
    if not stripped:
        return BODY, 0
    lead = _dateline_end(stripped)
    if lead and lead >= len(stripped) - 1:
        return DATELINE, 0
    # The word count, or _HEADLINE_MAX_WORDS + 1 for any more: only "at most 4" and "at most 15"
    # are asked, and a body paragraph need not be split into all its words to answer them.
    n_words = len(stripped.split(None, _HEADLINE_MAX_WORDS))
    if _SIGNATURE_RE.match(stripped) or (
        index >= count - 3 and n_words <= 4 and stripped.isupper() and index > 0
    ):
        return SIGNATURE, 0
    if _is_caption(stripped):
        return CAPTION, 0
    if count > 1 and hint != BODY and n_words <= _HEADLINE_MAX_WORDS and stripped[-1] not in _TERMINAL:
        return HEADLINE, 0
    return BODY, lead


def build_blocks(text: str, spans: Sequence[tuple[int, int] | tuple[int, int, str | None]]) -> list[Block]:
    """Classify plain-text spans into blocks (readers call this)."""
    out: list[Block] = []
    count = len(spans)
    for i, sp in enumerate(spans):
        s, e = sp[0], sp[1]
        hint = sp[2] if len(sp) > 2 else None
        # Trim surrounding white space so offsets point at text.
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        kind, lead = classify_block(text[s:e], index=i, count=count, hint=hint)
        # tuple.__new__: a NamedTuple's own __new__ is a Python function
        out.append(tuple.__new__(Block, (s, e, kind, s + lead if lead else -1)))
    return out
