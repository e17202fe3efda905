"""N: names and entities. One person spelled two ways (N001), source-language
place names (N002), non-canonical spellings of well-known people (N003).

People: mentions (``_names_mentions``) are resolved against the newsroom's
house list and the built-in gazetteer (``corpora/names/``), then grouped into
the story's entities: mentions the tables know by entry, unknown full names by
comparing name words slot by slot from the surname, and a surname alone
attaches to the one entity it belongs to. Within an entity, each name word
spelled two ways gets a canonical spelling: the house list's, else the
gazetteer's, else the one the story uses most (then first); every mention with
another spelling is one N001 finding. A mention spelled as a gazetteer variant
(a typo, another language's transliteration) in an otherwise consistent story
is an N003 warning; an unknown full name one letter or one transliteration
away from a gazetteer name is an N003 note.

Places: see ``_names_places``.
"""
from __future__ import annotations

from collections import Counter
from itertools import compress
from operator import itemgetter
from typing import Iterable

from ..context import Context
from ..document import Document
from ..finding import Finding
from ..gazetteer import LANG_NAMES, NAME_LANGS, NameEntry, NameView, all_place_names, combined_view, fold, skeleton
from ..rules import Rule, flag, ok, safe, unsafe
from . import _names_mentions as M
from ._names_places import find as find_places

_FIRST = itemgetter(0)  # a string's first character

N001 = Rule(
    code="N001",
    name="inconsistent-name-spelling",
    severity="warning",
    summary="One person's name is spelled two ways in the same story.",
    description=(
        "Machine translation transliterates a name afresh each time it meets it, so one story can carry "
        "'Sergei Lavrov' and 'Sergey Lavrov', or 'Erdogan' and 'Erdoğan'. Every mention spelled differently "
        "from the canonical spelling is flagged once. The canonical spelling is the house list's (names-file), "
        "else the built-in gazetteer's, else the spelling the story uses most (then the first). Different people "
        "who share a surname ('Joe Biden', 'Hunter Biden') are never merged, and a surname on its own attaches "
        "to the full name it belongs to."
    ),
    fix="sometimes",
    examples=(
        flag("Russian Foreign Minister Sergei Lavrov met his US counterpart. Sergey Lavrov said the talks were frank."),
        flag("Anthony Blinken arrived in Geneva. Antony Blinken later met reporters, and Blinken said little."),
        flag("President Recep Tayyip Erdogan spoke on Monday. Erdoğan said Turkey would not change course."),
        flag("Crown Prince Mohammed bin Salman hosted the summit. Muhammad bin Salman thanked the guests."),
        flag("Labour leader Keir Starmer campaigned in Leeds. Kier Starmer told voters to expect change."),
        flag("Opposition leader Andrei Sannikov was arrested. Andrey Sannikov had called for protests."),
        flag(
            "El canciller ruso, Serguéi Lavrov, llegó a Ginebra. Sergei Lavrov dijo que las conversaciones fueron francas.",
            target_lang="es",
        ),
        ok("Joe Biden met reporters while Hunter Biden stayed home. Biden said nothing about his son."),
        ok("Raúl Castro succeeded Fidel Castro in 2008. Castro retired in 2021."),
        ok("Donald Tusk spoke to Donald Trump by phone on Tuesday."),
        ok("Russian Foreign Minister Sergei Lavrov met Antony Blinken. Lavrov said the talks were useful."),
        ok("Maria Schmidt and Mario Schmidt run the family bakery."),
        ok(
            "El canciller ruso, Serguéi Lavrov, llegó a Ginebra. Lavrov dijo que las conversaciones fueron francas.",
            target_lang="es",
        ),
    ),
    tags=("names", "consistency"),
)

