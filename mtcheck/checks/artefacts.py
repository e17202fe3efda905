"""A: wire and web artefacts pasted into the story text.

Copy lifted from a news site or a wire feed carries things that are not part
of the story: photo captions and credits between paragraphs, headlines of
related articles, "Read more:" links, social-media embed residue, page
furniture ("Advertisement"), the source outlet's desk signature and the wire's
sign-off. Each finding names the artefact and suggests removing it (unsafe: a
person decides). Tables: ``corpora/artefacts/``.

Precision notes. A headline-shaped line between body paragraphs is also what a
legitimate crosshead looks like (and what concatenated stories look like), so
A003 is a warning only with a specific cue (the line repeats the body nearly
word for word, it follows a pasted caption, or it carries a "(VIDEO)" tag) and
info otherwise; Markdown and HTML headings are structure, never flagged. An HTML
``<figcaption>`` is a real caption, so A001 is info in HTML.
"""
from __future__ import annotations

import bisect
import math
import re
from functools import lru_cache
from typing import Iterable

from .. import resources
from ..context import Context
from ..document import BODY, CAPTION, DATELINE, HEADLINE, SIGNATURE, Block, Document
from ..finding import Finding
from ..rules import Rule, flag, ok, unsafe

TWO_PARAS = "The talks lasted two hours and ended without a deal.\n\n"
END_PARA = "\n\nBoth sides agreed to meet again next week."

