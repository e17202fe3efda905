"""Source-aware checks (S): what only a comparison with the source story shows.

They run only when the source is given (``--source FILE``, ``source=`` in the
API, or a bilingual XLIFF/TSV file). The source and target sentences are
aligned first (:mod:`mtcheck.align`); every check then compares an aligned
group of source sentences with its group of target sentences.

Precision comes first: numbers are compared by every plausible reading
(:mod:`mtcheck.numbers`), names only when a word looks like a name in both
languages, and omissions only when no merge explains them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Iterable, Iterator, Sequence

from .. import numbers as nums
from .. import resources
from ..align import Link, Unit, align, expected_ratio, fold, make_unit
from ..context import Context
from ..document import HEADLINE, Document
from ..finding import Finding
from ..rules import Rule, flag, ok, unsafe

_DE_EN = dict(target_lang="en", source_lang="de")
_ES_EN = dict(target_lang="en", source_lang="es")
_FR_EN = dict(target_lang="en", source_lang="fr")
_IT_EN = dict(target_lang="en", source_lang="it")


def _src(text: str) -> str:
    return "source: " + text


NUMBER_MISMATCH = Rule(
    "S001", "number-mismatch", "error",
    "A number, amount, percentage, date or time differs from the source.",
    description="""
Numbers in the aligned source sentence are read with the source language's
conventions ("1.000" is a thousand in Spanish and German, "1,5" is one and a
half, "15.30 horas" is a time, "dos" is 2) and compared by value with the
numbers of the translation. A number in the translation that matches none of
the source's, while a source number is left without a match, is flagged.
""",
    examples=(
        flag("More than 24,000 deaths have been recorded in Spain.", **_DE_EN,
             note=_src("In Spanien wurden mehr als 28.000 Tote registriert.")),
        flag("The three opposition groups accused the premier.", **_DE_EN,
             note=_src("Die zwei Oppositionsfraktionen warfen dem Ministerpräsidenten vor.")),
        flag("The meeting began at 4:30 p.m. on Monday.", **_ES_EN,
             note=_src("La reunión comenzó a las 15.30 horas del lunes.")),
        ok("More than 272,000 infections were recorded.", **_DE_EN,
           note=_src("Es wurden mehr als 272.000 Infektionen registriert.")),
        ok("Two people died and 1.5 million were left without power at 3:30 p.m.", **_ES_EN,
           note=_src("Dos personas murieron y 1,5 millones se quedaron sin luz a las 15.30 horas.")),
        ok("In the 1970s, 30% of the 7,400 workers left.", **_FR_EN,
           note=_src("Dans les années 70, 30 % des 7 400 ouvriers sont partis.")),
    ),
    tags=("source",),
)
NUMBER_UNMATCHED = Rule(
    "S002", "number-unmatched", "info",
    "A number appears on one side only: in the translation but not the source, or the reverse.",
    description="""
A number of the translation with no counterpart in the aligned source sentence
(and no source number left over to explain it), or a source number the
translation leaves out. Often a legitimate rewording ("octavos de final" is
"the last 16"), so this is information, not a warning.
""",
    examples=(
        flag("The company hired 40 new staff in Madrid.", **_ES_EN,
             note=_src("La empresa contrató nuevos empleados en Madrid.")),
        flag("The company hired new staff in Madrid.", **_ES_EN,
             note=_src("La empresa contrató a 40 nuevos empleados en Madrid.")),
        ok("The company hired 40 new staff in Madrid.", **_ES_EN,
           note=_src("La empresa contrató a 40 nuevos empleados en Madrid.")),
        ok("The company hired forty new staff in Madrid.", **_ES_EN,
           note=_src("La empresa contrató a 40 nuevos empleados en Madrid.")),
    ),
    tags=("source",),
)
NAME_MISSING = Rule(
    "S003", "name-missing", "warning",
    "A name in the source sentence is missing from its translation.",
    description="""
A capitalised word that looks like a name in both languages (a person, a
place, an acronym) appears in the source sentence, and neither it nor a close
spelling (accents folded, "Tokio" for "Tokyo", a known exonym) appears in the
aligned translation. The finding covers the translated sentence.
""",
    examples=(
        flag("Late night presenter welcomed Thunberg to his show on Tuesday.", **_DE_EN,
             note=_src("Latenight-Moderator Stephen Colbert begrüßte Thunberg am Dienstag in seiner Sendung.")),
        flag("Despite small solo successes, he did not make a comeback until 1996.", **_DE_EN,
             note=_src("Trotz kleiner Solo-Erfolge gelang Green kein Comeback bis 1996.")),
        ok("Late night presenter Stephen Colbert welcomed Thunberg to his show on Tuesday.", **_DE_EN,
           note=_src("Latenight-Moderator Stephen Colbert begrüßte Thunberg am Dienstag in seiner Sendung.")),
        ok("Born in Tokyo, Olivia de Havilland moved to California as a toddler.", **_DE_EN,
           note=_src("In Tokio geboren, zog Olivia de Havilland als Kleinkind nach Kalifornien.")),
    ),
    tags=("source",),
)
NAME_UNSUPPORTED = Rule(
    "S004", "name-unsupported", "warning",
    "A name in the translation has no counterpart in the source sentence.",
    description="""
A word of the translation that looks like a name (it is written the same way
in the source language, or is an acronym) does not appear in the aligned
source sentence, nor anywhere in the source story: the translation replaced
or invented a name.
""",
    examples=(
        flag("Late night presenter John Oliver welcomed Thunberg to his show.", **_DE_EN,
             note=_src("Latenight-Moderator Stephen Colbert begrüßte Thunberg in seiner Sendung.")),
        flag("The man works as a volunteer for the diocese of Shaoshan.", **_DE_EN,
             note=_src("Der Mann arbeitet als Freiwilliger für die Diözese Nantes.")),
        ok("Late night presenter Stephen Colbert welcomed Thunberg to his show.", **_DE_EN,
           note=_src("Latenight-Moderator Stephen Colbert begrüßte Thunberg in seiner Sendung.")),
        ok("A Munich resident pushed a man to the ground on Tuesday in July.", **_DE_EN,
           note=_src("Ein Münchner schubste am Dienstag im Juli einen Mann zu Boden.")),
    ),
    tags=("source",),
)
OMISSION = Rule(
    "S005", "omitted-sentence", "warning",
    "A source sentence has no translation.",
    description="""
