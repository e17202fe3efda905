"""Source-locale typography, number formats and mojibake for the P family
(P009, P010, P011).

The characters and words come from ``corpora/punctuation/``; only the
matchers are here.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from .. import resources
from ..document import BODY, Document
from ..finding import Suggestion
from ._quotes import Hit

# -- P009 source typography ---------------------------------------------------


@lru_cache(maxsize=None)
def _typography(target: str) -> tuple[re.Pattern | None, dict[str, tuple[str, str]]]:
    """A pattern over the characters foreign to ``target`` and char -> (replacement, what)."""
    table: dict[str, tuple[str, str]] = {}
    for row in resources.tsv("punctuation/source_typography.tsv"):
        if len(row) < 4:
            continue
        ch, native, repl, what = row[:4]
        if target in native.split(","):
            continue
        table[ch] = ("" if repl == "-" else repl, what)
    if not table:
        return None, table
    return re.compile("[" + "".join(re.escape(c) for c in table) + "]"), table


_SPACE_CHARS = " \u00a0\u202f\u2009"
_GUILLEMETS = {"«": ("“", "”"), "»": ("“", "”"), "‹": ("‘", "’"), "›": ("‘", "’")}


def _guillemet_role(text: str, i: int) -> str:
    """"open" or "close" from the characters around: »Smart Stone« (German) opens with »."""
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    prev_space = prev == "" or prev.isspace() or prev in "([{—–-"
    next_space = nxt == "" or nxt.isspace() or nxt in ".,;:!?)]}…"
    if prev_space and not next_space:
        return "open"
    if next_space and not prev_space:
        return "close"
    return "open" if text[i] in "«‹" else "close"


def _skip_spaces(text: str, i: int, step: int) -> int:
    """``i`` moved over the spaces on one side of a mark, unless a line break or the end comes first."""
    k = i
    if step > 0:
        while k < len(text) and text[k] in _SPACE_CHARS:
            k += 1
        return k if k < len(text) and not text[k].isspace() else i
    while k > 0 and text[k - 1] in _SPACE_CHARS:
        k -= 1
    return k if k > 0 and not text[k - 1].isspace() else i


_DIALOGUE_DASH_RE = re.compile(r"[—–](?:(?=[^\W\d_]|[¿¡])|[ \u00a0](?=[A-Z¿¡]))")
_INNER_DASH_RE = re.compile(r"\s[—–]\s?[a-z]")
_ORDINAL_RE = re.compile(r"(?<=\d)[ºª]|(?<![^\W\d_])[Nn]\.?º")
_TRAILING_NUMBER_RE = re.compile(r"\d+$")
_DEGREE_AFTER_RE = re.compile(r"[ \u00a0]?[CF](?![^\W\d_])")
LANG_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian", "pt": "Portuguese"}


def _ordinal(number: str) -> str:
    n = int(number)
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def source_typography_hits(doc: Document, target: str) -> Iterator[Hit]:
    text = doc.text
    lang = LANG_NAMES.get(target, target)
    pattern, table = _typography(target)
    if pattern is not None and any(ch in text for ch in table):
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            ch = m.group()
            if ch in "¿¡" and start > 0 and text[start - 1].isalpha():
                continue  # "preparados¡ ": a misdirected closing mark (P003)
            repl, what = table[ch]
            opens = ch in "¿¡„‚"
            if ch in _GUILLEMETS:
                opens = _guillemet_role(text, start) == "open"
                repl = _GUILLEMETS[ch][0 if opens else 1]
            # The mark takes the spaces on its inner side: « Bonjour » -> “Bonjour”.
            if opens:
                end = _skip_spaces(text, end, 1)
            elif ch in _GUILLEMETS:
                start = _skip_spaces(text, start, -1)
            if repl:
                msg = f"The {what} {ch} is {_source_for(ch)} typography; {lang} uses {repl}."
            else:
                msg = f"The {what} {ch} is not used in {lang}; delete it."
            yield Hit("P009", start, end, msg, (Suggestion(repl, "safe"),))
            if ch == "„":
                # The German closing mark “ pairs with it: in English it opens.
                k = _german_closer(text, m.end(), doc)
                if k is not None:
                    yield Hit("P009", k, k + 1,
                              f"The German closing quote “ after „ is German typography; {lang} closes with ”.",
                              (Suggestion("”", "safe"),))
    if target in ("es", "fr", "ca", "it", "pt"):
        return
    if target == "en" and ("º" in text or "ª" in text):
        for m in _ORDINAL_RE.finditer(text):
            g = m.group()
            if g[:1] in "Nn":
                yield Hit("P009", m.start(), m.end(),
                          f"“{g}” is the Spanish/Italian number abbreviation; English writes “No.”.",
                          (Suggestion("No.", "unsafe"),))
            elif _DEGREE_AFTER_RE.match(text, m.end()):
                yield Hit("P009", m.start(), m.end(),
                          f"The ordinal indicator {g} is used as a degree sign; English writes °.",
                          (Suggestion("°", "safe"),))
            else:
                num = _TRAILING_NUMBER_RE.search(text, max(0, m.start() - 6), m.start())
                sugg = (Suggestion(_ordinal(num.group()), "unsafe"),) if num else ()
                yield Hit("P009", m.start(), m.end(),
                          f"The ordinal indicator {g} is Spanish/Italian/Portuguese typography; "
                          "English writes 1st, 2nd, 3rd.", sugg)
    for block in doc.blocks:
        if block.kind != BODY:
            continue
        s = block.body_start
        m = _DIALOGUE_DASH_RE.match(text, s, block.end)
        if not m:
            continue
        if text[m.end() - 1:m.end()].isspace() and not _INNER_DASH_RE.search(text, m.end(), block.end):
            continue  # "– item": a list, not dialogue
        yield Hit("P009", s, m.end(),
                  f"A dash opening a paragraph marks dialogue in Spanish or French; {lang} puts the words in quotes.",
                  (Suggestion("“", "unsafe"),))


def _source_for(ch: str) -> str:
    return {"«": "French/Spanish", "»": "French/Spanish", "‹": "French", "›": "French",
            "„": "German", "‚": "German", "¿": "Spanish", "¡": "Spanish"}.get(ch, "source-language")


def _german_closer(text: str, pos: int, doc: Document) -> int | None:
    block = doc.block_at(pos - 1)
    end = block.end if block else len(text)
    for i in range(pos, end):
        if text[i] in "“”":
            return i if text[i] == "“" else None
        if text[i] == "„":
            return None
    return None


# -- P010 source number formats -----------------------------------------------


@lru_cache(maxsize=None)
def _scale(target: str) -> str:
    words = sorted({w for lang, w in (r[:2] for r in resources.tsv("punctuation/scale_words.tsv") if len(r) >= 2)
                    if lang == target}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words) or "(?!)"


@lru_cache(maxsize=None)
def _number_patterns(target: str) -> dict[str, re.Pattern]:
    scale = _scale(target)
    unit = rf"(?=\s*%|\s+(?:{scale})\b)"
    if target == "en":
        return {
            "dec_comma": re.compile(rf"(?<![\d.,])\d{{1,3}},\d{{1,2}}(?![\d,.]){unit}", re.IGNORECASE),
            # 0,5 percent (not the coordinates [0,0])
            "zero_comma": re.compile(r"(?<![\d.,\[(])0,\d+(?![\d,\])]|\.\d)(?=\s*%|\s+[^\W\d_])"),
            "full_euro": re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+,\d+(?![\d.,])"),
            "dots_multi": re.compile(r"(?<![\w.,$£¥])\d{1,3}(?:\.\d{3}){2,}(?![\w%]|[.,]\d)"),
            "dots_single": re.compile(r"(?<![\w.,$£¥#])\d{1,3}\.\d{3}(?![\w%]|[.,]\d)(?=\s+[^\W\d_])"),
            "space_groups": re.compile(r"(?<![\d.,])\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?!\d)"),
        }
    if target in ("es", "fr", "it", "pt", "de"):
        return {
            "comma_thousands": re.compile(rf"(?<![\d.,])\d{{1,3}}(?:,\d{{3}})+(?![\d]|[.,]\d)(?=\s*%|\s+[^\W\d_])"),
            "point_decimal": re.compile(rf"(?<![\d.,])\d{{1,3}}\.\d{{1,2}}(?![\d]|[.,]\d){unit}", re.IGNORECASE),
        }
    return {}


# \d\d* rather than \d+ (the same matches): a leading character set lets the regex engine skip to
# the next digit in a tight loop instead of trying a match at every offset of the story.
_NUMBER_TOKEN_RE = re.compile(r"\d\d*(?:[.,\u00a0\u202f\u2009]\d+)+")
_EVIDENCE_DOT_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,])")
_EVIDENCE_COMMA_DECIMAL = re.compile(r"(?<![\d.,])\d+,\d{1,2}(?![\d.,])")
_GROUP_SPACE_RE = re.compile(r"[\u00a0\u202f\u2009]")


def number_format_hits(doc: Document, target: str) -> Iterator[Hit]:
    text = doc.text
    pats = _number_patterns(target)
    if not pats:
        return
    # Only numbers with a separator can be in the wrong format: find those once
    # and try the (anchored) patterns at each.
    starts = [m.start() for m in _NUMBER_TOKEN_RE.finditer(text)]
    if not starts:
        return
    if target == "en":
        for pos in starts:
            m = pats["dec_comma"].match(text, pos) or pats["zero_comma"].match(text, pos)
            if m:
                yield _num(m, m.group().replace(",", "."), "safe",
                           "a source-language decimal comma", "English writes the decimal point")
                continue
            m = pats["full_euro"].match(text, pos)
            if m:
                g = m.group()
                yield _num(m, g.replace(".", "\0").replace(",", ".").replace("\0", ","), "safe",
                           "a source-language thousands point and decimal comma", "English writes 1,234.5")
                continue
            m = pats["dots_multi"].match(text, pos)
            if m:
                yield _num(m, m.group().replace(".", ","), "safe",
                           "a source-language thousands point", "English separates thousands with commas")
                continue
            m = pats["dots_single"].match(text, pos)
            if m:
                if not _is_version_or_time(text, m.start(), m.end()):
                    yield _num(m, m.group().replace(".", ","), "unsafe",
                               "a source-language thousands point", "English separates thousands with commas")
                continue
            m = pats["space_groups"].match(text, pos)
            if m:
                yield _num(m, _GROUP_SPACE_RE.sub(",", m.group()), "safe",
                           "a source-language thousands space", "English separates thousands with commas")
        return
    lang = LANG_NAMES.get(target, target)
    # Spanish also has regions writing 2,000 and 1.5: warn only when the
    # story itself uses the other convention elsewhere.
    regional = target == "es"
    dots = not regional or any(_EVIDENCE_DOT_THOUSANDS.match(text, pos) for pos in starts)
    commas = not regional or any(_EVIDENCE_COMMA_DECIMAL.match(text, pos) for pos in starts)
    sep = "\u00a0" if target == "fr" else "."
    for pos in starts:
        m = pats["comma_thousands"].match(text, pos)
        if m:
            g = m.group()
            repl = g.replace(",", sep)
            if target == "es" and len(g) == 5:
                repl = g.replace(",", "")  # 2000: four digits take no separator
            hit = _num(m, repl, "unsafe", "the English thousands comma",
                       f"{lang} separates thousands with {'a space' if target == 'fr' else 'a point'}")
            yield hit if dots else hit._replace(severity="info")
            continue
        m = pats["point_decimal"].match(text, pos)
        if m:
            hit = _num(m, m.group().replace(".", ","), "safe" if commas else "unsafe",
                       "the English decimal point", f"{lang} writes the decimal comma")
            yield hit if commas else hit._replace(severity="info")


def _num(m: re.Match, repl: str, applicability: str, what: str, why: str) -> Hit:
    return Hit("P010", m.start(), m.end(), f"“{m.group()}” uses {what}; {why}.",
               (Suggestion(repl, applicability),))


_VERSIONISH_RE = re.compile(r"(?:version|v|release|update|no|number|rule|article|section|paragraph|§)\.?\s*$",
                            re.IGNORECASE)


def _is_version_or_time(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 12):start]
    after = text[end:end + 8].lower()
    return bool(_VERSIONISH_RE.search(before)) or after.lstrip().startswith(("a.m", "p.m", "h ", "hrs", "gmt", "uhr"))


# -- P011 mojibake ------------------------------------------------------------

_CP1252_SPECIALS = {bytes([b]).decode("cp1252"): b for b in range(0x80, 0xA0)
                    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_CONT = "[\u0080-\u00bf" + "".join(re.escape(c) for c in _CP1252_SPECIALS) + "]"
_MOJIBAKE_RE = re.compile(
    rf"(?:[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}})+"
)


def _to_bytes(s: str) -> bytes | None:
    out = bytearray()
    for ch in s:
        b = _CP1252_SPECIALS.get(ch)
        if b is None:
            if ord(ch) > 0xFF:
                return None
            b = ord(ch)
        out.append(b)
    return bytes(out)


def _plausible(s: str) -> bool:
    for ch in s:
        o = ord(ch)
        if not (0xA0 <= o <= 0x24F or 0x2010 <= o <= 0x206F or o in (0x20AC, 0x2122, 0xFEFF)):
            return False
    return True


def repair_mojibake(s: str) -> str | None:
    """UTF-8 read as CP1252/Latin-1, repaired; None when ``s`` is not that."""
    cur = s
    for _ in range(3):
        raw = _to_bytes(cur)
        if raw is None:
            break
        try:
            fixed = raw.decode("utf-8")
        except UnicodeDecodeError:
            break
        if not _plausible(fixed):
            break
        cur = fixed
        if not _MOJIBAKE_RE.fullmatch(cur):
            break
    return None if cur == s else cur


_MOJIBAKE_CANDIDATE_RE = re.compile(rf"[\u00c2-\u00f4]{_CONT}")


def mojibake_hits(doc: Document) -> Iterator[Hit]:
    text = doc.text
    if "\ufffd" in text:
        for m in re.finditer("\ufffd+", text):
            yield Hit("P011", m.start(), m.end(),
                      "The replacement character � marks a character lost when the text was decoded.")
    first = _MOJIBAKE_CANDIDATE_RE.search(text)
    if first is None:
        return
    for m in _MOJIBAKE_RE.finditer(text, first.start()):
        g = m.group()
        fixed = repair_mojibake(g)
        if fixed is None:
            continue
        round_trips = _round_trip(fixed, g)
        shown = fixed.replace("\ufeff", "")
        yield Hit("P011", m.start(), m.end(),
                  f"“{g}” is UTF-8 text decoded as Windows-1252 (mojibake); it should read “{shown}”.",
                  (Suggestion(shown, "safe" if round_trips else "unsafe"),))


_BYTE_TO_CHAR = {b: ch for ch, b in _CP1252_SPECIALS.items()}


def _as_cp1252(s: str) -> str:
    """The inverse of the repair: UTF-8 bytes shown as Windows-1252 (Latin-1 for its gaps)."""
    return "".join(_BYTE_TO_CHAR.get(b, chr(b)) for b in s.encode("utf-8"))


def _round_trip(fixed: str, original: str) -> bool:
    cur = fixed
    for _ in range(3):
        cur = _as_cp1252(cur)
        if cur == original:
            return True
    return False