RULES: list[Rule] = [
    Rule(
        code="A001",
        name="pasted-photo-caption",
        severity="warning",
        summary="Photo caption or credit pasted into the story text.",
        description=(
            "A paragraph that is a photo caption with its credit ('... Photo: EFE/EPA/MARCIAL TREZZINI', "
            "'(Photo: AFP)') was copied from the web page along with the story. Remove it, or move it to the "
            "image. In HTML, where a <figcaption> is a real caption, the finding is info."
        ),
        examples=(
            flag(TWO_PARAS + "Blinken speaks during a news conference in Geneva. Photo: EFE/EPA/MARCIAL TREZZINI" + END_PARA),
            flag("Lavrov arrived in Geneva on Friday (Photo: EFE/Salvatore Di Nolfi) for talks with Blinken."),
            ok(TWO_PARAS + "An AP/NORC poll found that most Americans back the sanctions." + END_PARA),
            ok("Lavrov arrived in Geneva on Friday for talks with Blinken."),
        ),
    ),
    Rule(
        code="A002",
        name="caption-without-credit",
        severity="info",
        summary="A one-sentence paragraph that describes a picture: a photo caption pasted without its credit.",
        description=(
            "'A satellite image shows ...', 'File photo of ...', 'Imagen de archivo ...' on a line of its own is "
            "the caption of a picture that did not come along. Warning when it sits next to another pasted "
            "caption or headline, info otherwise."
        ),
        examples=(
            flag(TWO_PARAS + "A satellite image shows an overview of equipment deployed at the facility in Klimovo, Russia." + END_PARA),
            ok(TWO_PARAS + "Satellite images released by Maxar show a build-up of equipment near the border, analysts said, "
               "and the company said more images would follow." + END_PARA),
        ),
    ),
    Rule(
        code="A003",
        name="pasted-related-headline",
        severity="warning",
        summary="Headline of another article pasted between paragraphs.",
        description=(
            "A short line without final punctuation between body paragraphs is the headline of a related article "
            "that the web page linked to. Warning when the line repeats the body almost word for word, follows a "
            "pasted caption or carries a '(VIDEO)' tag; info for a headline-like sentence otherwise (it may be a "
            "crosshead). Markdown and HTML headings are never flagged."
        ),
        examples=(
            flag(
                "Estonia, Latvia and Lithuania said they would send missiles to Ukraine.\n\n"
                "Baltic states urge Russia to cease its aggressive and irresponsible behavior\n\n"
                "\"The Baltic states urge Russia to cease its aggressive and irresponsible behavior,\" the minister said."
            ),
            flag(
                TWO_PARAS + "A satellite image shows troops deployed near the border.\n\n"
                "The United States asked Russia to withdraw its troops from the border with Ukraine" + END_PARA
            ),
            ok("Baltic states urge Russia to cease its aggressive behavior\n\nEstonia, Latvia and Lithuania said on Friday they would send missiles."),
            ok(TWO_PARAS + "Missiles for Ukraine" + END_PARA),
        ),
    ),
    Rule(
        code="A004",
        name="read-more-link",
        severity="warning",
        summary="'Read more:' / 'ALSO READ' link pasted into the story.",
        description="Labels of links to other articles ('Read more:', 'ALSO READ', 'Lea también:', 'Lire aussi', 'Lesen Sie auch'), table corpora/artefacts/read_more.txt.",
        examples=(
            flag(TWO_PARAS + "Read more: The United States asked Russia to withdraw its troops" + END_PARA),
            flag(TWO_PARAS + "ALSO READ Baltic states urge Russia to cease its aggressive behavior" + END_PARA),
            ok(TWO_PARAS + "Readers can read more about the talks on the ministry's website." + END_PARA),
        ),
    ),
    Rule(
        code="A005",
        name="social-embed-residue",
        severity="warning",
        summary="Residue of an embedded social-media post (pic.twitter.com link, tweet signature, 'View this post on Instagram').",
        description="Regular expressions in corpora/artefacts/embeds.tsv. A short paragraph holding the residue is flagged whole.",
        examples=(
            flag(TWO_PARAS + "Great talks in Geneva today. pic.twitter.com/AbC123xyz — Antony Blinken (@SecBlinken) January 21, 2022" + END_PARA),
            flag(TWO_PARAS + "View this post on Instagram" + END_PARA),
            ok("Blinken wrote on Twitter that the talks had been frank and useful."),
        ),
    ),
    Rule(
        code="A006",
        name="web-page-residue",
        severity="warning",
        summary="Web-page furniture ('Advertisement', 'Story continues below', 'Tags:') pasted into the story.",
        description="Table corpora/artefacts/web_residue.tsv: whole-line phrases and line prefixes.",
        examples=(
            flag(TWO_PARAS + "Advertisement" + END_PARA),
            flag(TWO_PARAS + "Story continues below advertisement" + END_PARA),
            ok(TWO_PARAS + "Advertisement revenue fell by 8% in the quarter, the company said." + END_PARA),
        ),
    ),
    Rule(
        code="A007",
        name="source-desk-signature",
        severity="warning",
        summary="The source outlet's desk signature ('Redacción Internacional', 'INTERNATIONAL WRITING') pasted at the end.",
        description=(
            "The desk signature of the outlet the story was taken from, left in the source language or calqued "
            "into English. English desk names ('International Desk') are a byline and are left alone."
        ),
        examples=(
            flag(TWO_PARAS + "Both sides agreed to meet again.\n\nINTERNATIONAL WRITING"),
            flag(TWO_PARAS + "Both sides agreed to meet again.\n\nRedacción Internacional"),
            ok(TWO_PARAS + "Both sides agreed to meet again.\n\nInternational Desk"),
            ok("She began writing in 1990.\n\nHer first novel appeared in 1995."),
        ),
    ),
    Rule(
        code="A008",
        name="wire-sign-off",
        severity="info",
        summary="Wire sign-off for subscribers ('Reporting by ...; Editing by ...') at the end of the story.",
        description=(
            "Agencies end copy with credits meant for the client's editors. House styles keep the reporting "
            "credit in some form and drop the editing credits. A plain source credit ('(EFE)') is not flagged."
        ),
        examples=(
            flag(TWO_PARAS + "Reporting by Jane Smith; Editing by John Doe"),
            ok(TWO_PARAS + "(EFE)"),
        ),
    ),
    Rule(
        code="A009",
        name="dateline-mid-story",
        severity="info",
        summary="A dateline in the middle of the story: a second story may have been pasted in.",
        examples=(
            flag(TWO_PARAS + "Both sides will meet again.\n\nMADRID (EFE) - The Spanish government said on Friday that it would send aid."),
            ok("MADRID (EFE) - The Spanish government said on Friday that it would send aid.\n\nThe aid will leave on Monday."),
        ),
    ),
]