The sentence aligner found a source sentence that no target sentence
translates, and no merge with a neighbouring sentence explains it (the lengths
do not fit, or its numbers and names appear nowhere nearby in the
translation). The finding covers the translated sentence after which the
missing one belongs.
""",
    examples=(
        flag("The storm hit the coast on Monday.\n\nSchools will reopen on Thursday, officials said.", **_ES_EN,
             note=_src("La tormenta azotó la costa el lunes. Más de 12.000 hogares siguen sin electricidad en "
                       "la provincia de Valencia, según la compañía Iberdrola. Las escuelas reabrirán el jueves, "
                       "dijeron las autoridades.")),
        flag("The minister arrived in Paris on Friday.\n\nShe will return to Madrid on Sunday.", **_ES_EN,
             note=_src("La ministra llegó a París el viernes. Allí se reunirá con su homólogo francés, "
                       "Jean-Noël Barrot, y con 25 empresarios españoles en la embajada. Regresará a Madrid el "
                       "domingo.")),
        ok("The storm hit the coast on Monday. More than 12,000 homes are still without power in the "
           "province of Valencia, according to Iberdrola. Schools will reopen on Thursday, officials said.",
           **_ES_EN,
           note=_src("La tormenta azotó la costa el lunes. Más de 12.000 hogares siguen sin electricidad en "
                     "la provincia de Valencia, según la compañía Iberdrola. Las escuelas reabrirán el jueves, "
                     "dijeron las autoridades.")),
        ok("The storm hit the coast on Monday, and more than 12,000 homes are still without power in "
           "Valencia, according to Iberdrola.", **_ES_EN,
           note=_src("La tormenta azotó la costa el lunes. Más de 12.000 hogares siguen sin electricidad en "
                     "Valencia, según Iberdrola.")),
    ),
    tags=("source",),
)
ADDITION = Rule(
    "S006", "added-sentence", "warning",
    "A sentence of the translation has no source sentence.",
    description="""
The mirror of S005: the aligner found a target sentence that translates no
source sentence, and no merge or split explains it.
""",
    examples=(
        flag("The storm hit the coast on Monday. More than 40,000 homes in Alicante were evacuated by the "
             "army on Sunday night, the Interior Ministry said. Schools will reopen on Thursday.", **_ES_EN,
             note=_src("La tormenta azotó la costa el lunes. Las escuelas reabrirán el jueves.")),
        flag("The minister arrived in Paris on Friday. According to Le Monde, 25 French companies signed "
             "contracts with Airbus worth 300 million euros. She will return on Sunday.", **_ES_EN,
             note=_src("La ministra llegó a París el viernes. Regresará el domingo.")),
        ok("The storm hit the coast on Monday. Schools will reopen on Thursday.", **_ES_EN,
           note=_src("La tormenta azotó la costa el lunes. Las escuelas reabrirán el jueves.")),
        ok("The storm hit the coast on Monday. It was the worst in years. Schools will reopen on Thursday.",
           **_ES_EN,
           note=_src("La tormenta azotó la costa el lunes, la peor en años. Las escuelas reabrirán el jueves.")),
    ),
    tags=("source",),
)
UNTRANSLATED_SEGMENT = Rule(
    "S007", "untranslated-segment", "error",
    "A target segment is identical to its source: it was not translated.",
    description="""
The target sentence repeats its aligned source sentence word for word (or
nearly so), and the text is in the source language. Names, figures and quotes
in a third language are not flagged.
""",
    examples=(
        flag("El presidente viajará mañana a Bruselas para reunirse con sus socios europeos.", **_ES_EN,
             note=_src("El presidente viajará mañana a Bruselas para reunirse con sus socios europeos.")),
        flag("Die Regierung will die Steuern im nächsten Jahr senken, sagte der Minister.", **_DE_EN,
             note=_src("Die Regierung will die Steuern im nächsten Jahr senken, sagte der Minister.")),
        ok("The president will travel to Brussels tomorrow to meet his European partners.", **_ES_EN,
           note=_src("El presidente viajará mañana a Bruselas para reunirse con sus socios europeos.")),
        ok("Real Madrid 2, Atlético de Madrid 1.", **_ES_EN,
           note=_src("Real Madrid 2, Atlético de Madrid 1.")),
    ),
    tags=("source",),
)
QUOTES_BRACKETS = Rule(
    "S008", "quote-bracket-count", "info",
    "The translation has a different number of quotations or brackets than its source.",
    description="""
Counts quoted passages (any quotation-mark style) and bracketed asides in the
aligned source and target sentences. A lost bracket often means a lost
aside; a lost quotation, a statement no longer attributed as a quote.
""",
    examples=(
        flag("The minister called the plan a disaster.", **_ES_EN,
             note=_src("El ministro calificó el plan de «desastre».")),
        flag("The Popular Party won the election in Galicia.", **_ES_EN,
             note=_src("El Partido Popular (PP) ganó las elecciones en Galicia.")),
        ok("The minister called the plan a \"disaster\".", **_ES_EN,
           note=_src("El ministro calificó el plan de «desastre».")),
        ok("The Popular Party (PP) won the election in Galicia.", **_ES_EN,
           note=_src("El Partido Popular (PP) ganó las elecciones en Galicia.")),
    ),
    tags=("source",),
)
LENGTH_RATIO = Rule(
    "S009", "length-ratio", "info",
    "The translation is far shorter or longer than its source sentence.",
    description="""
The length of each aligned target sentence is compared with its source,
relative to the story's own ratio. Under half or over twice the expected
length usually means something was dropped or added.
""",
    examples=(
        flag("The government approved the budget.", **_ES_EN,
             note=_src("El Gobierno aprobó ayer los presupuestos generales del Estado para el próximo año, que "
                       "incluyen una subida de las pensiones y una rebaja fiscal para las rentas más bajas.")),
        flag("The council met. It approved the plan, which includes new parks, a tram line to the airport, "
             "three schools, a hospital wing, two libraries and the renovation of the old market hall in the "
             "historic centre of the city.", **_ES_EN,
             note=_src("El consejo se reunió. Aprobó el plan urbanístico.")),
        ok("The government yesterday approved next year's general state budget, which includes a rise in "
           "pensions and a tax cut for the lowest incomes.", **_ES_EN,
           note=_src("El Gobierno aprobó ayer los presupuestos generales del Estado para el próximo año, que "
                     "incluyen una subida de las pensiones y una rebaja fiscal para las rentas más bajas.")),
        ok("The council met. It approved the plan.", **_ES_EN,
           note=_src("El consejo se reunió. Aprobó el plan.")),
    ),
    tags=("source",),
)
FALSE_FRIEND = Rule(
    "S010", "bitext-false-friend", "warning",
    "The source word was rendered by its false friend.",
    description="""
