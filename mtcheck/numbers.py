"""Locale-aware extraction of numbers, amounts, percentages, dates and times.

Each number found in a text becomes a :class:`Quantity` carrying every value
it can plausibly stand for: ``"1.000"`` is 1,000 in Spanish or German but may be
1.0 in English, so both readings are kept; ``"13 millones"`` is 13,000,000 and
also 13 (a translation may say "13 million"); ``"15.30 horas"`` is the time
15:30, which matches "3:30 p.m."; ``"0500"`` may be the military time 05:00.
Two quantities agree when their value sets meet, or when they measure the same
thing in different systems and the conversion is close ("150 feet" and "45
metros", "27 miles" and "40 kilómetros"): translators convert and round.
Generous readings cost little recall (a changed number rarely lands on another
reading of the original) and buy a lot of precision.

Number words are read in en, es, fr, de, it and pt ("dos", "zwei", "three",
"vingt-cinq", "dreiundzwanzig", and the number that starts a compound such as
"two-storey"). Words meaning one ("un", "ein", "one") are skipped: they are
articles and pronouns far more often than counts. Ordinal words ("third",
"tercer", "dritte") are read too, but only to absorb a number on the other
side: an ordinal left without a match is never reported.

A whole document is read in one pass (a handful of regular-expression scans),
so callers extract once and share the quantities out by sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Hashable, Iterable, Iterator, Sequence

Value = Hashable  # a float, or ("t", minutes) for a time of day


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    values: frozenset
    kind: str = "number"  # number | percent | time | date | word | ordinal
    unit: str = ""
    # What it measures, when a unit follows: (dimension, system, values in the dimension's base unit).
    measure: tuple | None = None

    @property
    def is_word(self) -> bool:
        return self.kind in ("word", "ordinal")

    @property
    def primary(self) -> Value:
        """A representative value (for messages and tests)."""
        nums = sorted(v for v in self.values if isinstance(v, float))
        times = [v for v in self.values if isinstance(v, tuple)]
        if self.kind == "time" and times:
            return times[0]
        return nums[-1] if nums else next(iter(self.values))

    def agrees(self, other: "Quantity") -> bool:
        if not self.values.isdisjoint(other.values):
            return True
        a, b = self.measure, other.measure
        return a is not None and b is not None and _converts(a, b)


def _converts(a: tuple, b: tuple) -> bool:
    """Whether two measures of one dimension in different systems are a rounded conversion."""
    if a[0] != b[0] or a[1] == b[1]:
        return False
    for x in a[2]:
        for y in b[2]:
            if a[0] == "temp":
                if abs(x - y) <= max(1.5, 0.1 * abs(x)):
                    return True
            elif x > 0 and y > 0 and abs(x - y) <= 0.15 * max(x, y):
                return True
    return False


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


def reads_words(lang: str) -> bool:
    """Whether number words of ``lang`` are read (else only digits are)."""
    return lang in _UNITS


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
        return _hyphen_value(w, lang)
    return None


@lru_cache(maxsize=None)
def _raw_units(lang: str) -> dict[str, float]:
    """Every unit word 1-19 of ``lang``, ambiguous ones included (for compounds: "quatre-vingt-neuf")."""
    out = {w: float(i) for i, w in enumerate(_UNITS.get(lang, "").split())}
    out.update({"one": 1.0, "un": 1.0})
    return out


def _hyphen_value(w: str, lang: str) -> float | None:
    """ "twenty-five" -> 25, "vingt-et-un" -> 21, "soixante-dix-sept" -> 77."""
    parts = w.split("-")
    if lang == "fr" and parts[-1] == "et":
        return None
    parts = [p for p in parts if p != "et"]
    tens = _TENS.get(lang, {})
    units = _raw_units(lang)
    for k in range(len(parts) - 1, 0, -1):
        head, tail = "-".join(parts[:k]), "-".join(parts[k:])
        a = tens.get(head)
        if a is None and head in ("twenty", "vingt"):
            a = 20
        if a is None or a % 10:
            continue
        b = units.get(tail)
        if b is None and lang == "fr":
            b = {"dix-sept": 17.0, "dix-huit": 18.0, "dix-neuf": 19.0}.get(tail)
        if b is not None and 0 < b < 20:
            return float(a + b)
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
    r"|(?P<m4>[0-5]\d)\s?(?:GMT|UTC|horas|hours|hrs|h\b))"
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


# -- units of measurement -----------------------------------------------------------

# unit word (lower case) -> (dimension, system, factor to the dimension's base unit)
_UNIT_TABLE: dict[str, tuple[str, str, float]] = {}


def _units(dim: str, system: str, factor: float, words: str) -> None:
    for w in words.split():
        _UNIT_TABLE[w] = (dim, system, factor)


_units("length", "imperial", 1609.344, "mile miles milla millas mille miles meile meilen miglio miglia milha milhas")
_units("length", "imperial", 0.9144, "yard yards yd yds yarda yardas")
_units("length", "imperial", 0.3048, "foot feet ft pie pies pieds fuß fuss piedi pés")
_units("length", "imperial", 0.0254, "inch inches pulgada pulgadas pouce pouces zoll pollici polegada polegadas")
_units("length", "metric", 1000.0, "km kms kilometre kilometres kilometer kilometers kilómetro kilómetros kilometro "
       "kilometros kilomètre kilomètres chilometro chilometri quilómetro quilómetros quilômetro quilômetros")
_units("length", "metric", 1.0, "m metre metres meter meters metro metros mètre mètres metri")
_units("length", "metric", 0.01, "cm centimetre centimetres centimeter centimeters centímetro centímetros "
       "centimètre centimètres zentimeter centimetri")
_units("length", "metric", 0.001, "mm millimetre millimetres millimeter millimeters milímetro milímetros "
       "millimètre millimètres millimeter millimetri")
_units("mass", "imperial", 0.45359237, "pound pounds lb lbs libra libras livre livres pfund libbre")
_units("mass", "imperial", 0.028349523, "ounce ounces oz onza onzas unze unzen oncia once onça onças")
_units("mass", "metric", 1.0, "kg kgs kilo kilos kilogram kilograms kilogramme kilogrammes kilogramo kilogramos "
       "kilogramm chilo chili chilogrammo chilogrammi quilo quilos quilograma quilogramas")
_units("mass", "metric", 0.001, "g gr gram grams gramme grammes gramo gramos gramm grammo grammi grama gramas")
_units("volume", "imperial", 3.785411784, "gallon gallons galón galones gallone gallonen galão galões")
_units("volume", "metric", 1.0, "litre litres liter liters litro litros litri")
_units("area", "imperial", 4046.8564224, "acre acres")
_units("area", "metric", 10000.0, "hectare hectares hectárea hectáreas ha hektar ettaro ettari")
_units("speed", "imperial", 1.609344, "mph")
_units("speed", "metric", 1.0, "km/h kph kmh")
_ATTACHED_ONLY = frozenset({"in", "mi", "l", "ha"})  # "6in", "5l": with a space they are words
_units("length", "imperial", 0.0254, "in")
_units("length", "imperial", 1609.344, "mi")
_units("volume", "metric", 1.0, "l")
_DEGREE_WORDS = frozenset({"degree", "degrees", "grado", "grados", "degré", "degrés", "grad", "gradi", "graus"})
_UNIT_RE = re.compile(r"([\s\u00a0]?)(?:de\s+|of\s+)?(°\s?[CF](?![\w])|º\s?[CF](?![\w])|[^\W\d_]+(?:/h)?)")
_TEMP_WORD_RE = re.compile(r"\s+(fahrenheit|celsius|centígrados?|centigrade)\b", re.I)


def _measure(after: str, vals: Iterable[float]) -> tuple | None:
    """What a number measures, from the words after it: ("length", "imperial", (45.72,))."""
    m = _UNIT_RE.match(after)
    if not m:
        return None
    word = m.group(2)
    low = word.lower().replace(" ", "")
    if low[:1] in "°º":
        system, unit = ("imperial", "f") if low.endswith("f") else ("metric", "c")
    elif low in _DEGREE_WORDS or low in ("fahrenheit", "celsius", "centígrados", "centigrados"):
        t = _TEMP_WORD_RE.match(after, m.end()) if low in _DEGREE_WORDS else None
        name = (t.group(1) if t else low).lower()
        if name.startswith("f"):
            system, unit = "imperial", "f"
        elif name.startswith("c"):
            system, unit = "metric", "c"
        else:
            return None
    else:
        spec = _UNIT_TABLE.get(low)
        if spec is None or (low in _ATTACHED_ONLY and m.group(1)):
            return None
        if "de " in m.group(0) or "of " in m.group(0):
            if spec[2] < 1 and spec[1] == "metric":
                return None
        dim, system, factor = spec
        return dim, system, tuple(v * factor for v in vals if isinstance(v, float))
    conv = tuple(((v - 32) * 5 / 9 if unit == "f" else v) for v in vals if isinstance(v, float))
    return "temp", system, conv


# -- ordinal and number words -----------------------------------------------------------

_ORDINALS = {
    "en": {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
           "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
           "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
           "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "hundredth": 100,
           "twice": 2, "double": 2, "triple": 3, "treble": 3, "quadruple": 4, "half": 0.5},
    "es": {"primer": 1, "primero": 1, "primera": 1, "primeros": 1, "primeras": 1, "segundo": 2, "segunda": 2,
           "segundos": 2, "segundas": 2, "tercer": 3, "tercero": 3, "tercera": 3, "terceros": 3, "terceras": 3,
           "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6, "séptimo": 7,
           "séptima": 7, "octavo": 8, "octava": 8, "noveno": 9, "novena": 9, "décimo": 10, "décima": 10,
           "undécimo": 11, "duodécimo": 12, "vigésimo": 20, "vigésima": 20, "doble": 2, "triple": 3,
           "cuádruple": 4, "mitad": 0.5, "medio": 0.5, "media": 0.5},
    "fr": {"premier": 1, "première": 1, "premiers": 1, "premières": 1, "deuxième": 2, "second": 2,
           "seconde": 2, "troisième": 3, "quatrième": 4, "cinquième": 5, "sixième": 6, "septième": 7,
           "huitième": 8, "neuvième": 9, "dixième": 10, "onzième": 11, "douzième": 12, "vingtième": 20,
           "double": 2, "triple": 3, "moitié": 0.5, "demi": 0.5, "demie": 0.5},
    "it": {"primo": 1, "prima": 1, "primi": 1, "prime": 1, "secondo": 2, "seconda": 2, "terzo": 3, "terza": 3,
           "quarto": 4, "quarta": 4, "quinto": 5, "quinta": 5, "sesto": 6, "sesta": 6, "settimo": 7,
           "ottavo": 8, "nono": 9, "decimo": 10, "ventesimo": 20, "doppio": 2, "triplo": 3, "metà": 0.5,
           "mezzo": 0.5, "mezza": 0.5},
    "pt": {"primeiro": 1, "primeira": 1, "segundo": 2, "segunda": 2, "terceiro": 3, "terceira": 3, "quarto": 4,
           "quarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sétimo": 7, "oitavo": 8, "nono": 9,
           "décimo": 10, "dobro": 2, "triplo": 3, "metade": 0.5, "meio": 0.5, "meia": 0.5},
}
_DE_ORDINAL_RE = re.compile(r"^(erst|zweit|dritt|viert|fünft|sechst|siebt|acht|neunt|zehnt|elft|zwölft|zwanzigst)"
                            r"(?:e|er|en|es|em)$")
_DE_ORDINAL = {"erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "sechst": 6, "siebt": 7, "acht": 8,
               "neunt": 9, "zehnt": 10, "elft": 11, "zwölft": 12, "zwanzigst": 20}
_DE_ORDINAL_EXTRA = {"doppelt": 2, "doppelte": 2, "doppelten": 2, "dreifach": 3, "dreifache": 3, "hälfte": 0.5}


def ordinal_value(word: str, lang: str) -> float | None:
    """ "third" -> 3.0, "tercera" -> 3.0, "dritten" -> 3.0, "twice" -> 2.0; else None."""
    w = word.lower()
    if lang == "de":
        m = _DE_ORDINAL_RE.match(w)
        if m:
            return float(_DE_ORDINAL[m.group(1)])
        v = _DE_ORDINAL_EXTRA.get(w)
        return float(v) if v is not None else None
    v = _ORDINALS.get(lang, {}).get(w)
    return float(v) if v is not None else None


_TOKEN_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@lru_cache(maxsize=None)
def _word_parts(lang: str) -> frozenset[str]:
    """Every letter run (lower case) that may be a number or ordinal word of ``lang``, or part of one."""
    words = set(_word_table(lang)) | set(_raw_units(lang)) | set(_TENS.get(lang, {}))
    words |= set(_ORDINALS.get(lang, {}))
    if lang == "de":
        words |= set(_DE_ORDINAL_EXTRA)
        for u in ("ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"):
            for t in ("zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"):
                words.add(u + "und" + t)
        for stem in _DE_ORDINAL:
            for suf in ("e", "er", "en", "es", "em"):
                words.add(stem + suf)
    elif lang == "es":
        words |= set(_ES_VEINTI)
    elif lang == "it":
        words |= {t + u for t in _IT_TENS for u in _IT_UNITS}
    return frozenset(p for w in words for p in w.split("-") if p)


# -- extraction -------------------------------------------------------------------------

_DIGIT_RE = re.compile(r"\d")
_NINE_ELEVEN_RE = re.compile(r"(?<![\d/])(?:9/11|11-S|11/9)(?![\d/])")
_DAY_MONTH_RE = re.compile(r"(?<![\d.,])(0?[1-9]|[12]\d|3[01])\.(0?[1-9]|1[0-2])\.(?:(\d{4}|\d{2})(?![\d]))?")
_WHOLE_HOUR_RE = re.compile(
    r"(?<![\d.,:])([01]?\d|2[0-4])\s?(Uhr|horas|h(?![\w.])|heures|(?:a\.\s?m\.|p\.\s?m\.|am|pm|AM|PM)(?![\w]))")
_PERCENT_RE = re.compile(r"\s?" + _PERCENT_WORDS, re.IGNORECASE)
_AFTER_WORD_RE = re.compile(r"[\s\u00a0]?([A-Za-zÀ-ÿ]+)\.?")
_NEXT_WORD_RE = re.compile(r"\s([A-Za-zÀ-ÿ]+)")
_CJK_MULT = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "千": 1e3, "百": 1e2}
_NAME_AFTER_RE = re.compile(r"\s+[A-ZÀ-Þ][a-zà-ÿ]")
_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")


class _Taken:
    """Character spans already read, for a text window."""

    __slots__ = ("base", "occ")

    def __init__(self, start: int, end: int):
        self.base = start
        self.occ = bytearray(max(0, end - start))

    def free(self, s: int, e: int) -> bool:
        return self.occ.find(1, s - self.base, e - self.base) < 0

    def take(self, s: int, e: int) -> None:
        self.occ[s - self.base:e - self.base] = b"\x01" * (e - s)


_DIGIT_RUN_RE = re.compile(r"\d+")


def _at(pattern: re.Pattern, text: str, cands: Sequence[int], start: int, end: int,
        back: int = 0) -> Iterator[re.Match]:
    """Like ``pattern.finditer`` over the text, for a pattern whose matches start at a digit run
    (or ``back`` characters before one): tries only those places."""
    last = -1
    for p in cands:
        for q in ((p - back, p) if back else (p,)):
            if q < last or q < start:
                continue
            m = pattern.match(text, q, end)
            if m:
                last = m.end()
                yield m
                break


def extract(text: str, lang: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Quantities in ``text[start:end]``, offsets relative to ``text``."""
    if end is None:
        end = len(text)
    out: list[Quantity] = []
    taken = _Taken(start, end)
    cands = [m.start() for m in _DIGIT_RUN_RE.finditer(text, start, end)]
    if cands:
        _extract_digits(text, lang, start, end, out, taken, cands)
    _extract_words(text, lang, start, end, out, taken)
    if not out:
        return out
    out.sort(key=lambda q: q.start)
    return _combine_hundreds(out, text)


