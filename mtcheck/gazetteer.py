"""Name tables for the N family: people (the built-in gazetteer and a newsroom's
house list) and places (exonym tables), with the folding both are looked up by.

People tables are tab-separated, UTF-8, ``#`` starts a comment line, and the
first non-comment line may be a header naming the columns::

    canonical   variants            accept                 es               fr               note
    Sergei Lavrov   Sergej Lawrow|Serguei Lavrov   Sergey Lavrov|Lavrov   Serguéi Lavrov   Sergueï Lavrov   Russian foreign minister

- ``canonical``: the house spelling in English copy.
- ``variants``: spellings that are wrong for this person (typos, other languages'
  transliterations); several separated by ``|``. A one-word variant
  (``Selenskyj``) stands for the surname alone.
- ``accept``: spellings that are also right (another agency's style, the
  surname alone); never flagged on their own, but still counted when a story
  mixes spellings.
- ``es``/``fr``: the Spanish and French agency spelling where it differs; it is
  the canonical form in Spanish or French copy, and a variant in English copy.
- ``note``: free text (role, dates).

Without a header the columns are canonical, variants, accept, es, fr, note. A
row with only a canonical form is a name to accept as it is. The format is what
``mtcheck learn`` writes from an archive: one row per person, the archive's
most frequent spelling. A house-list row that shares a spelling with a
gazetteer row is merged with it, the house deciding (:func:`merge`).

Place tables (``corpora/places/*.tsv``) have a header naming language columns
(``en es fr de it pt``); each cell lists that language's names for the place,
``|``-separated; a name prefixed ``?`` is flagged only after a locative word
("in", "to", "from"...), one prefixed ``-`` is listed for the record and never
flagged (a football club's name in English copy, say).

Everything is loaded lazily and cached; nothing here reads a file per story.
The built-in tables' parsed rows and per-language look-up views are also kept
as compiled mirrors (``names/compiled/*.json``, ``places/compiled/*.json``; see
:mod:`mtcheck.mirrors`), which load several times faster than the tables parse
and index; they are used only while they match the tables.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, Sequence

from . import mirrors, resources

COLUMNS = ("canonical", "variants", "accept", "es", "fr", "note")
NAME_LANGS = ("en", "es", "fr")  # target languages the people tables know
PLACE_LANGS = ("en", "es", "fr", "de", "it", "pt")
LANG_NAMES = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian", "pt": "Portuguese",
}

# -- folding -----------------------------------------------------------------------

_FOLD_TABLE = str.maketrans({
    "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i",
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d",
    "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'",
    "‐": "-", "‑": "-", "–": "-", "—": "-",
})


_COMBINING_RE = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents: ``Erdoğan`` -> ``erdogan``, ``Łukasz`` -> ``lukasz``."""
    if text.isascii():
        return text.lower()
    s = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE))
    return _COMBINING_RE.sub("", s).casefold()


_KEY_TABLE = str.maketrans({"'": None, ".": " ", "-": " ", "\t": " ", "\u00a0": " "})


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The look-up key of a name: folded, hyphens as spaces, no apostrophes; initials run
    together (``J.D. Vance``, ``J. D. Vance`` and ``JD Vance`` share ``jd vance``)."""
    parts = fold(name).translate(_KEY_TABLE).split()
    if any(len(p) == 1 for p in parts):
        merged: list[str] = []
        initials = ""
        for p in parts:
            if len(p) == 1:
                initials += p
                continue
            if initials:
                merged.append(initials)
                initials = ""
            merged.append(p)
        if initials:
            merged.append(initials)
        parts = merged
    return " ".join(parts)


# Transliteration classes (Cyrillic, Arabic, Persian into Latin script through
# English, German, French and Spanish conventions), applied in this order.
_TRANSLIT = (
    ("tsch", "ch"), ("tch", "ch"), ("sch", "sh"), ("dzh", "j"), ("dj", "j"), ("zh", "j"),
    ("kh", "h"), ("ks", "x"), ("ph", "f"), ("th", "t"), ("ou", "u"), ("w", "v"),
    ("q", "k"), ("ck", "k"), ("y", "i"), ("j", "i"),
)
_DOUBLE_RE = re.compile(r"(.)\1+")
_VOWELS_RE = re.compile(r"[aeiouy]")


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """A spelling-insensitive form: Sergey/Sergei, Zelenskyy/Zelensky, Mohammed/Mohamed."""
    s = name_key(token).replace(" ", "")
    for a, b in _TRANSLIT:
        if a in s:
            s = s.replace(a, b)
    return _DOUBLE_RE.sub(r"\1", s)


@lru_cache(maxsize=65536)
def consonants(token: str) -> str:
    s = _VOWELS_RE.sub("", name_key(token).replace(" ", ""))
    return _DOUBLE_RE.sub(r"\1", s)


# -- people -----------------------------------------------------------------------------

class TableError(ValueError):
    """A names table that cannot be read; ``line`` is 1-based."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line