The source sentence has a word whose look-alike in English means something
else ("actualmente" is "currently", not "actually"; "eventuell" is
"possibly"), and the aligned translation uses the look-alike. Table:
``corpora/bitext/false_friends.tsv``.
""",
    fix="sometimes",
    examples=(
        flag("The company actually employs 300 people.", **_ES_EN,
             note=_src("La empresa emplea actualmente a 300 personas.")),
        flag("The meeting will eventually be postponed.", **_DE_EN,
             note=_src("Die Sitzung wird eventuell verschoben.")),
        ok("The company currently employs 300 people.", **_ES_EN,
           note=_src("La empresa emplea actualmente a 300 personas.")),
        ok("The company actually employs 300 people.", **_ES_EN,
           note=_src("En realidad, la empresa emplea a 300 personas.")),
    ),
    tags=("source",),
)

RULES: list[Rule] = [
    NUMBER_MISMATCH, NUMBER_UNMATCHED, NAME_MISSING, NAME_UNSUPPORTED, OMISSION, ADDITION,
    UNTRANSLATED_SEGMENT, QUOTES_BRACKETS, LENGTH_RATIO, FALSE_FRIEND,
]

# -- word statistics (optional) -------------------------------------------------


_FREQ_LANGS = ("en", "es", "fr", "de", "it")


@lru_cache(maxsize=1)
def _frequency_source():
    """wordfreq when installed, else mtcheck's shipped table (mtcheck.lexicon), else None."""
    try:
        import wordfreq  # type: ignore

        return ("wordfreq", wordfreq)
    except Exception:
        pass
    try:
        from .. import lexicon  # type: ignore

        lexicon.languages()
        return ("lexicon", lexicon)
    except Exception:
        return None


@lru_cache(maxsize=200_000)
def zipfs(word: str) -> dict[str, float] | None:
    """Zipf frequency of ``word`` in en, es, fr, de, it; None without any table.

    The shipped table keeps only words more frequent in one language than in
    another, so a word it lacks is either rare or written alike everywhere (a
    name): both read as zeros, and :func:`is_name_like` treats them alike.
    """
    src = _frequency_source()
    if src is None:
        return None
    kind, mod = src
    try:
        if kind == "lexicon":
            z = mod.zipfs(word)
            return {lang: z.get(lang, 0.0) for lang in _FREQ_LANGS}
        return {lang: mod.zipf_frequency(word, lang) for lang in _FREQ_LANGS}
    except Exception:
        return None


@lru_cache(maxsize=1)
def _gazetteer():
    try:
        from .. import gazetteer  # type: ignore

        return gazetteer
    except Exception:
        return None


@lru_cache(maxsize=1)
def _place_index() -> dict[str, frozenset[str]]:
    """Folded place name (any language) -> folded English names of that place.

    From the gazetteer's place tables (``corpora/places``) when they are there;
    empty otherwise, and the checks fall back to spelling similarity.
    """
    gaz = _gazetteer()
    rows = getattr(gaz, "place_rows", None) if gaz is not None else None
    if rows is None:
        return {}
    index: dict[str, set[str]] = {}
    try:
        for _kind, row in rows():
            en = [fold(n) for n, _f in row.get("en", ())]
            if not en:
                continue
            for names in row.values():
                for n, f in names:
                    # "-" and "?" mark names that are also ordinary words or other places.
                    if n and not f:
                        index.setdefault(fold(n), set()).update(en)
    except Exception:
        return {}
    return {k: frozenset(v) for k, v in index.items()}


# English adjectives and demonyms that name a country without its name.
_DEMONYMS = {
    "spanish": "spain", "spaniard": "spain", "spaniards": "spain", "french": "france", "dutch": "netherlands",
    "swiss": "switzerland", "british": "united kingdom", "briton": "united kingdom", "britons": "united kingdom",
    "polish": "poland", "pole": "poland", "poles": "poland", "chinese": "china", "israeli": "israel",
    "israelis": "israel", "danish": "denmark", "dane": "denmark", "swedish": "sweden", "swede": "sweden",
    "finnish": "finland", "norwegian": "norway", "turkish": "turkey", "turk": "turkey", "turks": "turkey",
    "greek": "greece", "greeks": "greece", "iraqi": "iraq", "iraqis": "iraq", "pakistani": "pakistan",
    "american": "united states", "americans": "united states", "us": "united states", "u.s": "united states",
    "usa": "united states", "filipino": "philippines", "portuguese": "portugal", "irish": "ireland",
    "welsh": "wales", "scottish": "scotland", "english": "england", "czech": "czech republic",
    "vietnamese": "vietnam", "lebanese": "lebanon", "thai": "thailand", "belgian": "belgium",
    "peruvian": "peru", "afghan": "afghanistan", "afghans": "afghanistan", "kuwaiti": "kuwait",
    "saudi": "saudi arabia", "emirati": "united arab emirates", "uae": "united arab emirates",
    "uk": "united kingdom", "britain": "united kingdom", "holland": "netherlands", "bavarian": "bavaria",
    "muscovite": "moscow", "parisian": "paris", "roman": "rome", "romans": "rome", "venetian": "venice",
    "neapolitan": "naples", "milanese": "milan", "viennese": "vienna", "berliner": "berlin",
}


@lru_cache(maxsize=1)
def _place_prefixes() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for k in _place_index():
        if len(k) >= 5 and " " not in k:
            out.setdefault(k[:5], []).append(k)
    return {p: tuple(v) for p, v in out.items()}


def _gaz_keys(word: str, lang: str) -> set[str]:
    """English keys of a place named ``word`` in any language (the gazetteer's exonyms)."""
    return set(_place_index().get(fold(word), ()))


# -- names ------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W\d_](?:[\w]|['’](?=[^\W\d_])|-(?=\w))*")
_ACRONYM_RE = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ0-9&]{1,5}s?$")
# Acronyms that change with the language; each row is one organisation.
_ACRONYM_GROUPS = [
    {"EU", "UE", "EG"}, {"UN", "ONU", "UNO", "VN"}, {"NATO", "OTAN"}, {"US", "USA", "EEUU", "EE", "UU", "EUA", "EU"},
    {"WHO", "OMS", "WHO"}, {"IMF", "FMI", "IWF"}, {"ECB", "BCE", "EZB"}, {"GDP", "PIB", "BIP"},
    {"UK", "RU", "GB"}, {"AIDS", "SIDA", "AIDS"}, {"HIV", "VIH"}, {"DNA", "ADN", "DNS"},
    {"NGO", "ONG", "NGO", "NRO"}, {"CEO", "PDG", "CEO"}, {"FBI"}, {"UNHCR", "ACNUR", "HCR"},
    {"OECD", "OCDE"}, {"WTO", "OMC"}, {"ICC", "CPI", "IStGH"}, {"UAE", "EAU", "VAE"}, {"GMT", "UTC"},
    {"PP"}, {"PSOE"}, {"CDU"}, {"CSU"}, {"SPD"}, {"AfD"}, {"FARC"}, {"ETA"}, {"UEFA"}, {"FIFA"},
    {"COVID", "COVID-19"}, {"USSR", "URSS", "UdSSR"}, {"UNESCO"}, {"UNICEF"}, {"OPEC", "OPEP"},
    {"EFE"}, {"AFP"}, {"AP"}, {"dpa", "DPA"}, {"ANSA"},
]
_ACRONYM_KEY: dict[str, str] = {}
for _i, _g in enumerate(_ACRONYM_GROUPS):
    for _a in _g:
        _ACRONYM_KEY.setdefault(_a.upper(), f"#acr{_i}")

