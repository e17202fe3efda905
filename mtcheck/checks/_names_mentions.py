"""Person-name mentions in a story, and whether two spellings name the same person.

A mention is a run of capitalised words (with particles such as bin, de, van,
al- inside), split at title and function words ("Foreign Minister Sergei
Lavrov" -> "Sergei Lavrov"), of one to four name words. Words are compared
slot by slot from the end (surname first), so "Lavrov" attaches to "Sergei
Lavrov" and "Hunter Biden" never matches "Joe Biden".

Everything here is per-token dictionary and string work; fuzzy comparison
(edit distance) only runs between the story's own mentions.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress, count

from ..document import HEADLINE, Document
from ..gazetteer import consonants, name_key, skeleton

# Lower-case words that may sit inside a name.
PARTICLES = frozenset({
    "bin", "ibn", "bint", "ben", "al", "el", "ad", "de", "del", "della", "delle", "dei", "di", "da", "do", "dos",
    "das", "du", "des", "van", "von", "der", "den", "ter", "ten", "la", "le", "zu", "abu",
})
_ARTICLE_PREFIX_RE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ul|ud|ad-d|abd)[-‐‑’'](?=\w)", re.IGNORECASE)
_SUFFIXES = frozenset({"Jr", "Sr"})
_ROMAN_RE = re.compile(r"^(?:X{0,2})(?:IX|IV|V?I{0,3})$")
_POSSESSIVE = ("'s", "’s")

# Capitalised words that are not names: titles, roles, demonyms, calendar words,
# function words that start sentences (English, Spanish, French, some German/Italian).
_STOP_TEXT = """
A An And As At After Again Against All Also Although Among An Another Any Are Around As At Because Before Being Between Both
But By Can Could Despite Did Do Does During Each Either Even Every Few For From Further Had Has Have He Her Here Hers Him
His How However I If In Instead Into Is It Its Just Last Later Least Less Let Like Many Meanwhile Might More Moreover Most
Much Must My Neither Never Nevertheless Next No Nor Not Now Of Off On Once One Only Or Other Otherwise Our Over Per
Perhaps Rather Several She Should Since So Some Still Such Than That The Their Them Then There Therefore These They This
Those Though Through Thus To Today Tomorrow Too Under Unlike Until Up Upon Us Very Was We Were What Whatever When Where
Whether Which While Who Whom Whose Why Will With Within Without Would Yesterday Yet You Your According Asked Speaking Said
Says Told Dear Hello Thanks Thank Yes Oh OK Ok Please Sources Source Officials Police Reuters Agency Photo Photos Credit
Read Watch See Listen Update Updated Breaking Exclusive Analysis Opinion Editorial Editor Editors Note Live Video File
Mr Mrs Ms Miss Dr Prof Professor Sir Dame Lord Lady Madam Madame Mme Mlle Monsieur Herr Frau Señor Señora Sr Sra Srta Don
Doña Dom Fr Rev Reverend Father Sister Brother Sheikh Sheik Shaikh Emir Prince Princess King Queen
Crown Emperor Empress Pope Cardinal Archbishop Bishop Patriarch Imam Ayatollah Rabbi Mullah Grand Chief Deputy Vice Acting
Interim Former Ex Late President Presidents Presidential Premier Prime Minister Ministers Ministry Chancellor Chancellors
Secretary Secretaries General Generals Gen Lieutenant Lt Col Colonel Major Maj Captain Capt Commander Admiral Adm Sergeant
Sgt Corporal Private Marshal Field Governor Gov Mayor Senator Sen Sens Representative Rep Reps Congressman Congresswoman
Speaker Leader Leaders Chairman Chairwoman Chair Chairperson Director Directors Head Heads CEO Founder Co-founder Coach
Manager Striker Goalkeeper Defender Midfielder Captain Judge Justice Justices Attorney Prosecutor Commissioner Commissioners
Ambassador Envoy Special Spokesman Spokeswoman Spokesperson Spokespeople Adviser Advisor Aide Minister Foreign Defence Defense
Finance Interior Home Economy Economic Trade Health Justice Labour Labor Education Energy Environment Transport Agriculture
Culture Treasury State Affairs Security National International Federal Central Regional Supreme High Constitutional
Opposition Party Union European Western Eastern Northern Southern Social Democratic Democrat Democrats Republican
Republicans Conservative Conservatives Liberal Liberals Labour Green Greens Socialist Socialists Communist Communists
Christian Islamic Muslim Jewish Catholic Orthodox Protestant Sunni Shiite Shia
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July August September
October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Christmas Easter Ramadan
American Americans African Afghan Albanian Algerian Arab Arabs Argentine Argentinian Armenian Asian Australian Austrian
Azerbaijani Bahraini Bangladeshi Belarusian Belgian Bolivian Bosnian Brazilian British Briton Britons Bulgarian Burmese
Cambodian Cameroonian Canadian Chilean Chinese Colombian Congolese Croatian Cuban Cypriot Czech Danish Dutch Ecuadorean
Ecuadorian Egyptian Emirati English Eritrean Estonian Ethiopian European Europeans Filipino Finnish French Georgian German
Germans Ghanaian Greek Guatemalan Haitian Honduran Hungarian Icelandic Indian Indonesian Iranian Iraqi Irish Israeli
Israelis Italian Ivorian Jamaican Japanese Jordanian Kazakh Kenyan Korean Kosovar Kurdish Kuwaiti Latvian Lebanese Libyan
Lithuanian Luxembourg Malaysian Malian Maltese Mexican Moldovan Mongolian Montenegrin Moroccan Nepalese Nicaraguan Nigerian
Nigerien Norwegian Pakistani Palestinian Palestinians Panamanian Paraguayan Persian Peruvian Polish Portuguese Qatari Romanian
Russian Russians Rwandan Saudi Scottish Senegalese Serbian Singaporean Slovak Slovenian Somali Spanish Sudanese Swedish
Swiss Syrian Taiwanese Tajik Tanzanian Thai Tunisian Turkish Turkmen Ugandan Ukrainian Ukrainians Uruguayan Uzbek
Venezuelan Vietnamese Welsh Yemeni Zambian Zimbabwean Western Eastern Soviet Nazi Kremlin Pentagon Vatican Elysee Elysée
El La Los Las Lo Un Una Unos Unas Y O Pero Para Por Según Segun Con Sin Sobre Tras Desde Hasta Hacia Entre En Ante Del Al
Este Esta Estos Estas Ese Esa Eso Aquel Su Sus Nuestro Cuando Donde Como Aunque Porque Si No Ya También Tambien Además
Ademas Sin Embargo Mientras Durante Antes Después Despues Luego Ayer Hoy Mañana Presidente Presidenta Ministro Ministra
Canciller Secretario Secretaria Portavoz Gobierno Rey Reina Papa Príncipe Princesa Jefe Jefa Director Directora
Alcalde Alcaldesa Gobernador Gobernadora Senador Senadora Diputado Diputada Juez Jueza Fiscal Embajador Embajadora
Vicepresidente Vicepresidenta Primer Primera Exterior Exteriores Defensa Economía Hacienda Interior General
Lunes Martes Miércoles Jueves Viernes Sábado Domingo Enero Febrero Marzo Abril Mayo Junio Julio Agosto Septiembre
Octubre Noviembre Diciembre Le Les Des Une Et Ou Mais Pour Par Selon Avec Sans Sur Après Apres Avant Depuis Dans Entre
Ce Cet Cette Ces Son Sa Ses Leur Leurs Quand Lorsque Comme Bien Alors Ainsi Aussi Pourtant Cependant Hier Aujourd'hui
Demain Président Présidente Ministre Chancelier Chancelière Secrétaire Porte-parole Gouvernement Roi Reine Pape Prince
Princesse Chef Maire Gouverneur Sénateur Député Juge Procureur Ambassadeur Premier Première Affaires Étrangères
Défense Économie Finances Intérieur Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche Janvier Février Mars Avril Mai
Juin Juillet Août Septembre Octobre Novembre Décembre Der Die Das Und Oder Aber Mit Bei Nach Von Vor Für Im Am
Il Lo Gli Per Con Secondo Ministro Presidente
"""
STOP_CAP = frozenset(_STOP_TEXT.split())
# Openers after which a capitalised word may just start a clause.
_OPENERS = set("“\"«‘'([¿¡:—–-")


class Mention:
    """One mention of a person (a plain class with slots, not a dataclass: a story makes
    one per capitalised word that is not a title, and a dataclass is dearer to define at start-up)."""

    __slots__ = ("start", "end", "words", "initial", "headline", "entry", "accepted", "entity", "slots",
                 "slot_starts", "short", "weak", "fuzzy")

    def __init__(self, start: int, end: int, words: tuple[str, ...], initial: bool, headline: bool,
                 slots: tuple[str, ...], slot_starts: tuple[int, ...]) -> None:
        self.start = start  # span of the name words (titles and possessive excluded)
        self.end = end
        self.words = words  # name words as written, particles kept
        self.initial = initial  # starts a sentence or a quotation
        self.headline = headline
        self.entry: object | None = None  # gazetteer/house entry, when known
        self.accepted = True  # the spelling is a right one for ``entry``
        self.entity = -1
        self.slots = slots  # name words without particles, hyphen parts split
        self.slot_starts = slot_starts  # offset of each slot word in the text
        self.short: list = []  # one-word forms: [(entry, accepted)] candidates
        self.weak = False  # attached by a fuzzy surname match: flagged, never a reference
        self.fuzzy = False  # known by a near match only: an N003 on it is a note, not a warning

    def __repr__(self) -> str:
        return f"Mention({self.start}, {self.end}, {self.words!r}, slots={self.slots!r}, entity={self.entity})"


@lru_cache(maxsize=65536)  # asked for every capitalised token of every story
def _is_name_word(t: str) -> bool:
    c = t[0]
    if c.isupper():
        if len(t) == 1:
            return False
        core = t.replace("-", "").replace("'", "").replace("’", "")
        if core.isupper() and len(core) > 1:
            return False  # an acronym or a word in capitals
        return not any(ch.isdigit() for ch in t)
    if c.islower() and _ARTICLE_PREFIX_RE.match(t):
        rest = _ARTICLE_PREFIX_RE.sub("", t)
        return bool(rest) and rest[0].isupper()
    return False


_HYPHEN_PART_RE = re.compile(r"[^-‐‑]+")


def slot_parts(words, starts=None) -> list[tuple[str, int]]:
    """Name words for slot comparison with their offsets: particles dropped,
    'al-Assad' -> 'Assad', 'Jong-un' -> 'Jong', 'un'."""
    out: list[tuple[str, int]] = []
    for k, w in enumerate(words):
        base = starts[k] if starts is not None else 0
        parts, offsets = _word_slots(w)
        out.extend(zip(parts, map(base.__add__, offsets)))
    return out


@lru_cache(maxsize=65536)  # a story's names recur, and so do the gazetteer's forms
def _word_slots(w: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The slot parts of one name word, and their offsets in it (see slot_parts)."""
    if w.lower() in PARTICLES:
        return (), ()
    m = _ARTICLE_PREFIX_RE.match(w)
    off = m.end() if m else 0
    parts = []
    offsets = []
    for pm in _HYPHEN_PART_RE.finditer(w, off):
        part = pm.group().rstrip(".")
        if part and part.lower() not in PARTICLES:
            parts.append(part)
            offsets.append(pm.start())
    return tuple(parts), tuple(offsets)