_HAS_LETTER_RE = re.compile(r"[^\W\d_]")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in cell.split("|") if p.strip()))


class NameEntry:
    """One person; compared by identity (two rows are two people).

    A plain class, not a dataclass: cheaper to define at start-up.
    """

    __slots__ = ("canonical", "variants", "accept", "forms", "note", "source", "origin")

    def __init__(
        self,
        canonical: str,
        variants: tuple[str, ...] = (),
        accept: tuple[str, ...] = (),
        forms: tuple[tuple[str, str], ...] = (),  # (lang, spelling) for es/fr
        note: str = "",
        source: str = "gazetteer",  # or "house"
        origin: str = "",  # file:line
    ) -> None:
        self.canonical = canonical
        self.variants = variants
        self.accept = accept
        self.forms = forms
        self.note = note
        self.source = source
        self.origin = origin

    def __repr__(self) -> str:
        return "NameEntry(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__) + ")"

    def form(self, lang: str) -> str | None:
        for lg, f in self.forms:
            if lg == lang:
                return f
        return None

    def canonical_for(self, lang: str) -> str:
        return self.form(lang) or self.canonical

    def accepted_for(self, lang: str) -> tuple[str, ...]:
        """Right spellings in ``lang`` copy, canonical first."""
        out = [self.canonical_for(lang), self.canonical, *self.accept]
        return tuple(dict.fromkeys(out))

    def variants_for(self, lang: str) -> tuple[str, ...]:
        """Wrong spellings in ``lang`` copy (other languages' agency forms included)."""
        accepted = set(self.accepted_for(lang))
        out = list(self.variants)
        out.extend(f for lg, f in self.forms if lg != lang)
        if lang != "en" and self.source != "house":
            # In Spanish or French copy a missing accent is a house-style matter, not an error
            # (unless the house list says so).
            keys = {name_key(a) for a in accepted}
            out = [v for v in out if name_key(v) not in keys]
        return tuple(v for v in dict.fromkeys(out) if v not in accepted)

    @property
    def label(self) -> str:
        return self.canonical


def parse_table(text: str, *, source: str = "gazetteer", filename: str = "") -> list[NameEntry]:
    """Rows of a people table; raises :class:`TableError` on a malformed row."""
    entries: list[NameEntry] = []
    columns: Sequence[str] | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r\n")
        if lineno == 1:
            line = line.lstrip("\ufeff")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if columns is None:
            columns = COLUMNS
            if cells[0].lower() == "canonical":
                names = [c.lower() for c in cells]
                unknown = [c for c in names if c not in COLUMNS]
                if unknown:
                    raise TableError(f"unknown column {unknown[0]!r} (known: {', '.join(COLUMNS)})", lineno)
                columns = names
                continue
        if len(cells) > len(columns):
            if any(cells[len(columns):]):
                raise TableError(f"{len(cells)} columns, expected at most {len(columns)} (tab-separated)", lineno)
            cells = cells[: len(columns)]
        row = dict(zip(columns, cells))
        canonical = row.get("canonical", "").strip()
        if not canonical:
            raise TableError("empty canonical form", lineno)
        if "|" in canonical:
            raise TableError(f"one canonical form per row, got {canonical!r}", lineno)
        for c in (canonical, *(row.get(k, "") for k in ("variants", "accept", "es", "fr"))):
            if c and not _HAS_LETTER_RE.search(c):
                raise TableError(f"{c!r} is not a name", lineno)
        forms = tuple((lg, row[lg].strip()) for lg in ("es", "fr") if row.get(lg, "").strip())
        entries.append(
            NameEntry(
                canonical=canonical,
                variants=_split(row.get("variants", "")),
                accept=tuple(a for a in _split(row.get("accept", "")) if a != canonical),
                forms=forms,
                note=row.get("note", ""),
                source=source,
                origin=f"{filename}:{lineno}" if filename else str(lineno),
            )
        )
    return entries