# Capitalised words that are never names in these languages (titles, days, months...):
# wordfreq already separates most; these are the common ones it cannot.
_NOT_NAMES = frozenset(
    "i mr mrs ms dr prof sr sra don doña herr frau monsieur madame mme m signor signora sig "
    "ok tv gmt am pm st san santa santo saint sankt sainte ste covid coronavirus corona internet web".split()
)
# Acronyms a translation may introduce for an adjective ("estadounidense" -> "US").
_TARGET_FREE_ACRONYMS = frozenset({"US", "USA", "UK", "EU", "UN", "GMT", "UTC", "TV", "CEO", "AI", "GDP", "NGO"})
_DE_NOUN_SUFFIX_RE = re.compile(
    r"(ung|ungen|heit|heiten|keit|keiten|schaft|schaften|tion|tionen|ismus|ität|täten|ment|mente|ling|linge|"
    r"nis|nisse|tum|tümer|erei|ereien|chen|lein|ierung|ierungen|schaft|werk|haus|amt|stelle|gesetz)$"
)


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    text: str
    key: str  # folded form used for matching


def _strip_possessive(w: str) -> str:
    for suf in ("'s", "’s", "'", "’"):
        if w.endswith(suf) and len(w) > len(suf) + 1:
            return w[: -len(suf)]
    return w


def _skeleton(w: str) -> str:
    """First letter and consonants: "mohammeds" -> "mhmd", "losanna" -> "lsn" (a loose match)."""
    if not w:
        return w
    rest = re.sub(r"[aeiouh]", "", w[1:])
    sk = w[0] + rest
    return sk[:-1] if sk.endswith("s") and len(sk) > 3 else sk


def _phonetic(w: str) -> str:
    w = fold(w)
    for a, b in (("tsch", "ch"), ("sch", "sh"), ("ph", "f"), ("th", "t"), ("k", "c"), ("y", "i"), ("z", "s"),
                 ("w", "v"), ("j", "i"), ("q", "c"), ("x", "cs")):
        w = w.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", w)


def is_name_like(word: str, lang: str, other: str, *, initial: bool = False) -> bool:
    """Whether a capitalised ``word`` of a ``lang`` text looks like a name, not a common word.

    A name is written alike across languages, so word statistics know it about
    as well in English, Spanish, French, German and Italian; a common noun, a
    title or an adjective is frequent in its own language only ("Ministry",
    "Kind", "Black"). Acronyms are names.
    """
    if not word or not word[0].isupper():
        return False
    base = _strip_possessive(word)
    if _ACRONYM_RE.match(base) and sum(ch.isupper() for ch in base) >= 2:
        return True
    if fold(base) in _NOT_NAMES or len(base) < 2:
        return False
    if not base[1:].islower() and not re.search(r"[a-zà-ÿ]{2}", base):
        return False
    if fold(base) in _place_index():
        return True
    z = zipfs(base)
    if z is None:
        # No word statistics: in German every noun is capitalised, so only acronyms count.
        return lang != "de" and not initial
    zs = z.get(lang, 0.0)
    others = [v for k, v in z.items() if k != lang]
    if max(z.values()) < 1.5:
        # Unknown to every list: a rare name, or (in German) a rare compound noun.
        if initial:
            return False
        if lang == "de" and ( len(base) > 12 or _DE_NOUN_SUFFIX_RE.search(base.lower())
                             or _german_compound(base)):
            return False
        return True
    # A sentence-initial word must look even more like a name ("So", "Die" are words).
    margin = 0.5 if initial else 1.0
    return min(others) >= zs - margin and min(others) >= 1.5


def _german_word(w: str, strict: bool = True) -> bool:
    z = zipfs(w)
    if not z:
        return False
    return z["de"] >= 2.5 and (not strict or z["de"] >= z["en"] + 0.5)


def _german_compound(word: str) -> bool:
    """ "Zwischenwahl", "Autorenteams", "Imbisses": made of (or inflecting) common German words."""
    w = word.lower()
    for suf in ("es", "s", "en", "n", "e", "er", "ern"):
        if w.endswith(suf) and len(w) - len(suf) >= 4 and _german_word(w[: -len(suf)]):
            return True
    for i in range(3, len(w) - 2):
        left, right = w[:i], w[i:]
        left_ok = _german_word(left, False) or (
            left.endswith(("s", "n")) and len(left) > 4 and _german_word(left[:-1], False))
        if not left_ok:
            continue
        for r in (right, right[:-1], right[:-2]):
            if (len(r) >= 4 and _german_word(r, False)) or r in _DE_SHORT_HEADS:
                return True
    return False


def find_names(text: str, start: int, end: int, lang: str, other: str) -> list[Name]:
    """Name-like capitalised words in ``text[start:end]`` (one sentence or a group)."""
    out: list[Name] = []
    first = True
    for m in _WORD_RE.finditer(text, start, end):
        w = m.group()
        initial = first or _sentence_initial(text, m.start(), start)
        first = False
        parts = [w]
        offs = [m.start()]
        if "-" in w:
            parts, offs = [], []
            pos = m.start()
            for p in w.split("-"):
                parts.append(p)
                offs.append(pos)
                pos += len(p) + 1
        for p, o in zip(parts, offs):
            el = _ELISION_RE.match(p)
            if el:
                o += el.end()
                p = p[el.end():]
            if not p or not p[0].isupper():
                continue
            if lang == "de" and _DE_STREET_RE.search(p) and not initial:
                out.append(Name(o, o + len(p), p, fold(p)))
                continue
            if is_name_like(p, lang, other, initial=initial and o == m.start()):
                base = _strip_possessive(p)
                out.append(Name(o, o + len(p), p, fold(base)))
    return out