_RULE = {r.code: r for r in RULES}
REMOVE = unsafe("")

# -- tables ------------------------------------------------------------------------

_TERMINAL = ".!?…:;\"”»’)]'"
_CREDIT_LABEL_RE = re.compile(
    r"(?:^|[\s(\[|–—-])(?:Photos?|Fotos?|Photo credit|Picture|Pictures|Image|Images|Imagen|Credit|Crédito|Crédit|Bild|"
    r"Foto[s]?|Fotografía|Video)\s*:\s*\S",
)
_AGENCY = r"(?:AFP|EFE|EPA|AP|Reuters|REUTERS|dpa|DPA|ANSA|Getty Images|Europa Press|XINHUA|Xinhua|Anadolu|AAP|SIPA|Sputnik|TASS|Lusa|ABACA|Shutterstock|NurPhoto|Bloomberg|Pool)"
_CREDIT_TAIL_RE = re.compile(
    r"(?:/\s*" + _AGENCY + r"|\(\s*" + _AGENCY + r"\s*\)|" + _AGENCY
    + r"\s*/\s*[A-ZÁÉÍÓÚÑ][\w.\-]*(?:\s+[A-ZÁÉÍÓÚÑ][\w.\-]*){0,4}|\bHandout\b[^.]{0,40})\s*\)?\.?\s*$"
)
_INLINE_CREDIT_RE = re.compile(r"\((?:Photos?|Fotos?|Image|Imagen|Picture|Crédito|Credit|Crédit|Bild|Foto)\s*:[^()\n]{1,120}\)")
_TAG_RE = re.compile(r"[(\[](?:\+?\s*)?(?:VIDEO|Video|VIDEOS|FOTOS|PHOTOS|Photos|FOTO|PHOTO|GALER[IÍ]A|GALLERY|EN VIVO|LIVE|AUDIO)S?[)\]]\s*$")
_SIGN_OFF_RE = re.compile(
    r"^\(?\s*(?:\(?Reporting by|Additional reporting by|Writing by|Editing by|Compiled by|Edited by)\b[^\n]{0,200}$"
)
_SIGN_OFF_NEEDS = re.compile(r"\b(?:Editing|Edited|Writing|Compiled) by\b")
_WORD_RE = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _read_more_re() -> re.Pattern[str]:
    phrases = sorted(resources.lines("artefacts/read_more.txt"), key=len, reverse=True)
    alt = "|".join(re.escape(p) for p in phrases)
    return re.compile(r"^\W{0,3}(?:" + alt + r")(?:\s*(?::|\||»|>|–|—|-|\.\.\.|…)|\s*$)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _read_more_caps_re() -> re.Pattern[str]:
    phrases = sorted(resources.lines("artefacts/read_more.txt"), key=len, reverse=True)
    alt = "|".join(re.escape(p.upper()) for p in phrases)
    return re.compile(r"^\W{0,3}(?:" + alt + r")\b")


@lru_cache(maxsize=1)
def _web_residue_table() -> tuple[frozenset[str], tuple[str, ...]]:
    block, prefix = set(), []
    for row in resources.tsv("artefacts/web_residue.tsv"):
        if len(row) < 2:
            continue
        phrase, mode = row[0].strip().lower(), row[1].strip()
        if mode == "block":
            block.add(phrase.rstrip(":.!… "))
        else:
            prefix.append(phrase)
    return frozenset(block), tuple(sorted(prefix, key=len, reverse=True))


@lru_cache(maxsize=1)
def _embed_table() -> tuple[tuple[str, str, str, str], ...]:
    """(marker, regex, label, severity) rows; the regex is compiled and run only when
    the marker occurs in the text (most stories compile none of them)."""
    out = []
    for r in resources.tsv("artefacts/embeds.tsv"):
        if len(r) < 2:
            continue
        sev = r[2] if len(r) > 2 and r[2] in ("warning", "info") else "warning"
        marker = r[3] if len(r) > 3 and r[3] else ""
        out.append((marker, r[0], r[1], sev))
    return tuple(out)


@lru_cache(maxsize=1)
def _desk_re() -> re.Pattern[str]:
    return re.compile(r"^\W{0,3}(?:" + "|".join(f"(?:{p})" for p in resources.lines("artefacts/desks.txt")) + r")\W{0,3}$")


@lru_cache(maxsize=1)
def _caption_lead_re() -> re.Pattern[str]:
    rows = [r for r in resources.tsv("artefacts/captions.tsv") if r]
    return re.compile("|".join(f"(?:{r[0]})" for r in rows))


# -- helpers -----------------------------------------------------------------------


def _text(doc: Document, b: Block) -> str:
    return doc.text[b.start:b.end]


def _is_credit_caption(text: str) -> bool:
    """A caption block with a credit: a 'Photo:' label, or an agency credit after some caption text.

    A bare agency credit line ("(EFE)") is a source credit, not a caption.
    """
    if len(text.split()) > 90:
        return False
    if _CREDIT_LABEL_RE.search(text):
        return True
    m = _CREDIT_TAIL_RE.search(text, max(0, len(text) - 80))
    return bool(m) and len(text[:m.start()].split()) >= 3


def _caption_like(doc: Document, b: Block) -> bool:
    """A one-sentence body paragraph that describes a picture."""
    if b.kind != BODY:
        return False
    text = _text(doc, b)
    # The anchored lead pattern first: it rules out most paragraphs, cheaper than splitting them.
    if not _caption_lead_re().match(text):
        return False
    if len(text.split()) > 45 or text[:1] in "\"“«'‘":
        return False
    # One sentence only.
    return len(_SENTENCE_END_RE.findall(text.strip())) <= 1


_SENTENCE_END_RE = re.compile(r"[.!?](?:\s+[A-Z“\"]|$)")


def _norm_words(s: str) -> list[str]:
    return _WORD_RE.findall(s.lower())


def _repeats_body(idx: int, words: list[str], bodies: "_BodyWords") -> bool:
    """The headline's words (at least 80% of them) recur in order elsewhere in the story.

    Only for a headline with six content words or more: a short line ("Discuss the abolition of the
    50+1 rule") is easily taken up by the story's own text.
    """
    n = len(words)
    if len({w for w in words if len(w) >= 4 and w not in _STOP}) < 6:
        return False
    k = max(5, math.ceil(0.8 * n))
    rest = bodies.rest(idx)
    for i in range(n - k + 1):
        if " " + " ".join(words[i:i + k]) + " " in rest:
            return True
    return False


class _BodyWords:
    """The story's body paragraphs as normalised words, each paragraph read once per story.

    Every long headline is compared with the rest of the story; rebuilding that text for each
    one read every paragraph again for each headline of a story with crossheads.
    """

    def __init__(self, doc: Document):
        self.doc = doc
        self._joined: list[tuple[int, str]] | None = None

    def rest(self, idx: int) -> str:
        """The words of every body paragraph but block ``idx``, space-separated, with a space at each end."""
        if self._joined is None:
            doc = self.doc
            joined = ((j, " ".join(_norm_words(_text(doc, b)))) for j, b in enumerate(doc.blocks) if b.kind == BODY)
            self._joined = [(j, t) for j, t in joined if t]  # a paragraph with no word adds no space
        return " " + " ".join(t for j, t in self._joined if j != idx) + " "


def _headline_sentence(words: list[str], raw: str) -> bool:
    """Looks like a headline sentence (not a two-word crosshead)."""
    if len(words) < 6:
        return False
    toks = raw.split()
    caps = sum(1 for t in toks if t[:1].isupper())
    verbish = any(w.endswith(("ed", "s")) or w in {"to", "will", "is", "are", "was", "were", "says", "urge", "ask"} for w in words[1:])
    return verbish or caps >= 0.6 * len(toks)


_STOP = frozenset(
    "the and for with from that this have has will would been were their about after over into than more says said "
    "los las una para por con como pero sobre desde entre sus del les des une pour avec dans sur par est sont der die "
    "das und mit von auf für den dem ist nach".split()
)


def _introduces_next(head: list[str], nxt: list[str]) -> bool:
    """The next paragraph takes up the line's content words: a story's own headline or a crosshead."""
    content = {w for w in head if len(w) >= 4 and w not in _STOP}
    if not content:
        return False
    following = set(nxt[:80])
    return len(content & following) >= 0.3 * len(content)


def _flag(code: str, start: int, end: int, message: str, *, severity: str | None = None, remove: bool = True) -> Finding:
    return _RULE[code].finding(start, end, message, (REMOVE,) if remove else (), severity=severity)


# -- the checks ----------------------------------------------------------------------


def _captions(doc: Document) -> Iterable[Finding]:
    html = doc.format == "html"
    caption_like = set()
    for i, b in enumerate(doc.blocks):
        if b.kind not in (BODY, HEADLINE, CAPTION):
            continue
        text = _text(doc, b)
        inline = list(_INLINE_CREDIT_RE.finditer(text))
        if b.kind == CAPTION and len(doc.blocks) > 1:
            rest = _INLINE_CREDIT_RE.sub("", text).strip() if inline else text
            if _is_credit_caption(rest) or (inline and not rest):
                yield _flag(
                    "A001", b.start, b.end,
                    "Photo caption and credit pasted between paragraphs; remove it or move it to the picture.",
                    severity="info" if html else None,
                )
                continue
        for m in inline:
            s, e = b.start + m.start(), b.start + m.end()
            if s > b.start and doc.text[s - 1] == " ":
                s -= 1  # take the space before "(Photo: ...)" with it
            yield _flag("A001", s, e, "Photo credit pasted inside the paragraph; remove it.")
        if _caption_like(doc, b):
            caption_like.add(i)
    for i in sorted(caption_like):
        neighbours = [doc.blocks[j] for j in (i - 1, i + 1) if 0 <= j < len(doc.blocks)]
        near = any(
            nb.kind == CAPTION or (nb.kind == HEADLINE and doc.blocks.index(nb) > 0) for nb in neighbours
        )
        b = doc.blocks[i]
        yield _flag(
            "A002", b.start, b.end,
            "This paragraph describes a picture: a photo caption pasted without its picture; remove it.",
            severity="warning" if near else "info",
        )


def _tagged_headline(doc: Document, b: Block) -> bool:
    """A short body line that is a headline but for its "(VIDEO)" tag."""
    if b.kind != BODY:
        return False
    raw = _text(doc, b)
    m = _TAG_RE.search(raw)
    if not m:
        return False
    head = raw[:m.start()].rstrip()
    return bool(head) and len(head.split()) <= 15 and head[-1] not in _TERMINAL


def _related_headlines(doc: Document) -> Iterable[Finding]:
    if doc.format in ("md", "html"):
        return
    blocks = doc.blocks
    bodies = _BodyWords(doc)
    for i in range(1, len(blocks) - 1):
        b = blocks[i]
        if b.kind != HEADLINE and not _tagged_headline(doc, b):
            continue
        prev, nxt = blocks[i - 1], blocks[i + 1]
        if prev.kind not in (BODY, CAPTION) or nxt.kind not in (BODY, CAPTION):
            continue
        # A headline stack at the top (title, subtitle) is not pasted.
        if not any(x.kind == BODY for x in blocks[:i]):
            continue
        raw = _text(doc, b)
        words = _norm_words(raw)
        if _repeats_body(i, words, bodies):
            yield _flag("A003", b.start, b.end,
                        "Headline of a related article pasted between paragraphs (it repeats a sentence of the story); remove it.")
        elif prev.kind == CAPTION or _caption_like(doc, prev):
            yield _flag("A003", b.start, b.end,
                        "Headline of a related article pasted after a photo caption; remove it.")
        elif _TAG_RE.search(raw):
            yield _flag("A003", b.start, b.end, "Headline of a related video or gallery pasted into the story; remove it.")
        elif _headline_sentence(words, raw) and not _introduces_next(words, _norm_words(_text(doc, nxt))):
            yield _flag("A003", b.start, b.end,
                        "Headline-like line between paragraphs: the headline of a related article, or a crosshead?",
                        severity="info")


def _read_more(doc: Document) -> Iterable[Finding]:
    rm, caps = _read_more_re(), _read_more_caps_re()
    for b in doc.blocks:
        text = _text(doc, b)
        if len(text) > 400:
            continue
        if rm.match(text) or caps.match(text):
            yield _flag("A004", b.start, b.end, "'Read more'-style link to another article pasted into the story; remove it.")


def _embeds(doc: Document) -> Iterable[Finding]:
    text = doc.text
    hits = []
    for marker, regex, label, sev in _embed_table():
        if marker and marker not in text:
            continue
        hits.extend((m, label, sev) for m in re.finditer(regex, text))
    if not hits:
        return
    hits.sort(key=lambda h: h[0].start())
    seen_blocks: set[int] = set()
    starts = [b.start for b in doc.blocks]
    for m, label, sev in hits:
        if sev == "info":
            yield _flag("A005", m.start(), m.end(), f"A bare {label} in the text: residue of an embedded post?", severity="info")
            continue
        bi = bisect.bisect_right(starts, m.start()) - 1
        b = doc.blocks[bi] if bi >= 0 else None
        if b is not None and m.start() < b.end and len(_text(doc, b).split()) <= 60:
            if bi in seen_blocks:
                continue
            seen_blocks.add(bi)
            yield _flag("A005", b.start, b.end, f"Residue of an embedded social-media post ({label}); remove it or quote the post properly.")
        else:
            yield _flag("A005", m.start(), m.end(), f"Residue of an embedded social-media post ({label}); remove it.")


def _web_residue(doc: Document) -> Iterable[Finding]:
    block_set, prefixes = _web_residue_table()
    for b in doc.blocks:
        text = _text(doc, b)
        if len(text) > 200:
            continue
        low = text.strip().lower()
        if low.rstrip(":.!… ") in block_set or low.startswith(prefixes):
            yield _flag("A006", b.start, b.end, "Web-page furniture pasted into the story; remove it.")


def _signatures(doc: Document) -> Iterable[Finding]:
    n = len(doc.blocks)
    desk = _desk_re()
    for i, b in enumerate(doc.blocks):
        if i == 0 or i < n - 3:
            continue
        text = _text(doc, b).strip()
        if len(text.split()) <= 5 and desk.match(text) and b.kind in (SIGNATURE, BODY, HEADLINE):
            yield _flag("A007", b.start, b.end,
                        f"Desk signature of the source outlet ('{text}') pasted at the end of the story; remove it or replace it with your own credit.")
        elif b.kind == SIGNATURE and _SIGN_OFF_RE.match(text) and _SIGN_OFF_NEEDS.search(text):
            yield _flag("A008", b.start, b.end,
                        "Wire sign-off for subscribers; keep the reporting credit as house style says and drop the editing credits.",
                        remove=False)


_REAL_DATELINE_RE = re.compile(r"(?:\(\s*[A-Za-z][\w .]*\)\s*\.?\s*(?:--|—|–|-|\.-)|\s(?:--|—|–|-)|\.-)\s*$")


def _datelines(doc: Document) -> Iterable[Finding]:
    seen_body = False
    for b in doc.blocks:
        if b.kind == BODY:
            lead = doc.text[b.start:b.lead_end] if b.lead_end > b.start else ""
            if lead and seen_body and _REAL_DATELINE_RE.search(lead):
                yield _flag("A009", b.start, b.lead_end,
                            "A dateline in the middle of the story: was a second story pasted in here?", remove=False)
            seen_body = True
        elif b.kind == DATELINE and seen_body:
            yield _flag("A009", b.start, b.end,
                        "A dateline in the middle of the story: was a second story pasted in here?", remove=False)


def check(doc: Document, ctx: Context) -> Iterable[Finding]:
    if not doc.blocks:
        return []
    out: list[Finding] = []
    for part in (_captions, _related_headlines, _read_more, _embeds, _web_residue, _signatures, _datelines):
        out.extend(part(doc))
    return out
