"""Locale-aware extraction of numbers, amounts, percentages, dates and times.

Each number found in a text becomes a :class:`Quantity` carrying every value
it can plausibly stand for: ``"1.000"`` is 1,000 in Spanish or German but may be
1.0 in English, so both readings are kept; ``"13 millones"`` is 13,000,000 and
also 13 (a translation may say "13 million"); ``"15.30 horas"`` is the time
15:30, which matches "3:30 p.m.". Two quantities agree when their value sets
meet. Generous readings cost little recall (a changed number rarely lands on
another reading of the original) and buy a lot of precision.

Number words are read in en, es, fr, de, it and pt ("dos", "zwei", "three",
"vingt-cinq", "dreiundzwanzig"). Words meaning one ("un", "ein", "one") are
skipped: they are articles and pronouns far more often than counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Hashable, Iterable, Sequence

Value = Hashable  # a float, or ("t", minutes) for a time of day


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    values: frozenset
    kind: str = "number"  # number | percent | time | word
    unit: str = ""

    @property
    def is_word(self) -> bool:
        return self.kind == "word"

    @property
    def primary(self) -> Value:
        """A representative value (for messages and tests)."""
        nums = sorted(v for v in self.values if isinstance(v, float))
        times = [v for v in self.values if isinstance(v, tuple)]
        if self.kind == "time" and times:
            return times[0]
        return nums[-1] if nums else next(iter(self.values))

    def agrees(self, other: "Quantity") -> bool:
        return bool(self.values & other.values)


# -- number words -------------------------------------------------------------

_UNITS = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen twenty",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
          "dieciséis diecisiete dieciocho diecinueve veinte",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
          "seize dix-sept dix-huit dix-neuf vingt",
    "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn "
          "sechzehn siebzehn achtzehn neunzehn zwanzig",
    "it": "zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici "
          "sedici diciassette diciotto diciannove venti",
    "pt": "zero um dois três quatro cinco seis sete oito nove dez onze doze treze catorze quinze "
          "dezesseis dezessete dezoito dezenove vinte",
}
_TENS = {
    "en": {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90},
    "es": {"treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90},
    "fr": {"trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "soixante-dix": 70,
           "quatre-vingt": 80, "quatre-vingts": 80, "quatre-vingt-dix": 90, "septante": 70, "huitante": 80,
           "octante": 80, "nonante": 90},
    "de": {"dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90},
    "it": {"trenta": 30, "quaranta": 40, "cinquanta": 50, "sessanta": 60, "settanta": 70, "ottanta": 80, "novanta": 90},
    "pt": {"trinta": 30, "quarenta": 40, "cinquenta": 50, "sessenta": 60, "setenta": 70, "oitenta": 80, "noventa": 90},
}
_HUNDRED = {
    "en": {"hundred": 100, "dozen": 12},
    "es": {"cien": 100, "ciento": 100, "docena": 12, "doscientos": 200, "doscientas": 200, "trescientos": 300,
           "trescientas": 300, "cuatrocientos": 400, "quinientos": 500, "seiscientos": 600, "setecientos": 700,
           "ochocientos": 800, "novecientos": 900},
    "fr": {"cent": 100, "douzaine": 12},
    "de": {"hundert": 100, "einhundert": 100, "dutzend": 12},
    "it": {"cento": 100, "dozzina": 12, "duecento": 200, "trecento": 300},
    "pt": {"cem": 100, "cento": 100, "dúzia": 12, "duzentos": 200, "trezentos": 300, "quinhentos": 500},
}
# Multipliers after a number ("13 millones", "2,5 Mrd."); value per unit.
_MULTIPLIERS = {
    "en": {"thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9, "trillion": 1e12,
           "bn": 1e9, "m": 1e6, "k": 1e3, "mn": 1e6},
    "es": {"mil": 1e3, "millón": 1e6, "millones": 1e6, "millon": 1e6, "billón": 1e12, "billones": 1e12,
           "mdd": 1e6},
    "fr": {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "md": 1e9,
           "mds": 1e9, "billion": 1e12, "billions": 1e12},
    "de": {"tausend": 1e3, "tsd": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6, "milliarde": 1e9,
           "milliarden": 1e9, "mrd": 1e9, "billion": 1e12, "billionen": 1e12},
    "it": {"mila": 1e3, "mille": 1e3, "milione": 1e6, "milioni": 1e6, "miliardo": 1e9, "miliardi": 1e9,
           "mln": 1e6, "mld": 1e9, "mrd": 1e9},
    "pt": {"mil": 1e3, "milhão": 1e6, "milhões": 1e6, "bilhão": 1e9, "bilhões": 1e9, "mi": 1e6, "bi": 1e9},
}
# "mil millones" (es) and "mille milliards" are handled as consecutive multipliers.

# Words that spell a number but are far more often something else.
_AMBIGUOUS = {
    "en": {"zero"},
    "es": {"uno", "cero"},
    "fr": {"un", "neuf", "zéro"},  # neuf = new
    "de": {"null", "eins", "acht"},  # Acht geben
    "it": {"uno", "sei", "zero"},  # sei = (you) are
    "pt": {"um", "zero", "sete"},
}

_PERCENT_WORDS = r"(?:%|‰|per\s?cent|percent|por\s?ciento|pour\s?cent|prozent|per\s?cento|por\s?cento|pct\.?)"


@lru_cache(maxsize=None)
def _word_table(lang: str) -> dict[str, float]:
    """Number word -> value for one language (lower case)."""
    table: dict[str, float] = {}
    units = _UNITS.get(lang, "").split()
    for i, w in enumerate(units):
        table[w] = float(i)
    for w, v in _TENS.get(lang, {}).items():
        table[w] = float(v)
    for w, v in _HUNDRED.get(lang, {}).items():
        table[w] = float(v)
    for w in _AMBIGUOUS.get(lang, ()):  # never counted
        table.pop(w, None)
    # Values of one are articles ("un", "ein", "a"); drop any left.
    for w in ("one", "un", "una", "uno", "ein", "eine", "um", "uma", "une"):
        table.pop(w, None)
    return table


_DE_UNITS = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9}
_DE_COMPOUND_RE = re.compile(r"^(ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun)und(zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig)$")
_IT_TENS = {"venti": 20, "vent": 20, "trenta": 30, "trent": 30, "quaranta": 40, "quarant": 40, "cinquanta": 50,
            "cinquant": 50, "sessanta": 60, "sessant": 60, "settanta": 70, "settant": 70, "ottanta": 80,
            "ottant": 80, "novanta": 90, "novant": 90}
_IT_UNITS = {"uno": 1, "due": 2, "tre": 3, "tré": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9}
_ES_VEINTI = {"veintiuno": 21, "veintiún": 21, "veintiuna": 21, "veintidós": 22, "veintitrés": 23,
              "veinticuatro": 24, "veinticinco": 25, "veintiséis": 26, "veintisiete": 27, "veintiocho": 28,
              "veintinueve": 29}


def word_value(word: str, lang: str) -> float | None:
    """The value of one number word in ``lang`` ("dos" -> 2.0), else None."""
    w = word.lower()
    table = _word_table(lang)
    if w in table:
        return table[w]
    if lang == "de":
        m = _DE_COMPOUND_RE.match(w)
        if m:
            return float(_DE_UNITS[m.group(1)] + {"zwanzig": 20, **_TENS["de"]}[m.group(2)])
    elif lang == "es":
        if w in _ES_VEINTI:
            return float(_ES_VEINTI[w])
    elif lang == "it":
        for t, tv in _IT_TENS.items():
            if w.startswith(t) and w[len(t):] in _IT_UNITS:
                return float(tv + _IT_UNITS[w[len(t):]])
    if "-" in w and lang in ("en", "fr"):
        parts = w.split("-")
        if lang == "fr" and parts[-1] == "et":
            return None
        parts = [p for p in parts if p != "et"]
        if len(parts) == 2:
            a, b = table.get(parts[0]), table.get(parts[1])
            if a is None and parts[0] in _TENS.get(lang, {}):
                a = float(_TENS[lang][parts[0]])
            if b is None and parts[1] in ("un", "one"):
                b = 1.0
            if a is not None and b is not None and a >= 20 and a % 10 == 0 and 0 < b < 20:
                return a + b
    return None


# -- digits -------------------------------------------------------------------

# Languages that group thousands with "." and mark decimals with ",".
_DOT_GROUPING = frozenset({"es", "de", "it", "pt", "fr", "nl", "ca", "ro"})
_SPACE = " \u00a0\u202f\u2009"
_NUM_RE = re.compile(
    r"(?<![\d])"
    r"(?P<num>\d{1,3}(?:(?P<sep>[.,'’\u00a0\u202f\u2009 ])\d{3})(?:(?P=sep)\d{3})*(?:[.,]\d+)?(?![\d])"
    r"|\d+(?:[.,]\d+)?)"
)
_TIME_RE = re.compile(
    r"(?<![\d.,])(?P<h>[01]?\d|2[0-4])(?:"
    r"[:.](?P<m>[0-5]\d)\s*(?P<suf>Uhr|horas?|hrs?\.?|h\b|heures?|ore\b|a\.\s?m\.|p\.\s?m\.|am\b|pm\b|GMT|UTC|CET|CEST|ET|EST|EDT|PT|PST|hs\.?)"
    r"|:(?P<m2>[0-5]\d)(?![\d])"
    r"|\s?h\s?(?P<m3>[0-5]\d)?(?![\w])"
    r"|(?P<m4>[0-5]\d)\s?(?:GMT|UTC|horas|hrs|h\b))"
)
_DECADE_RE = re.compile(r"(?<![\d])(?:['’])?(?P<n>\d{2}|1\d{3}|20\d{2})(?:s|er|ern)\b")
_ORD_SUFFIX_RE = re.compile(r"(?:st|nd|rd|th|er|ère|e|ème|º|ª|°|o|a)\b")


def _digit_values(raw: str, lang: str) -> set[float]:  # noqa: C901
    """Every plausible reading of a digit string like "1.000", "1,5", "272.000", "7 400"."""
    s = raw.replace("’", "'")
    vals: set[float] = set()
    m = re.fullmatch(r"(\d{1,3})((?:[.,' \u00a0\u202f\u2009]\d{3})+)(?:([.,])(\d+))?", s)
    if m:
        seps = set(re.findall(r"[.,' \u00a0\u202f\u2009]", m.group(2)))
        grouped = float(m.group(1) + re.sub(r"\D", "", m.group(2)))
        if m.group(3):
            vals.add(grouped + float("0." + m.group(4)))
        else:
            vals.add(grouped)
            # One separator and one group may be a decimal: "1,500" in Spanish copy that follows
            # English usage, "1.500" in English. Not "272.000" in a dot-grouping language.
            if len(m.group(2)) == 4 and seps <= {".", ","} and not (lang in _DOT_GROUPING and seps == {"."}):
                vals.add(float(m.group(1) + "." + m.group(2)[1:]))
        return vals
    m = re.fullmatch(r"(\d+)(?:([.,])(\d+))?", s)
    if m:
        if m.group(2):
            vals.add(float(m.group(1) + "." + m.group(3)))
            # "1.5" in a dot-grouping language may still be a decimal; "1,5" in English
            # is a decimal only by mistake, but keep the reading.
        else:
            vals.add(float(m.group(1)))
    return vals


def free_span(taken: Sequence[tuple[int, int]], s: int, e: int) -> bool:
    return all(e <= a or s >= b for a, b in taken)


def _norm(v: float) -> float:
    return float(round(v, 6))


def extract(text: str, lang: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Quantities in ``text[start:end]``, offsets relative to ``text``."""
    if end is None:
        end = len(text)
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    # "9/11": the date of the 2001 attacks, in any language.
    for m in re.finditer(r"(?<![\d/])(?:9/11|11-S|11/9)(?![\d/])", text[start:end]):
        s, e = start + m.start(), start + m.end()
        out.append(Quantity(s, e, m.group(), frozenset({9.0, 11.0, 2001.0}), "number"))
        taken.append((s, e))

    # Day and month: "12.12.", "18.01.2021", "16.3." (German, Spanish, Italian...).
    if lang != "en":
        for m in re.finditer(r"(?<![\d.,])(0?[1-9]|[12]\d|3[01])\.(0?[1-9]|1[0-2])\.(?:(\d{4}|\d{2})(?![\d]))?",
                             text[start:end]):
            s, e = start + m.start(), start + m.end()
            d, mo = int(m.group(1)), int(m.group(2))
            vals = {float(d), float(mo), _norm(d + mo / (100 if len(m.group(2)) == 2 else 10))}
            if m.group(3):
                y = int(m.group(3))
                vals.add(float(y if y > 99 else 2000 + y))
            out.append(Quantity(s, e, m.group(), frozenset(vals), "date"))
            taken.append((s, e))
    # Whole hours: "19 Uhr", "15h", "7 p.m.", "10 PM".
    for m in re.finditer(r"(?<![\d.,:])([01]?\d|2[0-4])\s?(Uhr|horas|h(?![\w.])|heures|(?:a\.\s?m\.|p\.\s?m\.|am|pm|AM|PM)(?![\w]))",
                         text[start:end]):
        s, e = start + m.start(), start + m.end()
        h = int(m.group(1))
        suf = m.group(2).lower().replace(" ", "").replace(".", "")
        vals = {("t", (h * 60) % 720), float(h)}
        if suf == "pm" and h < 12:
            vals.add(float(h + 12))
        if not free_span(taken, s, e):
            continue
        out.append(Quantity(s, e, m.group(), frozenset(vals), "time"))
        taken.append((s, e))

    # Times first: "15.30 horas", "3:40 a.m.", "12 h 00", "1200 GMT".
    for m in _TIME_RE.finditer(text, start, end):
        if not free_span(taken, m.start(), m.end()):
            continue
        h = int(m.group("h"))
        mins = m.group("m") or m.group("m2") or m.group("m3") or m.group("m4")
        if m.group("m4") is not None and len(m.group("h")) != 2:
            continue
        suf = (m.group("suf") or "").lower().replace(" ", "")
        if m.group("m2") is not None and h > 24:
            continue
        if mins is None and not re.search(r"h", m.group(0)):
            continue
        if mins is None:
            # "12 h" alone: only a time when "h" stands apart or right after digits.
            mins = "00"
        if h > 24:
            continue
        total = h * 60 + int(mins)
        vals: set = {("t", total % 720)}
        if suf.startswith("p") and h < 12:
            vals.add(("t", (total + 720) % 720))
        # A time is also a plain number to a generous reader ("3.40" -> 3.4).
        vals.add(_norm(h + int(mins) / 100))
        vals.add(float(h))
        out.append(Quantity(m.start(), m.end(), m.group(0), frozenset(vals), "time"))
        taken.append((m.start(), m.end()))

    for m in _DECADE_RE.finditer(text, start, end):
        if not free(m.start(), m.end()):
            continue
        n = int(m.group("n"))
        vals = {float(n), float(n % 100)}
        if n < 100:
            vals.update({1900.0 + n, 2000.0 + n})
        out.append(Quantity(m.start(), m.end(), m.group(0), frozenset(vals), "number"))
        taken.append((m.start(), m.end()))

    for m in _NUM_RE.finditer(text, start, end):
        s, e = m.start(), m.end()
        if not free(s, e):
            continue
        raw = m.group("num")
        sep = m.group("sep")
        if sep and sep in _SPACE and lang not in ("fr",) and sep == " ":
            # A plain space groups thousands only in French; elsewhere "in 2010 300 people"
            # is two numbers. Re-read the first group alone.
            first = re.match(r"\d+", raw).group()
            e = s + len(first)
            raw = first
        vals = _digit_values(raw, lang)
        if not vals:
            continue
        if lang == "en" and re.fullmatch(r"\d{1,2},\d{1,2}", raw):
            # "3,5" in English copy is a list ("3,5 and 7") or a foreign decimal: keep both readings.
            vals |= {float(x) for x in raw.split(",")}
        if len(raw) == 2 and raw.isdigit() and int(raw) >= 30:
            vals.add(1900.0 + int(raw))  # "69" for 1969, as in "the class of 69"
        after = text[e:min(len(text), e + 30)]
        kind, unit = "number", ""
        pm = re.match(r"\s?" + _PERCENT_WORDS, after, re.IGNORECASE)
        if pm:
            kind, unit = "percent", "%"
        else:
            mm = re.match(r"[\s\u00a0]?([A-Za-zÀ-ÿ]+)\.?", after)
            if mm:
                word = mm.group(1).lower()
                mult = _MULTIPLIERS.get(lang, {}).get(word)
                if word in ("m", "k", "mn", "mi", "bi") and mm.group(0)[:1] in (" ", "\u00a0"):
                    mult = None  # "5 m" is five metres
                if mult:
                    scaled = {_norm(v * mult) for v in vals}
                    # "mil millones" = a thousand millions
                    rest = after[mm.end():]
                    m2 = re.match(r"\s([A-Za-zÀ-ÿ]+)", rest)
                    if m2 and mult == 1e3:
                        mult2 = _MULTIPLIERS.get(lang, {}).get(m2.group(1).lower())
                        if mult2 and mult2 >= 1e6:
                            scaled |= {_norm(v * 1e3 * mult2) for v in vals}
                    vals = vals | scaled
                    unit = word
        out.append(Quantity(s, e, text[s:e], frozenset(_norm(v) if isinstance(v, float) else v for v in vals), kind, unit))
        taken.append((s, e))

    # Number words ("dos", "three", "vingt-cinq"), lower case or sentence-initial capital.
    for m in re.finditer(r"[^\W\d_]+(?:-[^\W\d_]+)*", text[start:end]):
        s, e = start + m.start(), start + m.end()
        word = m.group()
        if not free(s, e):
            continue
        if word[0].isupper() and not word[1:].islower():
            continue
        if word[0].isupper():
            # Capitalised: only at a sentence start ("Catorce escuelas..."), not a name ("Otto").
            j = s - 1
            while j >= 0 and text[j] in " \u00a0\"'“«¿¡(":
                j -= 1
            if j >= 0 and text[j] not in ".!?:\n":
                continue
            if re.match(r"\s+[A-ZÀ-Þ][a-zà-ÿ]", text[e:e + 3]):
                continue  # "Otto Ritter": a name
        v = word_value(word, lang)
        if v is None or v < 2 and v != 0:
            continue
        if v == 0:
            continue
        vals = {float(v)}
        after = text[e:min(len(text), e + 25)]
        mm = re.match(r"\s([A-Za-zÀ-ÿ]+)", after)
        if mm:
            mult = _MULTIPLIERS.get(lang, {}).get(mm.group(1).lower())
            if mult and mm.group(1).lower() not in ("m", "k", "mi", "bi"):
                vals.add(_norm(v * mult))
        # "hundred" alone means 100; "two hundred" is read as two numbers, and that is fine
        # for agreement because the other side reads the same way or as 200.
        out.append(Quantity(s, e, word, frozenset(vals), "word"))
        taken.append((s, e))

    out.sort(key=lambda q: q.start)
    return _combine_hundreds(out, text)