def _strong_name(n: Name, group: Sequence[Name], text: str, lang: str) -> bool:
    """Whether a name is distinctive enough for a warning (else the finding is information).

    Acronyms are often expanded or translated ("WM" -> "World Cup"), and words
    that are common in their own language ("Auto", "Park") may be ordinary
    words after all; a name of two words ("Stephen Colbert"), a rare name and a
    name as common abroad as at home are distinctive.
    """
    base = _strip_possessive(n.text)
    z = zipfs(base)
    if base.isupper() and len(base) >= 3:
        # An acronym: German ones are usually spelt out ("WM", "PKV"); an international one
        # ("NASA", "ESPN") or an unknown one outside German copy is kept by any translation.
        if not z:
            return False
        zs = z.get(lang, 0.0)
        if max(z.values()) < 1.5:
            return lang not in ("de", "en")  # in a translation, an unknown acronym may be the translator's
        others = [v for k, v in z.items() if k != lang]
        return min(others) >= zs - 1.0
    if base.isupper() or not base[1:].islower() or len(base) < 3:
        return False
    for m in group:
        if m is n or not m.text[:1].isupper() or m.text.isupper():
            continue
        gap = text[n.end:m.start] if m.start >= n.end else text[m.end:n.start]
        if gap == " ":
            return True  # two words of one name: "Stephen Colbert"
    if not z:
        return False
    zs = z.get(lang, 0.0)
    if max(z.values()) < 1.5:
        # Rare everywhere: a name, except in German, where it is as often a rare noun.
        return lang != "de"
    places = _place_index().get(fold(base))
    if places:
        # As prominent in this language as the place is in English ("Spanien", "Londres"),
        # not an ordinary word that also names a town ("Löwen", lions, for Leuven).
        z_en = max((zipfs(p) or {}).get("en", 0.0) for p in places)
        return zs <= z_en + 0.5
    if zs < (3.3 if lang == "de" else 3.6):
        return True
    # A common name that is as common abroad ("Bush", "Murray", "Microsoft").
    others = [v for k, v in z.items() if k != lang]
    if lang == "de":
        # German nouns that English shares ("Luke", "Premier", "Mail") look the same: no.
        return False
    return min(others) >= zs - 0.5


_ELISION_RE = re.compile(r"^(?:[lLdDjJnNsScC]|[Qq]u|[Dd]ell|[Aa]ll|[Nn]ell|[Ss]ull|[Dd]all|[Dd]egl|[Uu]n)['’](?=\w)")
_DE_STREET_RE = re.compile(r"[a-zäöü](?:straße|strasse|gasse|allee)$")
_DE_SHORT_HEADS = ("hof", "tal", "see", "amt", "rat", "bad", "tag", "bau", "weg", "dorf")


def _sentence_initial(text: str, pos: int, floor: int) -> bool:
    j = pos - 1
    while j >= floor and text[j] in " \t\n\"'“”‘’«»„¿¡([—–-":
        j -= 1
    return j < floor or text[j] in ".!?:;\n"


def _variants(key: str) -> set[str]:
    """Inflected forms a name may take: German genitive -s, Latin-script endings."""
    out = {key}
    for suf in ("s", "es", "n", "en", "ens", "er", "ern", "a", "o", "e"):
        if key.endswith(suf) and len(key) - len(suf) >= 4:
            out.add(key[: -len(suf)])
    return out


class TokenIndex:
    """The folded words of a span of text, for name look-ups."""

    def __init__(self, text: str, spans: Iterable[tuple[int, int]], lang: str):
        self.words: list[str] = []
        self.upper: set[str] = set()
        self.seq: list[str] = []  # folded words in order, for multi-word place names
        for s, e in spans:
            for m in _WORD_RE.finditer(text, s, e):
                w = m.group()
                self.seq.append(fold(_strip_possessive(w)))
                for p in re.split(r"[-'’]", w):
                    if p:
                        self.words.append(fold(p))
                        if p.isupper():
                            self.upper.add(p)
                self.words.append(fold(_strip_possessive(w)))
        self.set = set(self.words)
        self.phon = {_phonetic(w) for w in self.set if len(w) >= 3}
        self.skel = {_skeleton(w) for w in self.phon}
        self.lang = lang
        self._gaz: set[str] | None = None

    def gaz(self) -> set[str]:
        """English keys of every place this text names (one to three words)."""
        if self._gaz is None:
            self._gaz = set()
            index = _place_index()
            if index:
                ws = self.seq
                for i in range(len(ws)):
                    for n in (1, 2, 3):
                        if i + n <= len(ws):
                            hit = index.get(" ".join(ws[i:i + n]))
                            if hit:
                                self._gaz |= hit
                self._gaz |= {w for w in self.set if w in index}
                for w in self.set:
                    dem = _DEMONYMS.get(w)
                    if dem:
                        self._gaz.add(dem)
                        self._gaz |= index.get(dem, frozenset())
                # Adjectives and demonyms: "österreichischen" -> Österreich, "bayerische" -> Bayern,
                # "Italian" -> Italy.
                prefixes = _place_prefixes()
                for w in self.set:
                    if len(w) < 5:
                        continue
                    for k in prefixes.get(w[:5], ()):
                        if w.startswith(k[:max(5, len(k) - 3)]) or k.startswith(w[:max(5, len(w) - 3)]):
                            self._gaz |= index[k]
        return self._gaz

    def has(self, name: Name, name_lang: str) -> bool:
        key = name.key
        if key in self.set:
            return True
        base = _strip_possessive(name.text)
        if base.isupper() and len(base) <= 6:
            acr = _ACRONYM_KEY.get(base.upper().rstrip("S") if base.endswith("s") and base[:-1].isupper() else base.upper())
            if acr:
                for u in self.upper:
                    if _ACRONYM_KEY.get(u.upper()) == acr:
                        return True
            f = fold(base)
            pf = _phonetic(f)
            # "EKG"/"ECG", "UE"/"EU": the same letters, or the same sounds.
            return f in self.set or any(
                len(u) == len(base) and (sorted(u.lower()) == sorted(f) or _phonetic(u) == pf) for u in self.upper
            )
        vs = _variants(key)
        if vs & self.set:
            return True
        for w in self.set:
            if len(w) >= 4 and len(key) >= 4:
                if w.startswith(key) or key.startswith(w) and len(w) >= max(4, len(key) - 3):
                    return True
                n = 0
                for a, b in zip(w, key):
                    if a != b:
                        break
                    n += 1
                if n >= 5 or (n >= 4 and n >= 0.6 * min(len(w), len(key))):
                    return True
        pk = _phonetic(key)
        if pk in self.phon:
            return True
        sk = _skeleton(pk)
        if len(sk) >= 3 and sk in self.skel:
            return True
        for w in self.phon:
            if w[:2] == pk[:2] and abs(len(w) - len(pk)) <= 4 and SequenceMatcher(None, w, pk).ratio() >= 0.7:
                return True
        gk = _gaz_keys(name.text, name_lang)
        if gk and gk & self.gaz():
            return True
        return False


# -- alignment over documents ---------------------------------------------------