def _extract_digits(text: str, lang: str, start: int, end: int, out: list, taken: _Taken,  # noqa: C901
                    cands: list[int]) -> None:
    # "9/11": the date of the 2001 attacks, in any language.
    for m in _at(_NINE_ELEVEN_RE, text, cands, start, end):
        s, e = m.start(), m.end()
        out.append(Quantity(s, e, m.group(), frozenset({9.0, 11.0, 2001.0}), "number"))
        taken.take(s, e)

    # Day and month: "12.12.", "18.01.2021", "16.3." (German, Spanish, Italian...).
    if lang != "en":
        for m in _at(_DAY_MONTH_RE, text, cands, start, end):
            s, e = m.start(), m.end()
            if not taken.free(s, e):
                continue
            d, mo = int(m.group(1)), int(m.group(2))
            vals = {float(d), float(mo), _norm(d + mo / (100 if len(m.group(2)) == 2 else 10))}
            if m.group(3):
                y = int(m.group(3))
                vals.add(float(y if y > 99 else 2000 + y))
            out.append(Quantity(s, e, m.group(), frozenset(vals), "date"))
            taken.take(s, e)
    # Whole hours: "19 Uhr", "15h", "7 p.m.", "10 PM".
    for m in _at(_WHOLE_HOUR_RE, text, cands, start, end):
        s, e = m.start(), m.end()
        if not taken.free(s, e):
            continue
        h = int(m.group(1))
        suf = m.group(2).lower().replace(" ", "").replace(".", "")
        vals = {("t", (h * 60) % 720), float(h)}
        if suf == "pm" and h < 12:
            vals.add(float(h + 12))
        out.append(Quantity(s, e, m.group(), frozenset(vals), "time"))
        taken.take(s, e)

    # Times: "15.30 horas", "3:40 a.m.", "12 h 00", "1200 GMT".
    for m in _at(_TIME_RE, text, cands, start, end):
        if not taken.free(m.start(), m.end()):
            continue
        h = int(m.group("h"))
        mins = m.group("m") or m.group("m2") or m.group("m3") or m.group("m4")
        if m.group("m4") is not None and len(m.group("h")) != 2:
            continue
        suf = (m.group("suf") or "").lower().replace(" ", "")
        if m.group("m2") is not None and h > 24:
            continue
        if mins is None and "h" not in m.group(0):
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
        taken.take(m.start(), m.end())

    for m in _at(_DECADE_RE, text, cands, start, end, 1):
        if not taken.free(m.start(), m.end()):
            continue
        n = int(m.group("n"))
        vals = {float(n), float(n % 100)}
        if n < 100:
            vals.update({1900.0 + n, 2000.0 + n})
        out.append(Quantity(m.start(), m.end(), m.group(0), frozenset(vals), "number"))
        taken.take(m.start(), m.end())

    mults = _MULTIPLIERS.get(lang, {})
    for m in _at(_NUM_RE, text, cands, start, end):
        s, e = m.start(), m.end()
        if not taken.free(s, e):
            continue
        raw = m.group("num")
        sep = m.group("sep")
        spaced: set[float] = set()
        if sep == " " and lang != "fr":
            # A plain space groups thousands in French; elsewhere it may ("10 000 Leute") or may
            # not ("in 2010 300 people", where the regular expression does not even match: four
            # digits cannot open a group): keep the grouped reading beside the first group's.
            spaced = _digit_values(raw, "fr")
            raw = raw[:raw.index(" ")]
        vals = _digit_values(raw, lang)
        if not vals:
            continue
        vals |= spaced
        if len(raw) == 2 and text[max(0, s - 5):s][:4].isdigit() and text[s - 1:s] in "/-–":
            vals.add(float(int(text[s - 5:s - 3] + raw)))  # "2017/18": the season 2017-2018
        if lang == "en" and len(raw) <= 5 and "," in raw and re.fullmatch(r"\d{1,2},\d{1,2}", raw):
            # "3,5" in English copy is a list ("3,5 and 7") or a foreign decimal: keep both readings.
            vals |= {float(x) for x in raw.split(",")}
        if len(raw) == 2 and raw.isdigit() and int(raw) >= 30:
            vals.add(1900.0 + int(raw))  # "69" for 1969, as in "the class of 69"
        if len(raw) == 4 and raw.isdigit() and raw[0] == "0" and int(raw[2:]) < 60:
            vals.add(("t", (int(raw[:2]) * 60 + int(raw[2:])) % 720))  # "0500": military time
        after = text[e:min(len(text), e + 30)]
        kind, unit, measure = "number", "", None
        pm = _PERCENT_RE.match(after)
        if pm:
            kind, unit = "percent", "%"
            taken.take(e, e + pm.end())  # "por ciento", "pour cent": not a hundred of their own
        elif after[:1] in _CJK_MULT:
            vals = vals | {_norm(v * _CJK_MULT[after[0]]) for v in vals if isinstance(v, float)}
            unit = after[0]
        else:
            mm = _AFTER_WORD_RE.match(after)
            mult = None
            if mm:
                word = mm.group(1).lower()
                mult = mults.get(word)
                if word in ("m", "k", "mn", "mi", "bi") and mm.group(0)[:1] in (" ", "\u00a0"):
                    mult = None  # "5 m" is five metres
                if mult:
                    scaled = {_norm(v * mult) for v in vals if isinstance(v, float)}
                    # "mil millones" = a thousand millions
                    m2 = _NEXT_WORD_RE.match(after, mm.end())
                    if m2 and mult == 1e3:
                        mult2 = mults.get(m2.group(1).lower())
                        if mult2 and mult2 >= 1e6:
                            scaled |= {_norm(v * 1e3 * mult2) for v in vals if isinstance(v, float)}
                    vals = vals | scaled
                    unit = word
            if not mult:
                measure = _measure(after, vals)
        out.append(Quantity(s, e, text[s:e], frozenset(_norm(v) if isinstance(v, float) else v for v in vals),
                            kind, unit, measure))
        taken.take(s, e)