N002 = Rule(
    code="N002",
    name="source-language-exonym",
    severity="warning",
    summary="A place name is left in the source language's form.",
    description=(
        "Machine translation often leaves the source language's name for a place: Spanish 'Londres', "
        "'Varsovia', 'La Haya', German 'Moskau', French 'Varsovie' in English copy, or English 'London', "
        "'The Hague' in Spanish or French copy. Cities, regions and countries are looked up in tables under "
        "corpora/places/ (countries from the Unicode CLDR). Names that are also right in the target language "
        "('La Paz', 'Los Angeles', 'São Paulo', 'Buenos Aires') are never flagged, nor a name inside a longer "
        "proper name ('Jack London', 'Banco do Brasil', 'New York Times' in Spanish copy); words with another "
        "common use ('Roma', 'Mosca') are flagged only after a locative word."
    ),
    fix="always",
    examples=(
        flag("The talks in Londres ended without agreement."),
        flag("Officials in Moscú and Varsovia traded accusations on Friday."),
        flag("The court in La Haya will rule next week."),
        flag("The minister flew from Moskau to Varsovie on Monday.", source_lang="de"),
        flag("La reunión en London terminó sin acuerdo.", target_lang="es"),
        flag("Le tribunal de The Hague rendra sa décision lundi.", target_lang="fr"),
        ok("The delegation flew from La Paz to Los Angeles, then to São Paulo and Buenos Aires."),
        ok("The talks in London and Moscow ended without agreement."),
        ok("Leyó a Jack London y el New York Times en Nueva York.", target_lang="es"),
        ok("Roma communities in Hungary face discrimination."),
        ok("La reunión en Londres terminó sin acuerdo.", target_lang="es"),
    ),
    tags=("names", "places"),
)

N003 = Rule(
    code="N003",
    name="non-canonical-name",
    severity="warning",
    summary="A well-known person's name is not in its usual spelling.",
    description=(
        "A name spelled as a known variant of a well-known person's name (a typo, or the transliteration "
        "another language uses: German 'Wladimir Putin', Spanish 'Serguéi Lavrov' in English copy) is flagged "
        "even when the story is consistent, so a newsroom gets its house spelling everywhere. A warning when "
        "the gazetteer or house list lists the variant; a note (info) when an unknown full name is one letter "
        "or one transliteration away from a gazetteer name. Spellings a house list or the gazetteer accepts "
        "('Sergey Lavrov', AP style) are never flagged on their own."
    ),
    fix="sometimes",
    examples=(
        flag("Anthony Blinken said the United States would respond in writing."),
        flag("Wladimir Putin said Russia had no plans to invade.", source_lang="de"),
        flag("Kier Starmer told voters to expect change."),
        flag("Secretary of State Antonny Blinken met reporters.", note="fuzzy: info"),
        ok("Antony Blinken said the United States would respond in writing."),
        ok("Sergey Lavrov said the talks were frank."),
        ok("Hunter Biden did not attend."),
        ok("Serguéi Lavrov dijo que las conversaciones fueron francas.", target_lang="es"),
    ),
    tags=("names",),
)

RULES: list[Rule] = [N001, N002, N003]


# -- people -------------------------------------------------------------------------------


class _Entity:
    __slots__ = ("entry", "mentions", "forms", "ambiguous", "index")

    def __init__(self, index: int, entry: NameEntry | None = None):
        self.index = index  # position in the story's list of entities
        self.entry = entry
        self.mentions: list[M.Mention] = []
        self.forms: set[tuple[str, ...]] = set()  # multi-word slot tuples known for this entity
        self.ambiguous = False


class _Forms:
    """The story's entities by the last word of their forms, so that a mention is compared
    word by word only with the entities it can match (every one-word mention would otherwise
    be compared with every entity): ``_tail_equal`` needs the folded last words equal,
    ``_tail_match`` (same_word) the first letters of their skeletons."""

    __slots__ = ("by_last", "by_head")

    def __init__(self) -> None:
        self.by_last: dict[str, list[_Entity]] = {}
        self.by_head: dict[str, list[_Entity]] = {}

    def add(self, e: _Entity, form: tuple[str, ...]) -> None:
        if form not in e.forms:
            e.forms.add(form)
            for lst in (self.by_last.setdefault(fold(form[-1]), []),
                        self.by_head.setdefault(skeleton(form[-1])[:1], [])):
                if e not in lst:
                    lst.append(e)

    def may_equal(self, slots: tuple[str, ...]) -> list[_Entity]:
        """The entities with a form that can pass ``_tail_equal(slots, form)`` (in no set order)."""
        return self.by_last.get(fold(slots[-1]), []) if slots else []

    def may_match(self, slots: tuple[str, ...]) -> list[_Entity]:
        """The entities with a form that can pass ``_tail_match(slots, form, k)`` (in no set order)."""
        return self.by_head.get(skeleton(slots[-1])[:1], []) if slots else []