class NameView:
    """Look-ups into a list of entries for one target language.

    ``full`` maps the key of every multi-word form to one entry (a house entry
    shadows the gazetteer entries it shares a form with); ``short`` maps the key
    of one-word forms (surnames) to the entries listing them, which may be
    several (``Medvedev``).
    """

    def __init__(self, entries: Iterable[NameEntry], lang: str):
        self.lang = lang
        self.entries: list[NameEntry] = []
        self.exact: dict[str, tuple[NameEntry, bool]] = {}  # surface -> (entry, accepted?)
        self.full: dict[str, tuple[NameEntry, bool]] = {}  # key -> (entry, accepted?)
        self.short: dict[str, list[tuple[NameEntry, bool]]] = {}
        self._by_last: dict[str, list[NameEntry]] | None = None
        self.max_words = 1
        for e in entries:
            self._add(e)

    def _forms(self, e: NameEntry) -> Iterator[tuple[str, bool]]:
        for f in e.accepted_for(self.lang):
            yield f, True
        for f in e.variants_for(self.lang):
            yield f, False

    def _add(self, e: NameEntry) -> None:
        forms = list(self._forms(e))
        # A house entry comes first; a later entry sharing any multi-word form is shadowed.
        for f, _ in forms:
            k = name_key(f)
            if " " in k and k in self.full and self.full[k][0] is not e:
                return
        self.entries.append(e)
        accepted_keys = {name_key(f) for f, ok in forms if ok}
        for f, ok in forms:
            k = name_key(f)
            if not ok and k in accepted_keys:
                # Same letters as a right spelling: only the exact surface is wrong.
                self.exact.setdefault(f, (e, False))
                continue
            self.exact.setdefault(f, (e, ok))
            if " " in k:
                self.full.setdefault(k, (e, ok))
                self.max_words = max(self.max_words, k.count(" ") + 1)
            else:
                lst = self.short.setdefault(k, [])
                if all(x[0] is not e for x in lst):
                    lst.append((e, ok))

    def dump(self, index: dict[int, int]) -> dict:
        """This view as mirror data: entries by position (``index``: id(entry) -> position),
        a right spelling's hit as that position, a wrong one's as its bitwise complement."""
        def ref(hit: tuple[NameEntry, bool]) -> int:
            i = index[id(hit[0])]
            return i if hit[1] else ~i

        return {
            "entries": [index[id(e)] for e in self.entries],
            "exact": {k: ref(h) for k, h in self.exact.items()},
            "full": {k: ref(h) for k, h in self.full.items()},
            "short": {k: [ref(h) for h in lst] for k, lst in self.short.items()},
            "max_words": self.max_words,
            "by_last": {k: [index[id(e)] for e in lst] for k, lst in self.by_last.items()},
        }

    @classmethod
    def restore(cls, entries: Sequence[NameEntry], data: dict, lang: str) -> "NameView":
        """The view :meth:`dump` wrote, over the same ``entries``, without recomputing a key."""
        hits = [(e, True) for e in entries]
        misses = [(e, False) for e in entries]

        def hit(i: int) -> tuple[NameEntry, bool]:
            return hits[i] if i >= 0 else misses[~i]

        v = cls.__new__(cls)
        v.lang = lang
        v.entries = [entries[i] for i in data["entries"]]
        v.exact = {k: hit(i) for k, i in data["exact"].items()}
        v.full = {k: hit(i) for k, i in data["full"].items()}
        v.short = {k: [hit(i) for i in lst] for k, lst in data["short"].items()}
        v._by_last = {k: [entries[i] for i in lst] for k, lst in data["by_last"].items()}
        v.max_words = data["max_words"]
        return v

    @property
    def by_last(self) -> dict[str, list[NameEntry]]:
        """Skeleton of the last word of every right multi-word spelling -> entries (built on first use)."""
        if self._by_last is None:
            idx: dict[str, list[NameEntry]] = {}
            for k, (e, ok) in self.full.items():
                if ok:
                    lst = idx.setdefault(skeleton(k.rsplit(" ", 1)[1]), [])
                    if e not in lst:
                        lst.append(e)
            self._by_last = idx
        return self._by_last

    def lookup(self, surface: str) -> tuple[NameEntry, bool] | None:
        """(entry, accepted) for a multi-word name, exact spelling first, then by key."""
        hit = self.exact.get(surface)
        if hit is not None:
            return hit
        return self.full.get(name_key(surface))

    def lookup_short(self, surface: str) -> list[tuple[NameEntry, bool]]:
        """Entries listing a one-word form (a surname): several when people share it."""
        hit = self.exact.get(surface)
        if hit is not None and not hit[1] and " " not in name_key(surface):
            return [hit]  # a wrong spelling with the letters of a right one ("Erdogán")
        return self.short.get(name_key(surface), [])


