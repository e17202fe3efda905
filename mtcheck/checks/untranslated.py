"""U family: source language left untranslated (issue 4).

- U001 untranslated-word: a word or short phrase of the source language inside
  a target-language sentence ("a summit between Joe Biden Y Vladimir Putin").
- U002 untranslated-sentence: a whole sentence (or paragraph) left in the
  source language; one finding for it, not one per word.
- U003 untranslated-quote: quoted words left in the source language; lower
  severity, since some outlets keep original quotes on purpose.

Word-level evidence is frequency evidence (see :mod:`._untranslated_scan`);
sentence-level decisions use langdetect (seeded, restricted to the source and
target languages), and only on sentences that already show word evidence.
The source language is ``ctx.source_lang``, else the one inferred by
:mod:`mtcheck.srclang` from agency credits and from the evidence this module
registers (which candidate language explains the out-of-place words best).
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from .. import language, lexicon, srclang
from ..context import Context
from ..document import Document
from ..finding import Finding
from ..rules import Rule, flag, ok, safe, unsafe
from ._untranslated_scan import STRONG, Analysis, Span

_ANALYSIS_KEY = "untranslated.analysis"

# Sentence-level (U002) and quotation (U003) thresholds.
SENT_MIN_WORDS = 4
SENT_MIN_SHARE = 0.6
SENT_MIN_STRONG = 2
SENT_MIN_PROB = 0.7
QUOTE_MIN_SHARE = 0.5


def _name(lang: str) -> str:
    return lexicon.LANGUAGE_NAMES.get(lang, lang)


U001 = Rule(
    code="U001",
    name="untranslated-word",
    severity="error",
    summary="A word or short phrase of the source language left in the translation.",
    description=(
        "Machine translation sometimes copies a source word instead of translating it: a conjunction "
        "between two names, an article, a preposition, a noun it did not know. The check compares how "
        "common each word is in the source and target languages (wordfreq data), and decides over the "
        "word sequence: capitalised runs are names, name particles before a capitalised word are silent, "
        "loanwords and Latin established in the target language are silent, acronyms are silent. The "
        "suggestion comes from a curated bilingual lexicon; it is safe only for a conjunction between two names."
    ),
    fix="sometimes",
    examples=(
        flag("Blinken did not rule out a summit between Joe Biden Y Vladimir Putin.", source_lang="es"),
        flag("The leaders del G7 met in Hiroshima on Friday.", source_lang="es"),
        flag("The diplomats will meet next week, según the ministry.", source_lang="es"),
        ok("The meeting took place at the Palacio de la Moneda in Santiago.", source_lang="es"),
        ok("The band played in Las Vegas and La Paz before heading to Simone de Beauvoir's hometown.", source_lang="es"),
        ok("The fiesta went on until dawn, organisers said.", source_lang="es"),
        flag("Talks between Macron et Meloni ended without agreement.", source_lang="fr"),
        flag("The minister également said the reform would go ahead.", source_lang="fr"),
        ok("The claim was repeated in Le Figaro on Monday.", source_lang="fr"),
        ok("Critics called the decree a coup d'état and a fait accompli, vis-à-vis parliament.", source_lang="fr"),
        flag("Merz und Starmer agreed on a joint statement.", source_lang="de"),
        flag("The company said that the Fleisch industry had been hit hard.", source_lang="de"),
        ok("The report appeared in Der Spiegel on Saturday.", source_lang="de"),
        ok("Ursula von der Leyen met the coach, Mark van Bommel, in Brussels.", source_lang="de"),
        flag("Talks between Lula e Xi lasted two hours.", source_lang="pt"),
        flag("The minister said the plan would start não later than June.", source_lang="pt"),
        ok("The Cristo Redentor statue in Rio de Janeiro was lit in yellow.", source_lang="pt"),
        ok("The samba schools paraded at the Sambadrome during carnival.", source_lang="pt"),
        flag("The painting, attributed to Leonardo, belongs to the collezione della family.", source_lang="it"),
        flag("The match ended in a draw, anche though the hosts dominated.", source_lang="it"),
        ok("The exhibition on Leonardo da Vinci opened in Milan.", source_lang="it"),
        ok("The paparazzi waited outside the piazza, the newspaper la Repubblica reported.", source_lang="it"),
        flag("La reunión between los dos líderes duró dos horas.", target_lang="es", source_lang="en"),
        flag("El presidente dijo que the government no cambiará su política.", target_lang="es", source_lang="en"),
        ok("El show de marketing atrajo a miles de fans en Madrid.", target_lang="es", source_lang="en"),
        ok("La cumbre entre Joe Biden y Vladimir Putin se celebró en Ginebra.", target_lang="es", source_lang="en"),
        flag("La réunion between les deux dirigeants a duré deux heures.", target_lang="fr", source_lang="en"),
        flag("Le président a déclaré que the government ne changera pas sa politique.", target_lang="fr", source_lang="en"),
        ok("Le week-end de shopping a attiré des milliers de fans à Paris.", target_lang="fr", source_lang="en"),
        ok("Le sommet entre Joe Biden et Vladimir Putin s'est tenu à Genève.", target_lang="fr", source_lang="en"),
    ),
    tags=("language",),
)

U002 = Rule(
    code="U002",
    name="untranslated-sentence",
    severity="error",
    summary="A whole sentence or paragraph left in the source language.",
    description=(
        "One finding for the sentence (or for consecutive sentences of one paragraph), not one per word. "
        "Decided by langdetect, seeded and restricted to the source and target languages, on sentences "
        "whose words already show source-language evidence."
    ),
    examples=(
        flag("The talks lasted two hours. El ministro dijo que la reunión fue muy productiva para ambos países.", source_lang="es"),
        flag("Los dos líderes se reunieron en Ginebra durante más de una hora.", source_lang="es"),
        ok("The foreign minister said the meeting at the Palacio de la Moneda had been very productive.", source_lang="es"),
        ok("The talks in La Paz lasted two hours and ended without a statement.", source_lang="es"),
        flag("Le ministre a déclaré que la réunion avait été très productive pour les deux pays.", source_lang="fr"),
        flag("The talks lasted two hours. Les deux dirigeants se sont rencontrés à Genève mardi.", source_lang="fr"),
        ok("The minister told Le Monde the meeting had been very productive.", source_lang="fr"),
        ok("Critics called the decree a fait accompli and a coup d'état.", source_lang="fr"),
        flag("Der Minister sagte, das Treffen sei für beide Länder sehr produktiv gewesen.", source_lang="de"),
        flag("The talks lasted two hours. Die beiden Politiker trafen sich am Dienstag in Genf.", source_lang="de"),
        ok("The minister told Der Spiegel the meeting had been very productive.", source_lang="de"),
        ok("Ursula von der Leyen said the meeting had been very productive.", source_lang="de"),
        flag("O ministro disse que a reunião foi muito produtiva para os dois países.", source_lang="pt"),
        flag("The talks lasted two hours. Os dois presidentes se reuniram em Brasília na terça-feira.", source_lang="pt"),
        ok("The minister spoke at the Palácio do Planalto in Brasília.", source_lang="pt"),
        ok("The meeting in Rio de Janeiro lasted two hours.", source_lang="pt"),
        flag("Il ministro ha detto che la riunione è stata molto produttiva per entrambi i paesi.", source_lang="it"),
        flag("The talks lasted two hours. I due leader si sono incontrati a Roma martedì.", source_lang="it"),
        ok("The minister told la Repubblica the meeting had been very productive.", source_lang="it"),
        ok("The exhibition on Leonardo da Vinci opened at the Palazzo Reale in Milan.", source_lang="it"),
        flag("La reunión duró dos horas. The two leaders met in Geneva on Tuesday for more than an hour.", target_lang="es", source_lang="en"),
        flag("The minister said the meeting had been very productive for both countries.", target_lang="es", source_lang="en"),
        ok("La reunión duró dos horas y terminó sin una declaración conjunta.", target_lang="es", source_lang="en"),
        ok("El show de marketing atrajo a miles de fans en Madrid.", target_lang="es", source_lang="en"),
        flag("La réunion a duré deux heures. The two leaders met in Geneva on Tuesday for more than an hour.", target_lang="fr", source_lang="en"),
        flag("The minister said the meeting had been very productive for both countries.", target_lang="fr", source_lang="en"),
        ok("La réunion a duré deux heures et s'est terminée sans déclaration commune.", target_lang="fr", source_lang="en"),
        ok("Le week-end de shopping a attiré des milliers de fans à Paris.", target_lang="fr", source_lang="en"),
    ),
    tags=("language",),
)

U003 = Rule(
    code="U003",
    name="untranslated-quote",
    severity="info",
    summary="Quoted words left in the source language.",
    description=(
        "Quoted speech or a quoted title left in the source language. Some outlets keep original "
        "quotes on purpose, so this is information: check that a translation follows or is intended."
    ),
    examples=(
        flag("“No vamos a negociar bajo presión”, said the minister on Tuesday.", source_lang="es"),
        flag("The minister said the talks were “muy productivas para los dos países”.", source_lang="es"),
        ok("The minister said the talks were “very productive for both countries”.", source_lang="es"),
        ok("“We will not negotiate under pressure,” the minister said in La Paz.", source_lang="es"),
        flag("“Nous ne négocierons pas sous la pression”, the minister said.", source_lang="fr"),
        flag("The minister said the talks were “très productives pour les deux pays”.", source_lang="fr"),
        ok("The minister told “Le Monde” the talks were productive.", source_lang="fr"),
        ok("“We will not negotiate under pressure,” the minister said.", source_lang="fr"),
        flag("His album “Für Frauen ist das kein Problem” reached second place.", source_lang="de"),
        flag("“Wir werden nicht unter Druck verhandeln”, the minister said.", source_lang="de"),
        ok("His album “For women that is no problem” reached second place.", source_lang="de"),
        ok("The minister told “Der Spiegel” the talks were productive.", source_lang="de"),
        flag("“Não vamos negociar sob pressão”, the minister said.", source_lang="pt"),
        flag("The minister said the talks were “muito produtivas para os dois países”.", source_lang="pt"),
        ok("“We will not negotiate under pressure,” the minister said.", source_lang="pt"),
        ok("The minister told “Folha de S.Paulo” the talks were productive.", source_lang="pt"),
        flag("“Non negozieremo sotto pressione”, the minister said.", source_lang="it"),
        flag("The minister said the talks were “molto produttive per entrambi i paesi”.", source_lang="it"),
        ok("“We will not negotiate under pressure,” the minister said.", source_lang="it"),
        ok("The minister told “Corriere della Sera” the talks were productive.", source_lang="it"),
        flag("El ministro dijo: “We will not negotiate under pressure”.", target_lang="es", source_lang="en"),
        flag("El ministro calificó las conversaciones de “very productive for both countries”.", target_lang="es", source_lang="en"),
        ok("El ministro dijo: “No vamos a negociar bajo presión”.", target_lang="es", source_lang="en"),
        ok("El ministro habló con “The New York Times” sobre la reunión.", target_lang="es", source_lang="en"),
        flag("Le ministre a déclaré : « We will not negotiate under pressure ».", target_lang="fr", source_lang="en"),
        flag("Le ministre a qualifié les discussions de « very productive for both countries ».", target_lang="fr", source_lang="en"),
        ok("Le ministre a déclaré : « Nous ne négocierons pas sous la pression ».", target_lang="fr", source_lang="en"),
        ok("Le ministre a parlé au « New York Times » de la réunion.", target_lang="fr", source_lang="en"),
    ),
    tags=("language",),
)

RULES: list[Rule] = [U001, U002, U003]


# -- analysis shared with srclang --------------------------------------------------------


def analysis(doc: Document, ctx: Context) -> Analysis:
    cached = ctx.services.get(_ANALYSIS_KEY)
    if cached is not None and cached.doc is doc and cached.target == ctx.target_lang:
        return cached
    an = Analysis(doc, ctx.target_lang)
    ctx.services[_ANALYSIS_KEY] = an
    return an


def evidence(doc: Document, ctx: Context) -> Counter:
    """Votes for the source language from out-of-place words (registered with srclang)."""
    votes: Counter = Counter()
    an = analysis(doc, ctx)
    if an.jt < 0 or not an.sentences:
        return votes
    langs = an.candidate_langs()
    screened = an.screened(langs)
    if not screened:
        return votes
    strong_in: dict[int, list[tuple[str, float, bool]]] = {}
    for lang in langs:
        cands = [i for i, ls in screened if lang in ls]
        if not cands:
            continue
        for sp in an.spans(lang, cands):
            for w in sp.words:
                if sp.conj or an.level(w, lang) == STRONG:
                    zs, zt = an.zz(w, lang)
                    strong_in.setdefault(w.idx, []).append((lang, zs - zt, sp.conj))
    for hits in strong_in.values():
        best = max(g for _, g, _ in hits)
        winners = [(l, c) for l, g, c in hits if g >= best - 0.2]
        for lang, conj in winners:
            votes[lang] += (2.0 if conj else 1.0) / len(winners)
    return votes


srclang.register_evidence(evidence)


# -- findings --------------------------------------------------------------------------------------


def _sentence_lang(text: str, source: str, target: str) -> tuple[str, float]:
    probs = language.probabilities(text, (source, target))
    return probs[0] if probs else ("", 0.0)


def _suggest(an: Analysis, span: Span) -> tuple[str, list]:
    """(gloss for the message, suggestions) from the bilingual lexicon."""
    lex = lexicon.bilingual(span.lang, an.target)
    key = tuple(w.low for w in span.words)
    entry = lex.get(key)
    if entry is None and len(span.words) == 1:
        entry = an.entry(span.words[0], span.lang)
        if entry is not None and "'" in span.words[0].low and entry.source.endswith("'"):
            entry = None  # only the elided article is known: no whole-word suggestion
    options: list[str] = []
    if entry is not None:
        options = list(entry.translations)
        options = _by_context(an, span, entry, options)
    elif len(span.words) > 1:
        # Longest lexicon entries first, left to right: "el" + "primer ministro".
        parts: list[str] = []
        i = 0
        while i < len(key):
            for k in range(min(3, len(key) - i), 0, -1):
                e = lex.get(key[i:i + k])
                if e is not None:
                    parts.append(e.translations[0])
                    i += k
                    break
            else:
                parts = []
                break
        if parts:
            options = [" ".join(parts)]
    if not options:
        return "", []
    first = span.words[0]
    if first.cap and not span.conj and first.initial:
        options = [o[:1].upper() + o[1:] for o in options]
    gloss = options[0]
    if span.conj:
        return gloss, [safe(options[0])]
    return gloss, [unsafe(o) for o in options[:3]]


_NOT_COMPARATIVE = frozenset("after under never however whether together other either neither rather".split())
_COMPARATIVES = frozenset("more less fewer rather other better worse greater larger smaller higher lower".split())


def _by_context(an: Analysis, span: Span, entry, options: list[str]) -> list[str]:
    """Reorder translations by the words around the span."""
    if "than" in options:
        # "more expensive que the old one": a comparative within the three words before.
        p = an.prev(span.words[0])
        for _ in range(3):
            if p is None:
                break
            if p.low in _COMPARATIVES or (p.low.endswith("er") and len(p.low) > 4 and p.low not in _NOT_COMPARATIVE):
                options = ["than"] + [o for o in options if o != "than"]
                break
            p = an.prev(p)
    return options


def check(doc: Document, ctx: Context) -> Iterable[Finding]:
    an = analysis(doc, ctx)
    if an.jt < 0 or not an.sentences:
        return []
    source = ctx.source_lang or srclang.source_language(doc, ctx)
    if not source or source == an.target or source not in an.langs:
        return []
    spans = an.spans(source)
    if not spans:
        return []
    out: list[Finding] = []
    covered: list[tuple[int, int]] = []
    src_name, tgt_name = _name(source), _name(an.target)
    text = doc.text

    # Whole sentences (U002), merged per paragraph, only where words already show evidence.
    strong_per_sentence: Counter = Counter()
    for sp in spans:
        strong_per_sentence[sp.words[0].sent] += sum(an.level(w, source) == STRONG for w in sp.words)
    pending: list[tuple[int, int, int]] = []  # (start, end, block)
    for si in sorted(k for k, v in strong_per_sentence.items() if v >= SENT_MIN_STRONG):
        s, e, block = an.sentences[si]
        words = an.sentence_words(si)
        own = [w for w in words if w.quote < 0]  # quotations are judged below as U003
        n, ev, strong = an.region_share(own, source)
        if n < SENT_MIN_WORDS or ev < SENT_MIN_SHARE * n or strong < SENT_MIN_STRONG:
            continue
        sample = text[s:e] if len(own) == len(words) else " ".join(w.text for w in own)
        lang, p = _sentence_lang(sample, source, an.target)
        if lang != source or p < SENT_MIN_PROB:
            continue
        if pending and pending[-1][2] == block and not text[pending[-1][1]:s].strip():
            pending[-1] = (pending[-1][0], e, block)
        else:
            pending.append((s, e, block))
    for s, e, _ in pending:
        covered.append((s, e))
        out.append(U002.finding(s, e, f"Sentence left in {src_name} in {tgt_name} text.", confidence=0.9))

    # Quotations (U003): only those holding evidence.
    quotes_with_evidence = sorted({w.quote for sp in spans for w in sp.words if w.quote >= 0})
    for qi in quotes_with_evidence:
        q = an.quotes[qi]
        if any(cs <= q.start and q.end <= ce for cs, ce in covered):
            continue
        qwords = an.region_words(q)
        if not qwords:
            continue
        if all(w.cap or w.acronym or w.low in lexicon.name_particles() for w in qwords):
            covered.append((q.start, q.end))  # a title or a name in quotation marks: “Corriere della Sera”
            continue
        n, ev, strong = an.region_share(qwords, source)
        if strong < 1 or n == 0 or ev < QUOTE_MIN_SHARE * n:
            continue
        if n >= SENT_MIN_WORDS:
            lang, p = _sentence_lang(text[q.start:q.end], source, an.target)
            if lang != source or p < SENT_MIN_PROB:
                continue
        covered.append((q.start, q.end))
        out.append(U003.finding(q.start, q.end, f"Quotation left in {src_name} in {tgt_name} text.", confidence=0.7))

    # Words and short phrases (U001).
    for sp in spans:
        if any(cs <= sp.start and sp.end <= ce for cs, ce in covered):
            continue
        if not sp.conj and an.mentioned(sp):
            continue
        w0 = sp.words[0]
        if w0.paren >= 0 and not sp.conj:
            n, ev, _ = an.region_share(an.region_words(an.parens[w0.paren]), source)
            if n and ev >= 0.5 * n:
                continue  # an original-language gloss in brackets: "(Audiencia Nacional)"
        gloss, suggestions = _suggest(an, sp)
        phrase = text[sp.start:sp.end]
        kind = f"{src_name} '{phrase}'"
        if gloss:
            kind += f" ({gloss})"
        msg = f"{kind} left in {tgt_name} text."
        conf = 0.95 if sp.conj else 0.8
        out.append(U001.finding(sp.start, sp.end, msg, suggestions, confidence=conf, source_lang=source))
    return out
