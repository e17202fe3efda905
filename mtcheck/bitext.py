"""Bilingual inputs: XLIFF 1.2, XLIFF 2.0 and two-column TSV.

Each reader returns the *target* :class:`Document` (what the checks read and
what findings point into) with the source story attached as
``doc.meta["source_doc"]``. Offsets map into the original file: for XLIFF the
target Document's :class:`OffsetMap` takes plain-text offsets to code-point
offsets in the XML, so a finding's line and column are those of the word
inside ``<target>``.

Each translation unit (a ``<trans-unit>``, a ``<unit>``, a TSV row) is one
block on both sides, and ``doc.meta["unit_pairs"]`` pairs the source and
target blocks so that sentence alignment never crosses a unit.

XML is parsed with the standard library's expat, which does not fetch
external entities; files with a ``<!DOCTYPE`` are refused outright, so no
entity expansion ("billion laughs") can happen either.
"""
from __future__ import annotations

import re
from typing import Sequence
from xml.parsers import expat

from .document import Document
from .errors import InputError
from .readers.suppress import PlainText

BITEXT_FORMATS = ("xliff", "tsv")
NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
NS_20 = "urn:oasis:names:tc:xliff:document:2.0"

# Inline elements whose content is native code, not text (XLIFF 1.2 ph/bpt/ept/it/sub are codes;
# in 2.0, ph/sc/ec/sm/em are empty and pc/mrk hold text).
_CODE_ELEMENTS = frozenset({"ph", "bpt", "ept", "it"})
_SKIP_ELEMENTS = frozenset({"alt-trans", "note", "header", "seg-source", "ignorable", "notes", "originalData",
                            "metadata", "matches", "glossary"})


class _Side:
    """Plain text of one side (source or target) of a bilingual file."""

    def __init__(self) -> None:
        self.out = PlainText()

    def add(self, text: str, start: int, end: int) -> None:
        self.out.add(text, start, end)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _char_offsets(text: str):
    """A function from UTF-8 byte offsets (as expat reports them) to code-point offsets."""
    if text.isascii():
        return lambda b: b
    import bisect

    # Byte offset of each non-ASCII character, and the extra bytes before and including it.
    marks: list[int] = []
    extra: list[int] = []
    total = 0
    pos = 0
    for i, ch in enumerate(text):
        n = len(ch.encode("utf-8"))
        if n > 1:
            marks.append(pos)
            total += n - 1
            extra.append(total)
        pos += n

    def conv(b: int) -> int:
        k = bisect.bisect_right(marks, b - 1) - 1  # non-ASCII chars wholly before b
        return b - (extra[k] if k >= 0 else 0)

    return conv


class _XliffReader:
    def __init__(self, text: str, filename: str):
        self.text = text
        self.filename = filename
        self.data = text.encode("utf-8")
        self.to_char = _char_offsets(text)
        self.parser = expat.ParserCreate(namespace_separator=" ")
        p = self.parser
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.chars
        p.StartDoctypeDeclHandler = self.doctype
        p.EntityDeclHandler = self.entity
        p.ExternalEntityRefHandler = self.external
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.stack: list[str] = []
        self.version: str | None = None
        self.src_lang: str | None = None
        self.tgt_lang: str | None = None
        self.source = _Side()
        self.target = _Side()
        self.side: _Side | None = None  # where character data goes now
        self.skip = 0  # depth inside skipped or code elements
        self.unit_depth: int | None = None
        self.unit_has_target = False
        self.units = 0
        self.pairs: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self.unit_src_start = 0
        self.unit_tgt_start = 0
        self.pending: tuple[int, str] | None = None  # (byte index, data) of the last char data

    # -- expat callbacks ----------------------------------------------------
    def doctype(self, *args) -> None:
        raise InputError(self.filename, "XLIFF with a DOCTYPE is refused (no DTDs or entity declarations)")

    def entity(self, *args) -> None:
        raise InputError(self.filename, "XLIFF with entity declarations is refused")

    def external(self, *args) -> int:
        raise InputError(self.filename, "XLIFF with external entities is refused")

    def _flush(self, end_byte: int) -> None:
        if self.pending is None:
            return
        start_byte, data = self.pending
        self.pending = None
        if self.side is None or self.skip:
            return
        fs, fe = self.to_char(start_byte), self.to_char(end_byte)
        self.side.add(data, fs, fe)

    def start(self, name: str, attrs: dict) -> None:
        self._flush(self.parser.CurrentByteIndex)
        ns, _, local = name.rpartition(" ")
        self.stack.append(local)
        if local == "xliff":
            self.version = attrs.get("version") or ("2.0" if ns == NS_20 else "1.2")
            self.src_lang = attrs.get("srcLang") or self.src_lang
            self.tgt_lang = attrs.get("trgLang") or self.tgt_lang
            return
        if local == "file":
            self.src_lang = attrs.get("source-language") or self.src_lang
            self.tgt_lang = attrs.get("target-language") or self.tgt_lang
            return
        if self.skip:
            self.skip += 1
            return
        if local in _SKIP_ELEMENTS or (local in _CODE_ELEMENTS and self.side is not None):
            self.skip = 1
            return
        if local in ("trans-unit", "unit"):
            self.unit_depth = len(self.stack)
            self.unit_has_target = False
            self.unit_src_start = self.source.out.length
            self.unit_tgt_start = self.target.out.length
            return
        if local == "cp" and self.side is not None:
            # XLIFF 2.0 <cp hex="..."/>: a character XML cannot carry.
            try:
                ch = chr(int(attrs.get("hex", ""), 16))
            except ValueError:
                ch = ""
            if ch:
                b = self.to_char(self.parser.CurrentByteIndex)
                self.side.add(ch, b, b)
            return
        if self.unit_depth is not None and local in ("source", "target"):
            self.side = self.source if local == "source" else self.target
            if local == "target":
                self.unit_has_target = True
            elif self.source.out.length > self.unit_src_start and self.source.out.in_block:
                # A second <segment> of one 2.0 unit: a space between its sentences.
                self.source.out.add(" ", self.to_char(self.parser.CurrentByteIndex), self.to_char(self.parser.CurrentByteIndex))
            if local == "target" and self.target.out.in_block:
                at = self.to_char(self.parser.CurrentByteIndex)
                self.target.out.add(" ", at, at)

    def end(self, name: str) -> None:
        self._flush(self.parser.CurrentByteIndex)
        local = name.rpartition(" ")[2]
        if self.stack:
            self.stack.pop()
        if self.skip:
            self.skip -= 1
            return
        if local in ("source", "target") and self.side is not None:
            self.side = None
            return
        if local in ("trans-unit", "unit") and self.unit_depth is not None:
            self.unit_depth = None
            self.units += 1
            s_in, t_in = self.source.out.in_block, self.target.out.in_block
            s_start = self.source.out.block_start if s_in else None
            t_start = self.target.out.block_start if t_in else None
            self.source.out.end_block()
            self.target.out.end_block()
            if s_in and t_in:
                self.pairs.append(((s_start, self.source.out.length), (t_start, self.target.out.length)))

    def chars(self, data: str) -> None:
        at = self.parser.CurrentByteIndex
        if self.pending is not None:
            # expat hands over text in pieces; each maps on its own.
            self._flush(at)
        self.pending = (at, data)

    def read(self) -> Document:
        m = re.search(r"<!DOCTYPE|<!ENTITY", self.text)
        if m:
            line, col = _line_col(self.text, m.start())
            raise InputError(self.filename, f"line {line}: XLIFF with a DOCTYPE or entity declaration is refused")
        try:
            self.parser.Parse(self.data, True)
        except expat.ExpatError as exc:
            msg = expat.ErrorString(exc.code) if exc.code else str(exc)
            raise InputError(self.filename, f"line {exc.lineno}, column {exc.offset + 1}: malformed XLIFF ({msg})") from None
        if self.version is None:
            raise InputError(self.filename, "not an XLIFF file (no <xliff> root element)")
        if not self.version.startswith(("1.", "2.")):
            raise InputError(self.filename, f"unsupported XLIFF version {self.version!r} (1.2 and 2.0 are read)")
        if self.units == 0:
            raise InputError(self.filename, "XLIFF file has no translation units")
        return _assemble(self.target.out, self.source.out, self.text, self.filename, "xliff", self.pairs,
                         self.src_lang, self.tgt_lang)