class NameTable:
    """Entries from one source (the gazetteer or a house list), with per-language views.

    ``stored``: a function giving a view's mirror data for a language (or None),
    restored on first use instead of being built.
    """

    def __init__(self, entries: Sequence[NameEntry], path: str = "",
                 stored: Callable[[str], dict | None] | None = None):
        self.entries = list(entries)
        self.path = path
        self._views: dict[str, NameView] = {}
        self._stored = stored

    def __len__(self) -> int:
        return len(self.entries)

    def view(self, lang: str) -> NameView:
        v = self._views.get(lang)
        if v is None:
            data = self._stored(lang) if self._stored is not None else None
            v = NameView(self.entries, lang) if data is None else NameView.restore(self.entries, data, lang)
            self._views[lang] = v
        return v


# Mirrors (see mtcheck.mirrors): the gazetteer's entries, and one file per
# language with its view (people) or its place view, so that a story loads only
# its own language's.
MIRROR_FORMAT = 1  # what the mirrors below hold (see mtcheck.mirrors.fingerprint)
NAMES_MIRROR = "names/compiled/entries.json"
PLACES_MIRROR = "places/compiled/names.json"


def _view_mirror(folder: str, lang: str) -> str:
    return f"{folder}/compiled/{lang}.json"


def _table_files(folder: str) -> list[tuple[str, bytes]]:
    """(file name, bytes) of every ``*.tsv`` of a corpora folder, in name order."""
    return [(p.name, p.read_bytes()) for p in sorted(Path(resources.path(folder)).glob("*.tsv"))]


def _text(raw: bytes) -> str:
    """A table's text as ``Path.read_text(encoding="utf-8")`` gives it (universal newlines)."""
    return raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _parse_names(files: list[tuple[str, bytes]]) -> NameTable:
    entries: list[NameEntry] = []
    for name, raw in files:
        entries.extend(parse_table(_text(raw), filename=f"names/{name}"))
    return NameTable(entries, str(resources.path("names")))


@lru_cache(maxsize=1)
def builtin() -> NameTable:
    """The gazetteer under ``corpora/names/`` (every ``*.tsv``, in name order)."""
    files = _table_files("names")
    fp = mirrors.fingerprint(files, MIRROR_FORMAT)
    data = mirrors.read(NAMES_MIRROR, fp)
    if data is None:
        return _parse_names(files)
    entries = [
        NameEntry(canonical=c, variants=tuple(v), accept=tuple(a), forms=tuple((lg, f) for lg, f in forms),
                  note=note, source="gazetteer", origin=origin)
        for c, v, a, forms, note, origin in data
    ]
    return NameTable(entries, str(resources.path("names")),
                     lambda lang: mirrors.read(_view_mirror("names", lang), fp) if lang in NAME_LANGS else None)


def names_mirror_texts() -> dict[str, str]:
    """The up-to-date mirrors of the gazetteer (path under corpora/ -> text): its
    entries, and its view for each of NAME_LANGS."""
    files = _table_files("names")
    fp = mirrors.fingerprint(files, MIRROR_FORMAT)
    table = _parse_names(files)
    index = {id(e): i for i, e in enumerate(table.entries)}
    note = "Generated from names/*.tsv by `python -m mtcheck.mirrors`; do not edit."
    entries = [[e.canonical, list(e.variants), list(e.accept), [list(f) for f in e.forms], e.note, e.origin]
               for e in table.entries]
    out = {NAMES_MIRROR: mirrors.dumps(fp, entries, note)}
    for lang in NAME_LANGS:
        out[_view_mirror("names", lang)] = mirrors.dumps(fp, table.view(lang).dump(index), note)
    return out