@dataclass
class Group:
    """An aligned group: source sentence spans and target sentence spans."""

    src: list[tuple[int, int]]
    tgt: list[tuple[int, int]]
    link: Link | None = None

    @property
    def tgt_span(self) -> tuple[int, int]:
        return self.tgt[0][0], self.tgt[-1][1]

    @property
    def src_span(self) -> tuple[int, int]:
        return self.src[0][0], self.src[-1][1]


def _sentence_spans(doc: Document, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    hi = len(doc.text) if hi is None else hi
    out = []
    for s in doc.sentences:
        if s.start >= lo and s.end <= hi:
            out.append((s.start, s.end))
    # A dateline is outside the sentences; keep it out of the alignment too.
    return out


def _unit_pairs(doc: Document, src: Document) -> list[tuple[tuple[int, int], tuple[int, int]]] | None:
    pairs = doc.meta.get("unit_pairs") if doc.meta else None
    if not pairs or src is not doc.meta.get("source_doc"):
        return None
    return pairs


def aligned_groups(doc: Document, src: Document, src_lang: str, tgt_lang: str) -> list[Group]:
    """Align the sentences of ``src`` and ``doc`` (per bilingual unit when the file has units)."""
    regions = _unit_pairs(doc, src) or [((0, len(src.text)), (0, len(doc.text)))]
    groups: list[Group] = []
    for (ss, se), (ts, te) in regions:
        s_spans = _sentence_spans(src, ss, se)
        t_spans = _sentence_spans(doc, ts, te)
        s_units = [make_unit(src.text[a:b], src_lang) for a, b in s_spans]
        t_units = [make_unit(doc.text[a:b], tgt_lang) for a, b in t_spans]
        for link in align(s_units, t_units, prior_ratio=expected_ratio(src_lang, tgt_lang)):
            groups.append(Group([s_spans[i] for i in link.src], [t_spans[j] for j in link.tgt], link))
    return groups


def _state(doc: Document, ctx: Context):
    key = "source_alignment"
    cached = ctx.services.get(key)
    if cached is not None and cached[0] is doc:
        return cached[1]
    src = ctx.source_doc
    src_lang = ctx.source_lang or "es"
    groups = aligned_groups(doc, src, src_lang, ctx.target_lang)
    ctx.services[key] = (doc, groups)
    return groups


# -- the checks -------------------------------------------------------------------


def _snippet(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quantities(text: str, spans: Sequence[tuple[int, int]], lang: str) -> list[nums.Quantity]:
    out: list[nums.Quantity] = []
    for s, e in spans:
        out.extend(nums.extract(text, lang, s, e))
    return out


def _check_numbers(doc: Document, src: Document, groups: list[Group], gi: int, src_lang: str,
                   tgt_lang: str) -> Iterator[Finding]:
    g = groups[gi]
    sq = _quantities(src.text, g.src, src_lang)
    tq = _quantities(doc.text, g.tgt, tgt_lang)
    if not sq and not tq:
        return
    miss_s, miss_t = nums.match(sq, tq)
    if not miss_s and not miss_t:
        return
    # Tolerate misalignment: a value found in a neighbouring group is not a mismatch.
    near_s: list[nums.Quantity] = []
    near_t: list[nums.Quantity] = []
    for k in (gi - 1, gi + 1):
        if 0 <= k < len(groups):
            near_s += _quantities(src.text, groups[k].src, src_lang)
            near_t += _quantities(doc.text, groups[k].tgt, tgt_lang)
    miss_t = [t for t in miss_t if not any(t.agrees(s) for s in near_s)]
    miss_s = [s for s in miss_s if not any(s.agrees(t) for t in near_t)]
    src_digits = [s for s in miss_s if not s.is_word]
    for t in miss_t:
        if miss_s:
            others = ", ".join(f'"{s.text}"' for s in miss_s[:3])
            yield NUMBER_MISMATCH.finding(
                t.start, t.end,
                f'"{t.text}" does not match the source, which has {others} here.',
                [unsafe(miss_s[0].text)] if len(miss_s) == 1 and not miss_s[0].is_word and t.kind == miss_s[0].kind
                and t.kind == "number" else (),
                source_text=_snippet(src.text[g.src_span[0]:g.src_span[1]]) if g.src else "",
            )
        else:
            yield NUMBER_UNMATCHED.finding(
                t.start, t.end, f'"{t.text}" has no counterpart in the source sentence.'
            )
    if not miss_t and src_digits and g.tgt:
        s0, e0 = g.tgt_span
        listed = ", ".join(f'"{s.text}"' for s in src_digits[:3])
        yield NUMBER_UNMATCHED.finding(s0, e0, f"The source has {listed}, which this translation leaves out.")


def _check_names(doc: Document, src: Document, groups: list[Group], gi: int, src_lang: str, tgt_lang: str,
                 src_all: TokenIndex, tgt_all: TokenIndex) -> Iterator[Finding]:
    g = groups[gi]
    if not g.src or not g.tgt:
        return
    lo, hi = max(0, gi - 1), min(len(groups), gi + 2)
    tgt_near = TokenIndex(doc.text, [sp for k in range(lo, hi) for sp in groups[k].tgt], tgt_lang)
    src_near = TokenIndex(src.text, [sp for k in range(lo, hi) for sp in groups[k].src], src_lang)
    # Source names the translation lacks.
    missing: list[Name] = []
    seen: set[str] = set()
    for s, e in g.src:
        for n in find_names(src.text, s, e, src_lang, tgt_lang):
            if n.key in seen:
                continue
            seen.add(n.key)
            if not tgt_near.has(n, src_lang):
                missing.append(n)
    strong_names: list[Name] = []
    if missing:
        strong_names = [n for n in missing if not tgt_all.has(n, src_lang) and _strong_name(n, missing, src.text, src_lang)]
        s0, e0 = g.tgt_span
        names = ", ".join(f'"{n.text}"' for n in missing[:3])
        severity = None if strong_names else "info"
        yield NAME_MISSING.finding(
            s0, e0,
            f"The source names {names}, but this translation does not.",
            severity=severity,
        )
    # Target names the source lacks.
    flagged: list[Name] = []
    for s, e in g.tgt:
        headline = any(b.kind == HEADLINE and b.start <= s < b.end for b in doc.blocks)
        for n in find_names(doc.text, s, e, tgt_lang, src_lang):
            if src_near.has(n, tgt_lang) or src_all.has(n, tgt_lang):
                continue
            if headline and not _ACRONYM_RE.match(_strip_possessive(n.text)):
                continue
            if _strip_possessive(n.text).upper() in _TARGET_FREE_ACRONYMS:
                continue
            flagged.append(n)
    flagged = [n for n in flagged if not _in_translated_title(doc.text, n, tgt_lang, src_lang)]
    # Merge neighbouring flagged words ("John Oliver") into one finding.
    merged: list[list[Name]] = []
    for n in flagged:
        if merged and re.fullmatch(r"[\s\-]*(?:de|del|da|di|van|von|der|la|le|y|bin|al|el)?[\s\-]*",
                                    doc.text[merged[-1][-1].end:n.start]):
            merged[-1].append(n)
        else:
            merged.append([n])
    for grp in merged:
        s0, e0 = grp[0].start, grp[-1].end
        words = [n for n in grp if not _strip_possessive(n.text).isupper()]
        if len(words) >= 2:
            strong = True
        else:
            # One word: a warning needs a source name left without a match (a substitution),
            # or a name no word list knows.
            z = zipfs(_strip_possessive(grp[0].text)) or {}
            rare = bool(z) and max(z.values()) < 1.5 and not _strip_possessive(grp[0].text).isupper()
            if rare and (_frequency_source() or ("",))[0] == "lexicon":
                rare = False  # the shipped table cannot tell a rare word from a name written alike everywhere
            strong_missing = [n for n in strong_names if not _strip_possessive(n.text).isupper()]
            strong = _strong_name(grp[0], grp, doc.text, tgt_lang) and (bool(strong_missing) or rare)
        yield NAME_UNSUPPORTED.finding(
            s0, e0, f'"{doc.text[s0:e0]}" appears nowhere in the source sentence.',
            severity=None if strong else "info",
        )


_TITLE_LINK_RE = re.compile(r"\s+(?:of|the|for|and|on|de|del|la|le)\s+|\s+")
_CAP_WORD_RE = re.compile(r"[A-ZÀ-Þ][\w'’\-]*")


def _in_translated_title(text: str, name: Name, lang: str, other: str) -> bool:
    """Whether a name sits in a title-case phrase of common words joined by "of"
    ("the Hall of Three Windows", "Temple of the Sun"): a translated title, not a name."""
    pos = name.end
    words: list[str] = []
    for _ in range(4):  # to the right
        m = _TITLE_LINK_RE.match(text, pos)
        if not m:
            break
        w = _CAP_WORD_RE.match(text, m.end())
        if not w:
            break
        words.append(w.group())
        pos = w.end()
    pos = name.start
    for _ in range(4):  # to the left
        m = re.search(r"([A-ZÀ-Þ][\w'’\-]*)(\s+(?:of|the|for|and|on)\s+|\s+)$", text[max(0, pos - 60):pos])
        if not m:
            break
        words.append(m.group(1))
        pos = pos - len(m.group(0))
    if not words:
        return False
    joined = text[max(0, name.start - 60):name.end + 60]
    if not re.search(r"[A-ZÀ-Þ][\w'’\-]*\s+(?:of|for|on)\s+(?:the\s+)?[A-ZÀ-Þ]", joined):
        return False
    return any(not is_name_like(w, lang, other) for w in words)


_QUOTE_OPEN = "«„“‹‚"
_STRAIGHT = '"'


def _count_quotes(text: str) -> int:
    n = sum(text.count(c) for c in "«„‹")
    # “ opens in English and Spanish, closes in German („…“).
    if "„" not in text:
        n += text.count("“")
    n += text.count(_STRAIGHT) // 2
    return n


def _count_brackets(text: str) -> int:
    return text.count("(") + text.count("[")


def _check_marks(doc: Document, src: Document, g: Group) -> Iterator[Finding]:
    if not g.src or not g.tgt:
        return
    st = " ".join(src.text[a:b] for a, b in g.src)
    tt = " ".join(doc.text[a:b] for a, b in g.tgt)
    sq, tq = _count_quotes(st), _count_quotes(tt)
    sb, tb = _count_brackets(st), _count_brackets(tt)
    s0, e0 = g.tgt_span
    if sb != tb:
        yield QUOTES_BRACKETS.finding(
            s0, e0, f"The source sentence has {sb} bracketed aside{'s' if sb != 1 else ''}; the translation has {tb}."
        )
    elif sq != tq and abs(sq - tq) >= 1 and max(sq, tq) >= 1:
        yield QUOTES_BRACKETS.finding(
            s0, e0, f"The source sentence has {sq} quotation{'s' if sq != 1 else ''}; the translation has {tq}."
        )


_LETTERS_RE = re.compile(r"[^\W\d_]+")


def _norm_words(text: str) -> list[str]:
    return [fold(w) for w in _LETTERS_RE.findall(text)]


def _check_untranslated(doc: Document, src: Document, g: Group, src_lang: str, tgt_lang: str) -> Iterator[Finding]:
    if not g.src or not g.tgt or src_lang == tgt_lang:
        return
    for ts, te in g.tgt:
        tw = _norm_words(doc.text[ts:te])
        lower = [w for w, raw in zip(tw, _LETTERS_RE.findall(doc.text[ts:te])) if raw[:1].islower()]
        if len(lower) < 4:
            continue
        sw: list[str] = []
        for a, b in g.src:
            sw += _norm_words(src.text[a:b])
        sset = set(sw)
        shared = sum(1 for w in tw if w in sset)
        if shared / len(tw) < 0.85 or sum(1 for w in lower if w in sset) < 4:
            continue
        seg = doc.text[ts:te]
        if not _looks_like(seg, src_lang, tgt_lang):
            continue
        identical = " ".join(tw) == " ".join(sw)
        yield UNTRANSLATED_SEGMENT.finding(
            ts, te,
            "This sentence is identical to its source: it was not translated." if identical
            else "This sentence repeats its source almost word for word: it was not translated.",
        )


@lru_cache(maxsize=4096)
def _looks_like(text: str, src_lang: str, tgt_lang: str) -> bool:
    """Whether ``text`` reads as ``src_lang`` rather than ``tgt_lang``."""
    try:
        from ..language import probabilities

        probs = dict(probabilities(text, [src_lang, tgt_lang]))
    except Exception:
        return True
    return probs.get(src_lang, 0.0) > probs.get(tgt_lang, 0.0)


def _length(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _story_ratio(doc: Document, src: Document, groups: list[Group]) -> float:
    ratios = []
    for g in groups:
        if len(g.src) == 1 and len(g.tgt) == 1:
            ls = _length(src.text[g.src[0][0]:g.src[0][1]])
            lt = _length(doc.text[g.tgt[0][0]:g.tgt[0][1]])
            if ls >= 20:
                ratios.append(lt / ls)
    if len(ratios) >= 3:
        ratios.sort()
        return ratios[len(ratios) // 2]
    return 0.9


def _check_length(doc: Document, src: Document, g: Group, ratio: float) -> Iterator[Finding]:
    if not g.src or not g.tgt:
        return
    ls = sum(_length(src.text[a:b]) for a, b in g.src)
    lt = sum(_length(doc.text[a:b]) for a, b in g.tgt)
    if max(ls, lt / max(ratio, 0.1)) < 60:
        return
    r = lt / max(ls, 1) / ratio
    if r < 0.5 or r > 2.0:
        s0, e0 = g.tgt_span
        yield LENGTH_RATIO.finding(
            s0, e0,
            f"This translation is {'shorter' if r < 1 else 'longer'} than expected for its source "
            f"({lt} characters for {ls}).",
        )


@lru_cache(maxsize=None)
def _false_friends(src_lang: str) -> tuple[tuple[re.Pattern, re.Pattern, str], ...]:
    out = []
    for row in resources.tsv("bitext/false_friends.tsv"):
        if len(row) < 4 or row[0] != src_lang:
            continue
        try:
            out.append((re.compile(rf"(?<!\w)(?:{row[1]})(?!\w)"), re.compile(rf"(?<!\w)(?:{row[2]})(?!\w)", re.I),
                        row[3]))
        except re.error:
            continue
    return tuple(out)


def _check_false_friends(doc: Document, src: Document, g: Group, src_lang: str, tgt_lang: str) -> Iterator[Finding]:
    if not g.src or not g.tgt or tgt_lang != "en":
        return
    table = _false_friends(src_lang)
    if not table:
        return
    stext = fold(" ".join(src.text[a:b] for a, b in g.src))
    for trig, ff, sugg in table:
        if not trig.search(stext):
            continue
        for ts, te in g.tgt:
            for m in ff.finditer(doc.text, ts, te):
                yield FALSE_FRIEND.finding(
                    m.start(), m.end(),
                    f'"{m.group()}" renders a false friend of the source word; the usual translation is "{sugg}".',
                    [unsafe(s.strip()) for s in sugg.split("/")],
                )


def _merge_cost_ok(units_s: Sequence[Unit], units_t: Sequence[Unit], ratio: float) -> bool:
    """Whether these sentences could plausibly translate each other (as one bead)."""
    from ..align import _length_cost

    ls = sum(u.length for u in units_s)
    lt = sum(u.length for u in units_t)
    return _length_cost(ls, lt, ratio) < 3.0


def _check_omissions(doc: Document, src: Document, groups: list[Group], src_lang: str,
                     tgt_lang: str, ratio: float) -> Iterator[Finding]:
    tgt_all_spans = [sp for g in groups for sp in g.tgt]
    if not tgt_all_spans:
        return
    for gi, g in enumerate(groups):
        if g.src and not g.tgt:
            text = " ".join(src.text[a:b] for a, b in g.src)
            if len(_LETTERS_RE.findall(text)) < 6:
                continue
            prev = next((groups[k] for k in range(gi - 1, -1, -1) if groups[k].tgt), None)
            nxt = next((groups[k] for k in range(gi + 1, len(groups)) if groups[k].tgt), None)
            if _explained(src, doc, g.src, prev, nxt, src_lang, tgt_lang, ratio, side="src"):
                continue
            anchor = prev.tgt[-1] if prev else nxt.tgt[0]
            yield OMISSION.finding(
                anchor[0], anchor[1],
                f'The source sentence "{_snippet(text)}" has no translation '
                f"{'after' if prev else 'before'} this sentence.",
                source_text=text,
            )
        elif g.tgt and not g.src:
            text = " ".join(doc.text[a:b] for a, b in g.tgt)
            if len(_LETTERS_RE.findall(text)) < 6:
                continue
            prev = next((groups[k] for k in range(gi - 1, -1, -1) if groups[k].src), None)
            nxt = next((groups[k] for k in range(gi + 1, len(groups)) if groups[k].src), None)
            if prev is None and nxt is None:
                continue
            if _explained(doc, src, g.tgt, prev, nxt, tgt_lang, src_lang, 1 / ratio, side="tgt"):
                continue
            s0, e0 = g.tgt_span
            yield ADDITION.finding(s0, e0, "This sentence translates nothing in the source.")


def _explained(doc_a: Document, doc_b: Document, spans_a, prev: Group | None, nxt: Group | None,
               lang_a: str, lang_b: str, ratio: float, side: str) -> bool:
    """Whether a lone sentence (on side a) could belong to a neighbouring bead instead.

    It could when merging it into the previous or next group still gives a
    plausible length, and its anchors (numbers, names) are found in that
    group's other side, or it has no anchors to tell.
    """
    units_a = [make_unit(doc_a.text[s:e], lang_a) for s, e in spans_a]
    for nb in (prev, nxt):
        if nb is None:
            continue
        own = nb.src if side == "src" else nb.tgt
        other = nb.tgt if side == "src" else nb.src
        if not other:
            continue
        units_own = [make_unit(doc_a.text[s:e], lang_a) for s, e in own]
        units_other = [make_unit(doc_b.text[s:e], lang_b) for s, e in other]
        if _merge_cost_ok(units_own + units_a, units_other, ratio):
            # A merge fits by length; an omission needs the lone sentence's own anchors
            # to be missing from the other side.
            vals_other = set().union(*(u.numbers and set().union(*u.numbers) or set() for u in units_other))
            names_other = frozenset().union(*(u.names for u in units_other))
            a_nums = [v for u in units_a for v in u.numbers]
            a_names = frozenset().union(*(u.names for u in units_a))
            lost = sum(1 for v in a_nums if not v & vals_other) + len(a_names - names_other)
            if lost < 2:
                return True
    return False


def check(doc: Document, ctx: Context) -> Iterable[Finding]:
    src = ctx.source_doc
    if src is None or not src.text.strip() or not doc.text.strip():
        return []
    src_lang = ctx.source_lang or "es"
    tgt_lang = ctx.target_lang
    groups = _state(doc, ctx)
    if not groups:
        return []
    out: list[Finding] = []
    ratio = _story_ratio(doc, src, groups)
    src_all = TokenIndex(src.text, [(0, len(src.text))], src_lang)
    tgt_all = TokenIndex(doc.text, [(0, len(doc.text))], tgt_lang)
    for gi, g in enumerate(groups):
        if not g.src or not g.tgt:
            continue
        out.extend(_check_numbers(doc, src, groups, gi, src_lang, tgt_lang))
        if src_lang != tgt_lang:
            out.extend(_check_names(doc, src, groups, gi, src_lang, tgt_lang, src_all, tgt_all))
        out.extend(_check_untranslated(doc, src, g, src_lang, tgt_lang))
        out.extend(_check_marks(doc, src, g))
        out.extend(_check_length(doc, src, g, ratio))
        out.extend(_check_false_friends(doc, src, g, src_lang, tgt_lang))
    out.extend(_check_omissions(doc, src, groups, src_lang, tgt_lang, ratio))
    return out
