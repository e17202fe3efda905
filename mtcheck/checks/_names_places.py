"""Source-language place names left in a translation (N002).

One dictionary look-up per word (the first word of every foreign name in the
target language's :class:`~mtcheck.gazetteer.PlaceView`), then a string
comparison for the whole name. A foreign name is left alone when it is part of
a longer proper name ("Hotel Londres", "Banco do Brasil", "New York Times" in
Spanish copy, "Jack London"), follows a number ("1860 München"), or is
ambiguous and not after a locative word ("in Mosca").
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress, count
from typing import Iterator, NamedTuple

from ..document import DATELINE, Document, TokenColumns
from ..gazetteer import PlaceName, place_view

PLACE_TARGETS = ("en", "es", "fr")

LOCATIVES = {
    "en": frozenset(
        "in to from near at outside into via toward towards across around of for visit visited visiting visits "
        "leave left leaving reach reached arrive arrived arriving back between and".split()
    ),
    "es": frozenset("en a de desde hacia cerca para por hasta visita visitó visitar entre y".split()),
    "fr": frozenset("à a en de depuis vers près pour par au jusqu'à entre et".split()),
}
_JOINERS = frozenset({"de", "do", "da", "del", "della", "di", "du", "des", "dos", "das", "of", "von", "van"})


class PlaceHit(NamedTuple):
    start: int
    end: int
    place: PlaceName
    text: str
    replacement: str


# Capitalised words that do not make the next word part of a longer name.
_FUNCTION_CAP = frozenset("""
The A An In At On To From For Of And Or But With Without By Near Into Via Both Between After Before Since Until
While When Where Whereas Although Though As If Also Then Now Today Yesterday Tomorrow This That These Those
He She It We They I You His Her Its Our Their My Your Here There Meanwhile However According
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December
El La Los Las Lo Un Una Unos Unas En De Desde Hacia Para Por Con Sin Sobre Tras Entre Hasta Y O Pero Según Segun
Como Cuando Donde Mientras Aunque Si Ayer Hoy Este Esta Estos Estas Su Sus
Le Les Des Du Une Au Aux Et Ou Mais Pour Par Avec Sans Sur Dans Depuis Vers Après Avant Selon Comme Quand Où Hier
Ce Cette Ces Son Sa Ses Leur Leurs
Lunes Martes Miércoles Jueves Viernes Sábado Domingo Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche
""".split())


_POSSESSIVE_RE = re.compile(r"['’]s\Z")


@lru_cache(maxsize=8)
def _first_words(lang: str) -> frozenset[str]:
    """The keys of ``place_view(lang).by_first`` as a set (a set meets a set faster than dict keys)."""
    return frozenset(place_view(lang).by_first)


def _is_cap_word(w: str) -> bool:
    return w[:1].isupper() and w not in _FUNCTION_CAP


def find(doc: Document, lang: str) -> Iterator[PlaceHit]:
    if lang not in PLACE_TARGETS:
        return
    view = place_view(lang)
    if not view.by_first:
        return
    text = doc.text
    cols = doc.token_columns
    starts, texts = cols.starts, cols.texts
    dateline_spans = [(b.start, b.lead_end if b.lead_end > b.start else b.end) for b in doc.blocks
                      if b.lead_end > b.start or b.kind == DATELINE]
    cues = LOCATIVES.get(lang, frozenset())
    # Only these spellings can start a hit: a first word of a foreign name, a word with a
    # possessive, a word in capitals when there is a dateline. Most stories hold none, and
    # in the others one set look-up rules out every other token.
    spellings = set(texts)
    maybe = spellings & _first_words(lang)
    if "'s" in text or "’s" in text:
        maybe.update(filter(_POSSESSIVE_RE.search, spellings))
    if dateline_spans:
        maybe.update(filter(str.isupper, spellings))
    if not maybe:
        return
    skip_until = -1
    for i in compress(count(), map(maybe.__contains__, texts)):  # no Python-level step per token
        t_start = starts[i]
        if t_start < skip_until:
            continue
        w = texts[i]
        if not w[:1].isalpha():
            continue
        caps = False
        if w.endswith(("'s", "’s")) and len(w) > 3:
            w = w[:-2]  # "Alemania's"
        cands = view.by_first.get(w)
        if cands is None and w.isupper() and len(w) > 2 and any(a <= t_start < b for a, b in dateline_spans):
            cands = view.by_first.get(w.capitalize()) or view.by_first.get(w.title())
            caps = True
        if not cands:
            continue
        for pn in cands:
            end = t_start + len(pn.name)
            seg = text[t_start:end]
            if (seg.upper() != pn.name.upper()) if caps else (seg != pn.name):
                continue
            if end < len(text) and (text[end].isalnum() or text[end] in "-‑"):
                continue
            if not _context_ok(cols, i, end, text, pn, cues):
                break
            repl = pn.target.upper() if caps else pn.target
            yield PlaceHit(t_start, end, pn, seg, repl)
            skip_until = end
            break


def _prev_word(cols: TokenColumns, i: int, text: str) -> tuple[str | None, str]:
    """(previous token's text, gap text) within the same line."""
    if i == 0:
        return None, ""
    return cols.texts[i - 1], text[cols.ends[i - 1]:cols.starts[i]]


def _context_ok(cols: TokenColumns, i: int, end: int, text: str, pn: PlaceName, cues) -> bool:
    starts, ends, texts = cols
    pw, gap = _prev_word(cols, i, text)
    if pw is not None and gap in (" ", "\u00a0"):
        if pw[:1].isdigit():
            return False  # "1860 München"
        if _is_cap_word(pw) and pw[:1].isalpha():
            # Part of a longer name ("Sporting Lisboa", "Jack London") unless it starts the sentence
            # with a function word (handled by STOP_CAP).
            return False
        if pw.lower() in _JOINERS and i >= 2:
            if text[ends[i - 2]:starts[i - 1]] in (" ", "\u00a0") and _is_cap_word(texts[i - 2]):
                return False  # "Banco do Brasil", "Universidad de Londres"
    # The next word continues a proper name ("New York Times", "London Stock Exchange").
    j = i + 1
    n = len(texts)
    while j < n and starts[j] < end:
        j += 1
    if j < n:
        nt = texts[j]
        if text[end:starts[j]] in (" ", "\u00a0") and _is_cap_word(nt) and nt[:1].isalpha():
            return False
    if pn.needs_cue:
        if pw is None or gap not in (" ", "\u00a0") or pw.lower() not in cues:
            return False
    return True