def _lang(code: str | None) -> str | None:
    if not code:
        return None
    return code.split("-")[0].split("_")[0].lower() or None


def _assemble(tgt: PlainText, src: PlainText, file_text: str, filename: str, fmt: str,
              pairs: Sequence[tuple[tuple[int, int], tuple[int, int]]], src_lang: str | None,
              tgt_lang: str | None) -> Document:
    doc = tgt.document(file_text, filename, fmt)
    src_doc = src.document(file_text, filename, fmt)
    # The source side's offsets also point into the same file.
    doc.meta["source_doc"] = src_doc
    doc.meta["unit_pairs"] = [((a, b), (c, d)) for (a, b), (c, d) in pairs]
    if _lang(src_lang):
        doc.meta["source_lang"] = _lang(src_lang)
    if _lang(tgt_lang):
        doc.meta["target_lang"] = _lang(tgt_lang)
    return doc


def read_xliff(text: str, filename: str = "<string>") -> Document:
    return _XliffReader(text, filename).read()


def read_tsv(text: str, filename: str = "<string>") -> Document:
    """Two tab-separated columns per line: source, then target. Blank lines are skipped."""
    src = PlainText()
    tgt = PlainText()
    pairs = []
    pos = 0
    lines = text.splitlines(keepends=True)
    rows = 0
    for n, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        start = pos
        pos += len(raw)
        if not line.strip():
            continue
        if n == 1 and line.startswith("\ufeff"):
            line = line[1:]
            start += 1
        cells = line.split("\t")
        if len(cells) != 2:
            raise InputError(filename, f"line {n}: expected 2 tab-separated columns (source, target), found {len(cells)}")
        s_text, t_text = cells
        s0 = start
        t0 = start + len(s_text) + 1
        _add_stripped(src, s_text, s0)
        _add_stripped(tgt, t_text, t0)
        s_in, t_in = src.in_block, tgt.in_block
        src.end_block()
        tgt.end_block()
        rows += 1
        if s_in and t_in:
            pairs.append(((src.spans[-1][0], src.spans[-1][1]), (tgt.spans[-1][0], tgt.spans[-1][1])))
    if rows == 0:
        raise InputError(filename, "TSV file has no rows (expected source<TAB>target per line)")
    return _assemble(tgt, src, text, filename, "tsv", pairs, None, None)


def _add_stripped(out: PlainText, cell: str, at: int) -> None:
    lead = len(cell) - len(cell.lstrip())
    body = cell.strip()
    if body:
        out.add(body, at + lead, at + lead + len(body))


def read(text: str, filename: str = "<string>", fmt: str = "xliff") -> Document:
    """The target Document of a bilingual file (its source in ``meta["source_doc"]``)."""
    if fmt == "tsv":
        return read_tsv(text, filename)
    return read_xliff(text, filename)