def _tail_match(a: tuple[str, ...], b: tuple[str, ...], k_min: int = 2) -> bool:
    k = min(len(a), len(b))
    if k < k_min:
        return False
    return all(M.same_word(a[-1 - j], b[-1 - j]) for j in range(k))


def _tail_equal(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    k = min(len(a), len(b))
    return k > 0 and all(fold(a[-1 - j]) == fold(b[-1 - j]) for j in range(k))


def _view(ctx: Context) -> NameView | None:
    house = ctx.services.get("house_names")
    lang = ctx.target_lang
    if lang in NAME_LANGS:
        return combined_view(house, lang)
    if house is not None:
        return house.view(lang)
    return None


def _gazetteer_windows(piece, view: NameView, init: bool, headline: bool, text: str) -> tuple[list[M.Mention], list[list]]:
    """Known names inside a run (longest first, left to right), and the words left between them."""
    found: list[M.Mention] = []
    rest: list[list] = []
    cur: list = []
    i = 0
    n = len(piece)
    while i < n:
        hit = None
        for L in range(min(view.max_words + 1, n - i), 1, -1):
            surface = text[piece[i][1]:piece[i + L - 1][2]].replace("\u00a0", " ")
            got = view.lookup(surface)
            if got is not None:
                hit = (L, got)
                break
        if hit is None:
            cur.append(piece[i])
            i += 1
            continue
        L, (entry, accepted) = hit
        fuzzy = False
        words = piece[i:i + L]
        # A shorter accepted form ("Javad Zarif") after a misspelt given name ("Moammad"):
        # take the word before into the mention when it spells the canonical's missing word.
        canon = M.name_words(entry.canonical_for(view.lang))
        have = len(M.slot_words(tuple(w for w, _, _ in words)))
        while cur and have < len(canon):
            w = cur[-1]
            if w[0] in M.STOP_CAP or w[0].lower() in M.PARTICLES:
                break
            want = canon[-1 - have]
            if not M.same_word(w[0], want):
                break
            if M.differs(w[0], want):
                accepted, fuzzy = False, True
            words = [cur.pop(), *words]
            have += 1
        if cur:
            rest.append(cur)
            cur = []
        start_word = words[0][1] == piece[0][1]
        m = M.make_mention(words, init and start_word, headline)
        m.entry, m.accepted, m.fuzzy = entry, accepted, fuzzy
        found.append(m)
        i += L
    if cur:
        rest.append(cur)
    return found, rest


def _mentions(doc: Document, view: NameView | None) -> list[M.Mention]:
    out: list[M.Mention] = []
    for words, initial, headline in M.runs(doc):
        if len(words) == 1:  # most runs: one capitalised word, a name or a title alone
            if not M.is_divider(words[0][0]):
                m = _one_word_mention(words, initial, headline, view)
                if m.slots:
                    out.append(m)
            continue
        if view is not None:
            # Known names first, titles included ("Sheikh Hasina", "King Salman").
            found, rest = _gazetteer_windows(words, view, initial, headline, doc.text)
            out.extend(found)
        else:
            rest = [words]
        for part in rest:
            part_initial = initial and part[0][1] == words[0][1]
            for p_i, piece in enumerate(M.split_run(part)):
                init = part_initial and p_i == 0 and piece[0][1] == part[0][1]
                if len(piece) == 1:
                    m = _one_word_mention(piece, init, headline, view)
                    if m.slots:
                        out.append(m)
                elif 2 <= len(piece) <= 4 and not headline:
                    m = M.make_mention(piece, init, headline)
                    if len(m.slots) >= 2:
                        out.append(m)
    out.sort(key=lambda m: m.start)
    return out


def _one_word_mention(piece: list, initial: bool, headline: bool, view: NameView | None) -> M.Mention:
    """A mention of one word, with the table entries that list it."""
    m = M.make_mention(piece, initial, headline)
    if view is not None:
        m.short = list(view.lookup_short(piece[0][0]))
    return m


def _common_words(doc: Document) -> set[str]:
    """Folded words the story also writes in lower case: not names."""
    spellings = list(set(doc.word_columns.texts))
    # Each spelling folded once; the lower-case ones found by map and compress, not a Python loop.
    return set(map(fold, compress(spellings, map(str.islower, map(_FIRST, spellings)))))


def _entities(doc: Document, mentions: list[M.Mention], lang: str) -> list[_Entity]:
    entities: list[_Entity] = []
    by_entry: dict[int, _Entity] = {}
    known = _Forms()

    def entity_for(entry: NameEntry) -> _Entity:
        e = by_entry.get(id(entry))
        if e is None:
            e = _Entity(len(entities), entry)
            for form in entry.accepted_for(lang):
                sw = M.name_words(form)
                if len(sw) >= 2:
                    known.add(e, sw)
            by_entry[id(entry)] = e
            entities.append(e)
        return e

    def add(e: _Entity, m: M.Mention) -> None:
        m.entity = e.index
        e.mentions.append(m)
        if len(m.slots) >= 2:
            known.add(e, m.slots)

    # 1. Mentions the tables know.
    for m in mentions:
        if m.entry is not None:
            add(entity_for(m.entry), m)
    # 2. Unknown full names: join the one entity they match word for word.
    for m in mentions:
        if m.entry is not None or len(m.slots) < 2 or len(m.words) < 2:
            continue
        # (Only how many entities match counts, and which one when one does: the order of the look-ups is free.)
        cands = [e for e in known.may_match(m.slots) if any(_tail_match(m.slots, f) for f in e.forms)]
        if len(cands) > 1:
            exact = [e for e in cands if any(_tail_equal(m.slots, f) for f in e.forms)]
            cands = exact if len(exact) == 1 else cands
        if len(cands) == 1:
            add(cands[0], m)
        else:
            e = _Entity(len(entities))
            e.ambiguous = len(cands) > 1
            entities.append(e)
            add(e, m)
    # 3. A name on its own (a surname, or a known one-word form).
    common = None
    place_names = None
    for m in mentions:
        if m.entity >= 0 or not (len(m.words) == 1 or len(m.slots) < 2):
            continue
        present = [x for x in m.short if id(x[0]) in by_entry] if m.short else m.short
        if m.short and (len(present) == 1 or (not present and len(m.short) == 1)):
            entry, accepted = (present or m.short)[0]
            m.entry, m.accepted = entry, accepted
            add(entity_for(entry), m)
            continue
        if m.short and len(present) > 1:
            continue
        exact = known.may_equal(m.slots)
        if exact:
            exact = [e for e in exact if not e.ambiguous and any(_tail_equal(m.slots, f) for f in e.forms)]
        if exact:
            if len(exact) == 1:
                add(exact[0], m)
            continue
        if m.headline:
            continue
        word = m.slots[-1]
        if len(word) < 4 or word in M.STOP_CAP:
            continue
        # The tests below only rule the mention out, so the cheap, selective one goes first: the
        # story's lower-case words are gathered only for the rare word that would attach.
        fuzzy = known.may_match(m.slots)
        if fuzzy:
            fuzzy = [e for e in fuzzy if not e.ambiguous and any(_tail_match(m.slots, f, 1) for f in e.forms)]
        if len(fuzzy) != 1:
            continue
        translit = any(skeleton(f[-1]) == skeleton(word) for f in fuzzy[0].forms)
        if not translit and (m.initial or fuzzy[0].entry is None):
            # A near miss (not a transliteration) only for a known person, and not on the
            # capitalised first word of a sentence.
            continue
        if common is None:
            common = _common_words(doc)
        if fold(word) in common:
            continue
        if place_names is None:
            place_names = all_place_names()
        if word in place_names:
            continue
        m.weak = True
        add(fuzzy[0], m)
    return entities


def _source_label(entry: NameEntry | None) -> str:
    if entry is None:
        return ""
    return "the house list" if entry.source == "house" else "the gazetteer"


def _rewrite(doc: Document, m: M.Mention, repl: dict[int, str]) -> str:
    """The mention's text with slot words replaced (slot index -> word)."""
    out = []
    pos = m.start
    for idx, (word, start) in enumerate(zip(m.slots, m.slot_starts)):
        if idx in repl:
            out.append(doc.text[pos:start])
            out.append(repl[idx])
            pos = start + len(word)
    out.append(doc.text[pos:m.end])
    return "".join(out)


def _people(doc: Document, ctx: Context) -> list[Finding]:
    view = _view(ctx)
    lang = ctx.target_lang
    mentions = _mentions(doc, view)
    if not mentions:
        return []
    entities = _entities(doc, mentions, lang)
    findings: list[Finding] = []
    flagged: set[int] = set()
    for ent in entities:
        ms = ent.mentions
        if ent.ambiguous:
            continue
        canon = M.name_words(ent.entry.canonical_for(lang)) if ent.entry is not None else ()
        bad: dict[int, dict[int, str]] = {}  # id(mention) -> {slot index: replacement}
        if len(ms) >= 2:
            longest = max(len(m.slots) for m in ms)
            for k in range(longest):
                words = [(m, m.slots[-1 - k]) for m in ms if len(m.slots) > k]
                if len({w.casefold() for _, w in words}) < 2:
                    continue
                counts = Counter(w for m, w in words if not m.weak)
                first = {}
                for i, (_, w) in enumerate(words):
                    first.setdefault(w, i)
                # Strong spellings first (most used, then first used); fuzzy surname matches never lead.
                order = sorted(counts, key=lambda w: (-counts[w], first[w]))
                order += [w for w in dict.fromkeys(w for m, w in words if m.weak) if w not in counts]
                clusters: list[list] = []  # [ref, seeded, members]
                if k < len(canon):
                    clusters.append([canon[-1 - k], True, []])
                for w in order:
                    for c in clusters:
                        if M.same_word(w, c[0]):
                            c[2].append(w)
                            break
                    else:
                        if w not in counts:
                            continue  # only weak mentions spell it so: no reference to compare with
                        clusters.append([w, False, [w]])
                for ref, seeded, members in clusters:
                    if len({w.casefold() for w in members}) < 2:
                        continue
                    for m, w in words:
                        if w in members and M.differs(w, ref):
                            idx = len(m.slots) - 1 - k
                            bad.setdefault(id(m), {})[idx] = ref
        for m in ms:
            repl = bad.get(id(m))
            if not repl:
                continue
            suggestion = _rewrite(doc, m, repl)
            here = doc.text[m.start:m.end]
            others = [doc.text[o.start:o.end] for o in ms if o is not m and id(o) not in bad]
            other = max(others, key=len) if others else suggestion
            source = _source_label(ent.entry) if canon else ""
            if source:
                msg = (f"Name spelled two ways in this story ('{here}' here, '{other}' elsewhere); "
                       f"{source} spells it '{suggestion}'.")
            else:
                msg = f"Name spelled two ways in this story: '{here}' here, '{suggestion}' in the other mentions."
            sugg = safe(suggestion) if source and doc.fixable_span(m.start, m.end) else unsafe(suggestion)
            findings.append(N001.finding(m.start, m.end, msg, [sugg], confidence=0.9 if source else 0.75,
                                         entity=ent.entry.canonical if ent.entry else suggestion))
            flagged.add(id(m))
        # N003: a listed wrong spelling, the story otherwise consistent.
        for m in ms:
            if id(m) in flagged or m.entry is None or m.accepted:
                continue
            findings.append(_variant_finding(doc, m, lang))
            flagged.add(id(m))
    # N003 (info): an unknown full name one slip away from a gazetteer name.
    if view is not None and lang in NAME_LANGS:
        for ent in entities:
            if ent.entry is not None or ent.ambiguous:
                continue
            for m in ent.mentions:
                if id(m) in flagged or len(m.slots) < 2 or m.headline:
                    continue
                f = _fuzzy_finding(doc, m, view, lang)
                if f is not None:
                    findings.append(f)
    return findings


def _variant_finding(doc: Document, m: M.Mention, lang: str) -> Finding:
    entry: NameEntry = m.entry  # type: ignore[assignment]
    canonical = entry.canonical_for(lang)
    if len(m.slots) == 1 and len(M.name_words(canonical)) > 1:
        canonical = M.name_words(canonical)[-1]
    here = doc.text[m.start:m.end]
    what = f" ({entry.note})" if entry.note else ""
    msg = f"'{here}' is not the usual spelling of {entry.canonical}{what}; {_source_label(entry)} spells it '{canonical}'."
    if m.fuzzy:
        msg = f"'{here}' looks like a misspelling of {entry.canonical}{what}; {_source_label(entry)} spells it '{canonical}'."
        return N003.finding(m.start, m.end, msg, [unsafe(canonical)], severity="info", confidence=0.6,
                            entity=entry.canonical)
    sugg = safe(canonical) if doc.fixable_span(m.start, m.end) else unsafe(canonical)
    return N003.finding(m.start, m.end, msg, [sugg], confidence=0.9, entity=entry.canonical)


def _fuzzy_finding(doc: Document, m: M.Mention, view: NameView, lang: str) -> Finding | None:
    cands = view.by_last.get(skeleton(m.slots[-1]), [])
    hits = []
    for entry in cands:
        for form in entry.accepted_for(lang):
            fw = M.name_words(form)
            if len(fw) < 2 or len(fw) != len(m.slots) and min(len(fw), len(m.slots)) < 2:
                continue
            if _tail_match(m.slots, fw) and any(M.differs(a, b) for a, b in zip(m.slots[::-1], fw[::-1])):
                if any(fold(a) != fold(b) for a, b in zip(m.slots[::-1], fw[::-1])):
                    hits.append((entry, fw))
                    break
    if len({id(e) for e, _ in hits}) != 1:
        return None
    entry, fw = hits[0]
    repl = {}
    k = min(len(fw), len(m.slots))
    for j in range(k):
        a, b = m.slots[-1 - j], fw[-1 - j]
        if M.differs(a, b):
            repl[len(m.slots) - 1 - j] = b
    suggestion = _rewrite(doc, m, repl)
    here = doc.text[m.start:m.end]
    what = f" ({entry.note})" if entry.note else ""
    msg = f"'{here}' looks like a misspelling of {entry.canonical}{what}; {_source_label(entry)} spells it '{suggestion}'."
    return N003.finding(m.start, m.end, msg, [unsafe(suggestion)], severity="info", confidence=0.6,
                        entity=entry.canonical)


# -- places ------------------------------------------------------------------------------

def _places(doc: Document, ctx: Context) -> list[Finding]:
    out = []
    lang = ctx.target_lang
    for hit in find_places(doc, lang):
        pn = hit.place
        if ctx.source_lang and ctx.source_lang in pn.langs:
            langs = [ctx.source_lang]
        else:
            langs = list(pn.langs)
        lang_label = "/".join(LANG_NAMES.get(lg, lg) for lg in langs[:3])
        target_label = LANG_NAMES.get(lang, lang)
        msg = f"{lang_label} place name '{hit.text}' left in {target_label} copy; in {target_label} it is '{hit.replacement}'."
        sugg = (safe if not pn.needs_cue and doc.fixable_span(hit.start, hit.end) else unsafe)(hit.replacement)
        out.append(N002.finding(hit.start, hit.end, msg, [sugg], confidence=0.7 if pn.needs_cue else 0.9,
                                place=pn.target))
    return out


def _one_warning_per_spelling(doc: Document, findings: list[Finding]) -> list[Finding]:
    """The same wrong spelling again in one story is info: one warning says it, every span keeps its fix."""
    seen: set[tuple[str, str]] = set()
    out = []
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        key = (f.code, doc.text[f.start:f.end].casefold())
        if f.severity == "warning" and key in seen:
            f = f.with_(severity="info", message=f.message + " (Repeated spelling; see the first mention.)")
        elif f.severity == "warning":
            seen.add(key)
        out.append(f)
    return out


def check(doc: Document, ctx: Context) -> Iterable[Finding]:
    findings = _people(doc, ctx)
    findings.extend(_places(doc, ctx))
    return _one_warning_per_spelling(doc, findings)