def _keys(e: NameEntry) -> set[str]:
    """Multi-word look-up keys of every spelling an entry lists."""
    forms = (e.canonical, *e.accept, *e.variants, *(f for _, f in e.forms))
    return {k for k in map(name_key, forms) if " " in k}


def merge(house: NameEntry, gaz: NameEntry) -> NameEntry:
    """A house entry completed with what the gazetteer knows of the same person.

    The house decides: its canonical form and its variants win, and a spelling
    the house accepts is never a variant; the gazetteer adds its other
    spellings (its canonical form becomes an accepted one) and its es/fr forms
    where the house has none.
    """
    house_ok = {house.canonical, *house.accept}
    house_bad = set(house.variants)
    accept = [*house.accept, *(f for f in (gaz.canonical, *gaz.accept) if f not in house_bad)]
    variants = [*house.variants, *(v for v in gaz.variants if v not in house_ok)]
    forms = dict(gaz.forms)
    forms.update(dict(house.forms))
    for lg, f in list(forms.items()):
        if f in house_bad:
            del forms[lg]
    return NameEntry(
        canonical=house.canonical,
        variants=tuple(v for v in dict.fromkeys(variants) if v not in house_ok),
        accept=tuple(a for a in dict.fromkeys(accept) if a != house.canonical and a not in house_bad),
        forms=tuple(forms.items()),
        note=house.note or gaz.note,
        source="house",
        origin=house.origin,
    )


@lru_cache(maxsize=64)
def combined_view(house: NameTable | None, lang: str) -> NameView:
    """House list first (it wins, merged with the gazetteer's entry for the same person), then the gazetteer."""
    if house is None:
        return builtin().view(lang)
    gaz = builtin().entries
    index: dict[str, int] = {}
    for i, e in enumerate(gaz):
        for k in _keys(e):
            index.setdefault(k, i)
    used: set[int] = set()
    entries: list[NameEntry] = []
    for h in house.entries:
        hits = sorted({index[k] for k in _keys(h) if k in index} - used)
        if len(hits) == 1:
            used.add(hits[0])
            entries.append(merge(h, gaz[hits[0]]))
        else:
            entries.append(h)
    entries.extend(e for i, e in enumerate(gaz) if i not in used)
    return NameView(entries, lang)


# -- places ---------------------------------------------------------------------------------

class PlaceName(NamedTuple):  # not a frozen dataclass: cheaper to define at start-up
    name: str  # the foreign name as written
    first: str  # its first word, as the tokeniser splits it
    target: str  # the name in the target language
    langs: tuple[str, ...]  # languages the foreign name belongs to
    needs_cue: bool = False  # ambiguous: flag only after a locative word
    kind: str = "city"


class PlaceView:
    """Foreign place names by first word, for one target language (a plain class,
    not a dataclass: cheaper to define at start-up)."""

    def __init__(self, lang: str, by_first: dict[str, list[PlaceName]] | None = None,
                 target_names: frozenset[str] = frozenset()) -> None:
        self.lang = lang
        self.by_first = {} if by_first is None else by_first
        self.target_names = target_names

    def candidates(self, word: str) -> list[PlaceName]:
        return self.by_first.get(word, [])


_WORD_SPLIT_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*|\S", re.UNICODE)


def _cell(cell: str) -> list[tuple[str, str]]:
    """(name, flag) pairs of a place cell; flag is '', '?' or '-'."""
    out = []
    for part in cell.split("|"):
        part = part.strip()
        if not part:
            continue
        flag = part[0] if part[0] in "?-" else ""
        out.append((part[1:].strip() if flag else part, flag))
    return out


@lru_cache(maxsize=1)
def place_rows() -> tuple[tuple[str, dict[str, list[tuple[str, str]]]], ...]:
    """(kind, {lang: [(name, flag)]}) for every row of every place table."""
    return _parse_place_rows(_table_files("places"))


def _parse_place_rows(files: list[tuple[str, bytes]]) -> tuple[tuple[str, dict[str, list[tuple[str, str]]]], ...]:
    rows = []
    for file_name, data in files:
        kind = file_name[:-len(".tsv")].rstrip("s")  # cities -> city, countries -> country
        header: list[str] | None = None
        for raw in _text(data).splitlines():
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            cells = raw.split("\t")
            if header is None:
                header = [c.strip().lower() for c in cells]
                continue
            row = {lg: _cell(c) for lg, c in zip(header, cells) if lg in PLACE_LANGS}
            en = row.get("en")
            if not en:
                continue
            for lg in header:
                if lg in PLACE_LANGS and not row.get(lg):
                    # A blank cell: the language uses the English name.
                    row[lg] = [(n, "") for n, f in en if f != "-"]
            rows.append((kind, row))
    return tuple(rows)