def slot_words(words) -> tuple[str, ...]:
    return tuple(p for p, _ in slot_parts(words))


@lru_cache(maxsize=4096)  # the gazetteer's forms, asked for each time a story names their person
def name_words(name: str) -> tuple[str, ...]:
    """Slot words of a name written as text (a gazetteer form)."""
    return slot_words(tuple(name.replace(".", " ").split()))


def osa_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (rapidfuzz's ``OSA``): insertions,
    deletions, substitutions and swaps of two adjacent letters.

    Imported on first use: a story with no near-miss names never pays for it.
    """
    from rapidfuzz.distance import OSA

    return OSA.distance(a, b)


@lru_cache(maxsize=65536)
def same_word(a: str, b: str) -> bool:
    """Whether two spellings of a name word plausibly spell the same name.

    True for accent, case and transliteration differences (Sergei/Sergey,
    Erdogan/Erdoğan, Mohammed/Muhammad) and one-letter slips in longer words
    (Keir/Kier, Anthony/Antony); False for different names (Joe/Hunter,
    Raúl/Fidel, Tusk/Trump) and for gender pairs (Mario/Maria).
    """
    if a == b:
        return True
    fa, fb = name_key(a), name_key(b)
    if fa == fb:
        return True
    if not fa or not fb:
        return False
    # Gender and plural pairs are different words: Maria/Mario, Ivan/Ivana, Biden/Bidens.
    if (fa[-1] == "a") != (fb[-1] == "a") and (
        min(len(fa), len(fb)) <= 4 or fa[:-1] == fb[:-1] or fa[:-1] == fb or fb[:-1] == fa
    ):
        return False
    if fa + "s" == fb or fb + "s" == fa:
        return False
    sa, sb = skeleton(a), skeleton(b)
    if sa == sb and min(len(fa), len(fb)) >= 3:
        return True
    if sa[:1] != sb[:1]:
        return False
    if min(len(fa), len(fb)) < 4:
        # Short words: only two letters swapped (Ulf/Ufl, Wei/Wie).
        return len(fa) == len(fb) >= 3 and sorted(fa) == sorted(fb) and osa_distance(fa, fb) == 1
    if fa.startswith(fb) or fb.startswith(fa):
        return False  # a suffix added: Hall/Halle, Kreuznach/Kreuznacher
    if fa[:-1] == fb[:-1] and fa[-1] in "aeiou" and fb[-1] in "aeiou":
        return False  # Mario/Marie: different final vowel
    d = osa_distance(sa, sb)
    longest = max(len(sa), len(sb))
    if d <= 1 or (d <= 2 and longest >= 8):
        return True
    ca, cb = consonants(a), consonants(b)
    if ca == cb and len(ca) >= 4 and abs(len(fa) - len(fb)) <= 2:
        return True
    return False


def differs(a: str, b: str) -> bool:
    """A spelling difference worth a finding: letters or accents, not capitals alone."""
    return a.casefold() != b.casefold()


def _initial_offsets(doc: Document) -> set[int]:
    """Start offsets of the first word of every sentence and block."""
    out: set[int] = set()
    text = doc.text
    for s in doc.sentences:
        i = s.start
        while i < s.end and not text[i].isalnum():
            i += 1
        out.add(i)
    for b in doc.blocks:
        i = b.start
        while i < b.end and not text[i].isalnum():
            i += 1
        out.add(i)
        if b.lead_end > b.start:
            out.add(b.lead_end)
    return out


@lru_cache(maxsize=65536)  # asked for every token of every story; a story's spellings recur
def _may_open_run(t: str) -> bool:
    """Whether ``runs`` must look at a token: a capitalised word, a name particle, or a
    hyphenated word that may open with an article ("al-Assad"). Any other token ends a run."""
    c = t[0]
    return c.isupper() or t in PARTICLES or ("-" in t and c in "aeuAEU")


def _scan_indices(texts: list[str]) -> list[int]:
    """Indices of the tokens ``runs`` must look at, in order: one cached look-up per token
    through map and compress (a story's spellings recur), no Python-level step per token."""
    return list(compress(count(), map(_may_open_run, texts)))


def runs(doc: Document) -> list[tuple[list[tuple[str, int, int]], bool, bool]]:
    """Runs of name words: ([(word, start, end)], starts_sentence, in_headline). A title or
    function word alone between other words makes no run (it would hold no name)."""
    text = doc.text
    starts, ends, texts = doc.token_columns
    initials = _initial_offsets(doc)
    headline_spans = [(b.start, b.end) for b in doc.blocks if b.kind == HEADLINE]
    out = []
    cur: list[tuple[str, int, int]] = []
    cur_initial = False
    n = len(texts)
    i = 0
    prev_end = -2
    prev_text = ""

    def flush():
        nonlocal cur
        if cur:
            while cur and cur[-1][0] in PARTICLES:
                cur.pop()
            while cur and cur[0][0] in PARTICLES:
                cur.pop(0)
            if cur:
                s = cur[0][1]
                head = bool(headline_spans) and any(a <= s < b for a, b in headline_spans)
                out.append((cur, cur_initial, head))
        cur = []

    for c in _scan_indices(texts):
        if c < i:
            continue  # the point of an initial, taken with it
        if c > i:
            # Tokens i..c-1 are lower-case words, numbers or punctuation: each ends any run.
            if cur:
                flush()
            w = texts[c]
            if w in STOP_CAP and len(w) > 1 and not (c + 1 < n and _may_open_run(texts[c + 1])):
                # A title or function word alone ("The", "He"): a run of its own, which holds no name.
                i = c + 1
                continue
            prev_end, prev_text = ends[c - 1], texts[c - 1]
            i = c
        w = t_text = texts[i]
        t_start, t_end = starts[i], ends[i]
        c0 = w[0]
        if not c0.isupper() and not (cur and c0.islower() and w in PARTICLES) and not (c0 in "aeuAEU" and "-" in w):
            # A particle with no run open (the other tokens that only end a run are skipped above).
            if cur:
                flush()
            prev_end, prev_text = t_end, w
            i += 1
            continue
        if cur:
            gap = text[prev_end:t_start]
            joined = gap in (" ", "\u00a0") or (gap == "" and prev_text == "." and len(w) == 1)
        else:
            joined = False
        kind = None
        end = t_end
        if _is_name_word(w):
            kind = "name"
        elif w.lower() in PARTICLES and w.islower() and cur and joined:
            kind = "particle"
        elif len(w) == 1 and w.isupper() and i + 1 < n and texts[i + 1] == "." and starts[i + 1] == t_end:
            # An initial ("George W. Bush"): keep it inside the run.
            kind = "initial"
            end = ends[i + 1]
        elif cur and joined and _ROMAN_RE.match(w):
            kind = "name"  # a regnal number ("Elizabeth II", "Felipe VI")
        elif (len(w) == 1 and w.isupper() and cur and joined and i + 1 < n and text[t_end:starts[i + 1]] == " "
              and (_is_name_word(texts[i + 1]) or (len(texts[i + 1]) == 1 and texts[i + 1].isupper()))):
            kind = "name"  # an initial without a point ("George W Bush")
        if kind is None or (cur and not joined):
            flush()
            if kind is None:
                prev_end, prev_text = t_end, w
                i += 1
                continue
        if not cur:
            cur_initial = t_start in initials or prev_text in _OPENERS or (kind == "initial")
        possessive = False
        if kind == "name" and w[-1] in "s'’":  # the only endings changed below
            for p in _POSSESSIVE:
                if w.endswith(p) and len(w) > len(p) + 1:
                    w, end, possessive = w[: -len(p)], t_start + len(w) - len(p), True
                    break
            if w.endswith("’") or w.endswith("'"):
                w, end = w[:-1], end - 1
        cur.append((text[t_start:end] if kind == "initial" else w, t_start, end))
        if kind == "initial":
            i += 2
            prev_end, prev_text = end, "."
        else:
            i += 1
            prev_end, prev_text = t_end, t_text
        if possessive:
            flush()
    flush()
    return out


def is_divider(w: str) -> bool:
    """A title, a function word or a suffix (Jr): it splits a run and is never part of a name."""
    return w in STOP_CAP or w.rstrip(".") in _SUFFIXES


def split_run(words: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    """Pieces of a run between title and function words; suffixes (Jr) dropped."""
    pieces: list[list[tuple[str, int, int]]] = []
    cur: list[tuple[str, int, int]] = []
    for w in words:
        if is_divider(w[0]):
            if cur:
                pieces.append(cur)
            cur = []
            continue
        cur.append(w)
    if cur:
        pieces.append(cur)
    out = []
    for p in pieces:
        while p and p[-1][0] in PARTICLES:
            p = p[:-1]
        while p and p[0][0] in PARTICLES:
            p = p[1:]
        if p:
            out.append(p)
    return out


def make_mention(piece: list[tuple[str, int, int]], initial: bool, headline: bool) -> Mention:
    if len(piece) == 1:  # most mentions: a surname alone
        w, start, end = piece[0]
        slots, offsets = _word_slots(w)
        return Mention(start, end, (w,), initial, headline, slots, tuple(map(start.__add__, offsets)))
    words, starts, ends = zip(*piece)
    parts = slot_parts(words, starts)
    return Mention(starts[0], ends[-1], words, initial, headline,
                   tuple(p for p, _ in parts), tuple(o for _, o in parts))