def _candidates(text: str, lang: str, start: int, end: int) -> list[int]:
    """Starts of the letter runs in ``text[start:end]`` that are number-word parts of ``lang``."""
    parts = _word_parts(lang)
    if not parts:
        return []
    window = text[start:end]
    low = window.lower()
    found = parts.intersection(_LETTER_RUN_RE.findall(low))
    if not found:
        return []
    if len(low) != len(window):  # lower-casing changed the length (rare letters): scan the tokens
        return [start + m.start() for m in _LETTER_RUN_RE.finditer(window) if m.group().lower() in found]
    out = []
    for w in found:
        n = len(w)
        i = low.find(w)
        while i >= 0:
            if (i == 0 or not low[i - 1].isalpha()) and (i + n == len(low) or not low[i + n].isalpha()):
                out.append(start + i)
            i = low.find(w, i + n)
    out.sort()
    return out


def _extract_words(text: str, lang: str, start: int, end: int, out: list, taken: _Taken) -> None:
    """Number words ("dos", "three", "vingt-cinq"), lower case or sentence-initial capital."""
    done: set[int] = set()
    mults = _MULTIPLIERS.get(lang, {})
    for s in _candidates(text, lang, start, end):
        # The whole hyphenated token the candidate belongs to ("two-storey", "vingt-cinq").
        while s - 2 >= start and text[s - 1] == "-" and text[s - 2].isalpha():
            s -= 2
            while s - 1 >= start and text[s - 1].isalpha():
                s -= 1
        if s in done:
            continue
        done.add(s)
        tm = _TOKEN_RE.match(text, s, end)
        if tm is None:
            continue
        e = tm.end()
        word = tm.group()
        if not taken.free(s, e):
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
            if _NAME_AFTER_RE.match(text, e, e + 3):
                continue  # "Otto Ritter": a name
        kind = "word"
        v = word_value(word, lang)
        if v is None:
            v = ordinal_value(word, lang)
            if v is not None:
                kind = "ordinal"
        if v is None and "-" in word:
            # "two-storey", "three-day", "cinco-estrellas": the number that opens a compound.
            head = word.split("-", 1)[0]
            v = word_value(head, lang)
            if v is None:
                v = ordinal_value(head, lang)
                kind = "ordinal" if v is not None else kind
        if v is None or v == 0 or (v < 2 and kind == "word"):
            continue
        vals = {float(v)}
        after = text[e:min(len(text), e + 30)]
        mm = _NEXT_WORD_RE.match(after)
        if mm:
            mult = mults.get(mm.group(1).lower())
            if mult and mm.group(1).lower() not in ("m", "k", "mi", "bi"):
                vals.add(_norm(v * mult))
        measure = _measure(after, vals) if kind == "word" else None
        # "hundred" alone means 100; "two hundred" is read as two numbers, and that is fine
        # for agreement because the other side reads the same way or as 200.
        out.append(Quantity(s, e, word, frozenset(vals), kind, "", measure))
        taken.take(s, e)


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
    if not src or not tgt:
        return [q for q in src if q.kind != "ordinal"], [q for q in tgt if q.kind != "ordinal"]
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
    # Ordinals and multiplicatives ("third", "twice") only absorb: never reported unmatched.
    rest_t = [t for ti, t in enumerate(tgt)
              if ti not in used_t and t.kind != "ordinal" and not any(s.agrees(t) for s in src)]
    rest_s = [s for si, s in enumerate(src)
              if si not in used_s and s.kind != "ordinal" and not any(s.agrees(t) for t in tgt)]
    return rest_s, rest_t


def values_of(qs: Iterable[Quantity]) -> set:
    out: set = set()
    for q in qs:
        out |= q.values
    return out


def fmt(q: Quantity) -> str:
    return q.text