@lru_cache(maxsize=1)
def _places_fingerprint() -> str:
    return mirrors.fingerprint(_table_files("places"), MIRROR_FORMAT)


@lru_cache(maxsize=1)
def all_place_names() -> frozenset[str]:
    """Every place name in every language (to tell a place from a surname)."""
    stored = mirrors.read(PLACES_MIRROR, _places_fingerprint())
    if stored is not None:
        return frozenset(stored)
    return _all_place_names(place_rows())


def _all_place_names(rows) -> frozenset[str]:
    return frozenset(n for _, row in rows for names in row.values() for n, _ in names)


@lru_cache(maxsize=8)
def place_view(lang: str) -> PlaceView:
    """Foreign names of places that should read differently in ``lang`` copy."""
    data = mirrors.read(_view_mirror("places", lang), _places_fingerprint()) if lang in NAME_LANGS else None
    if data is None:
        return _build_place_view(place_rows(), lang)
    by_first = {
        first: [PlaceName(name, first, target, tuple(langs), needs_cue, kind)
                for name, target, langs, needs_cue, kind in lst]
        for first, lst in data["by_first"].items()
    }
    return PlaceView(lang, by_first, frozenset(data["target_names"]))


def places_mirror_texts() -> dict[str, str]:
    """The up-to-date mirrors of the place tables (path under corpora/ -> text): every
    name, and the place view of each of NAME_LANGS."""
    files = _table_files("places")
    fp = mirrors.fingerprint(files, MIRROR_FORMAT)
    rows = _parse_place_rows(files)
    note = "Generated from places/*.tsv by `python -m mtcheck.mirrors`; do not edit."
    out = {PLACES_MIRROR: mirrors.dumps(fp, sorted(_all_place_names(rows)), note)}
    for lang in NAME_LANGS:
        view = _build_place_view(rows, lang)
        data = {
            "by_first": {first: [[p.name, p.target, list(p.langs), p.needs_cue, p.kind] for p in lst]
                         for first, lst in view.by_first.items()},
            "target_names": sorted(view.target_names),
        }
        out[_view_mirror("places", lang)] = mirrors.dumps(fp, data, note)
    return out


def _build_place_view(rows, lang: str) -> PlaceView:
    native: set[str] = set()
    for _, row in rows:
        native.update(n for n, _ in row.get(lang, ()))
    native_skeletons = {skeleton(n) for n in native} if lang != "en" else set()
    by_name: dict[str, PlaceName] = {}
    for kind, row in rows:
        targets = [n for n, f in row.get(lang, ()) if f != "-"] or [n for n, f in row.get(lang, ())]
        if not targets:
            continue
        target = targets[0]
        en_names = {n for n, _ in row.get("en", ())}
        for lg, names in row.items():
            if lg == lang:
                continue
            for name, flag in names:
                if lg != "en" and name in en_names:
                    continue  # the English name, not another language's
                if flag == "-" or name in native or not name:
                    continue
                if lang != "en" and skeleton(name) in native_skeletons:
                    # "Peru", "Rotterdam" in Spanish copy: a missing accent or a doubled
                    # letter, not another language's name.
                    continue
                prev = by_name.get(name)
                if prev is not None:
                    if prev.target != target:
                        # One foreign name for two places: too ambiguous to flag.
                        by_name[name] = PlaceName(name, prev.first, "", (), True, kind)
                        continue
                    langs = prev.langs if lg in prev.langs else prev.langs + (lg,)
                    by_name[name] = PlaceName(name, prev.first, target, langs, prev.needs_cue or flag == "?", prev.kind)
                    continue
                first = _WORD_SPLIT_RE.match(name)
                if first is None:
                    continue
                by_name[name] = PlaceName(name, first.group(), target, (lg,), flag == "?", kind)
    view = PlaceView(lang, target_names=frozenset(native))
    for name, pn in by_name.items():
        if not pn.target:
            continue
        view.by_first.setdefault(pn.first, []).append(pn)
    for lst in view.by_first.values():
        lst.sort(key=lambda p: -len(p.name))
    return view