def _combine_hundreds(qs: list[Quantity], text: str) -> list[Quantity]:
    """ "two hundred" -> one quantity worth 2, 100 and 200 (either side may write it either way)."""
    out: list[Quantity] = []
    i = 0
    while i < len(qs):
        q = qs[i]
        if (
            i + 1 < len(qs)
            and q.kind == "word"
            and qs[i + 1].kind == "word"
            and qs[i + 1].values & {100.0, 1000.0}
            and text[q.end:qs[i + 1].start].strip() == ""
        ):
            nxt = qs[i + 1]
            mult = max(v for v in nxt.values if isinstance(v, float))
            vals = set(q.values) | set(nxt.values) | {_norm(v * mult) for v in q.values if isinstance(v, float)}
            out.append(Quantity(q.start, nxt.end, text[q.start:nxt.end], frozenset(vals), "word"))
            i += 2
            continue
        out.append(q)
        i += 1
    return out


def match(src: Sequence[Quantity], tgt: Sequence[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """Pair quantities that agree; returns (unmatched source, unmatched target).

    Exact text matches pair first, then any agreeing readings, each at most once.
    """
    used_s: set[int] = set()
    used_t: set[int] = set()
    for ti, t in enumerate(tgt):
        for si, s in enumerate(src):
            if si not in used_s and s.text == t.text:
                used_s.add(si)
                used_t.add(ti)
                break
    for ti, t in enumerate(tgt):
        if ti in used_t:
            continue
        for si, s in enumerate(src):
            if si not in used_s and s.agrees(t):
                used_s.add(si)
                used_t.add(ti)
                break
    # A value may legitimately appear twice on one side ("20% ... 20%"): an
    # unmatched target quantity that agrees with an already used source one is fine.
    rest_t = [t for ti, t in enumerate(tgt) if ti not in used_t and not any(s.agrees(t) for s in src)]
    rest_s = [s for si, s in enumerate(src) if si not in used_s and not any(s.agrees(t) for t in tgt)]
    return rest_s, rest_t


def values_of(qs: Iterable[Quantity]) -> set:
    out: set = set()
    for q in qs:
        out |= q.values
    return out


def fmt(q: Quantity) -> str:
    return q.text
