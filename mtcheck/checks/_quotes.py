"""Quote and bracket balance for the P family (P001, P002, P003 and the
quote half of P007).

One left-to-right walk per block over the quote characters, with a stack of
open quotes by family: double (“ ” „ and straight "), single (‘ ’ ‚) and
guillemets (« »). Directions are judged from the characters around each mark,
so ’ inside or after a word (Russia’s, players’) stays an apostrophe.

Across blocks, an opening quote left open at the end of a body paragraph is
accepted when the next body paragraph starts with an opening quote (the
English convention for a quotation running over several paragraphs) or when a
closing quote with nothing open comes within a few quote-free body paragraphs
(one sentence or quotation split over several lines). A headline or caption
ends any quotation. A closing quote that ends a quotation (“…,” said X) with no
quote mark before it in its paragraph is reported as info only: its opening
mark is missing somewhere earlier, not necessarily in this paragraph.

``Hit`` is the rule-agnostic result the P helpers share; ``punctuation.py``
turns hits into findings.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, NamedTuple

from .. import resources
from ..document import BODY, Document
from ..finding import Suggestion


class Hit(NamedTuple):
    """A rule-agnostic finding: the check module turns it into a Finding."""

    code: str
    start: int
    end: int
    message: str
    suggestions: tuple[Suggestion, ...] = ()
    severity: str | None = None


_QUOTE_RE = re.compile(r"[\"“”‘’«»„‚]")
_BRACKET_RE = re.compile(r"[()\[\]{}]")
_H_SPACE = " \t\u00a0\u202f\u2009"
# Characters after which a quote mark sits in opening position.
_OPEN_BEFORE = set("([{—–-/“‘«„‚\"'¿¡")
# Characters that may follow a closing quote.
_CLOSE_AFTER = set(".,;:!?)]}…—–-”’»\"'")
_DOUBLE, _SINGLE, _GUILL = "D", "S", "G"
_NEXT_WORD_RE = re.compile(r"\s*([^\W\d_]+)")
_ENUM_RE = re.compile(r"\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4}")


@lru_cache(maxsize=1)
def attribution_words() -> frozenset[str]:
    return resources.word_set("punctuation/attribution_verbs.txt")


class _Open(NamedTuple):  # not a dataclass: cheaper to define at start-up
    family: str
    char: str
    pos: int


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _prev(text: str, i: int, floor: int) -> str:
    return text[i - 1] if i > floor else ""


def _next(text: str, i: int, ceil: int) -> str:
    return text[i + 1] if i + 1 < ceil else ""


def _opening_position(prev: str, nxt: str) -> bool:
    return (_is_space(prev) or prev in _OPEN_BEFORE) and not _is_space(nxt)


def _closing_position(prev: str, nxt: str) -> bool:
    return not _is_space(prev) and (_is_space(nxt) or nxt in _CLOSE_AFTER)


def _next_word(text: str, i: int, ceil: int) -> str:
    m = _NEXT_WORD_RE.match(text, i, min(ceil, i + 40))
    return m.group(1).lower() if m else ""


class BlockQuotes(NamedTuple):  # not a dataclass: cheaper to define at start-up
    """What one block leaves open or closes without an opening."""

    unclosed: list[_Open]
    strays: list[_Open]  # closing marks with nothing open
    first_opener: _Open | None  # an opening mark at the very start of the block


def _scan_block(text: str, start: int, end: int, hits: list[Hit]) -> BlockQuotes:
    stack: list[_Open] = []
    strays: list[_Open] = []
    first_opener: _Open | None = None
    lead = start
    while lead < end and text[lead] in _H_SPACE:
        lead += 1
    # A list, so a doubled opening quote can look ahead for a closing one.
    matches = list(_QUOTE_RE.finditer(text, start, end))
    for idx, m in enumerate(matches):
        i = m.start()
        ch = m.group()
        prev, nxt = _prev(text, i, start), _next(text, i, end)
        top = stack[-1] if stack else None

        if ch in "’‘‚":
            if prev.isalnum() and nxt.isalnum():
                if ch == "‘":
                    hits.append(Hit("P003", i, i + 1,
                                    "Opening quote ‘ used as an apostrophe inside a word; the apostrophe is ’.",
                                    (Suggestion("’", "safe"),)))
                continue  # apostrophe: Russia’s, don’t
            if ch == "’":
                if top is not None and top.family == _SINGLE and not nxt.isalnum():
                    stack.pop()
                continue  # otherwise an apostrophe: players’, ’90s
            # ‘ or ‚
            if nxt.isdigit():
                continue  # ‘90s: a misdirected apostrophe, not a quotation
            if top is not None and top.family == _SINGLE and (top.char == "‚" and ch == "‘"):
                stack.pop()
                continue
            if top is not None and top.family == _SINGLE and _closing_position(prev, nxt) \
                    and not _opening_position(prev, nxt):
                hits.append(Hit("P003", i, i + 1,
                                "Opening quote ‘ where the quotation closes; the closing quote is ’.",
                                (Suggestion("’", "safe"),)))
                stack.pop()
                continue
            op = _Open(_SINGLE, ch, i)
            stack.append(op)
            if i == lead and first_opener is None:
                first_opener = op
            continue

        if ch in "«»":
            k = _find(stack, _GUILL)
            # German reverses them (»Smart Stone«): the mark's position decides.
            reversed_open = ch == "»" and k is None and _opening_position(prev, nxt) \
                and not _closing_position(prev, nxt)
            closes = k is not None and (stack[k].char != ch) and not reversed_open
            if closes:
                del stack[k:]
            elif ch == "«" or reversed_open:
                op = _Open(_GUILL, ch, i)
                stack.append(op)
                if i == lead and first_opener is None:
                    first_opener = op
            else:
                strays.append(_Open(_GUILL, ch, i))
            continue

        if ch == "\"":
            opening = _opening_position(prev, nxt) and not _closing_position(prev, nxt)
            if top is not None and top.family == _DOUBLE and (top.char == "\"" or not opening):
                # Straight quotes pair in order, whatever their look: a nested
                # pair ("the "motto" of") and an unclosed one cannot be told apart.
                stack.pop()
                continue
            at_end = nxt == ""  # nothing can open at the end of a paragraph
            if (at_end or _closing_position(prev, nxt) and not _opening_position(prev, nxt)) \
                    and _find(stack, _DOUBLE) is None:
                strays.append(_Open(_DOUBLE, ch, i))
                continue
            op = _Open(_DOUBLE, ch, i)
            stack.append(op)
            if i == lead and first_opener is None:
                first_opener = op
            continue

        if ch == "“":
            if top is not None and top.family == _DOUBLE and top.char == "„":
                stack.pop()  # German „…“
                continue
            if top is not None and top.family == _DOUBLE and top.char == "“":
                closes_later = _closer_follows(matches, idx + 1, text, start, end)
                if _closing_position(prev, nxt) and not _opening_position(prev, nxt):
                    hits.append(Hit("P003", i, i + 1,
                                    "Opening quote “ where the quotation closes; the closing quote is ”.",
                                    (Suggestion("”", "safe"),)))
                    stack.pop()
                    continue
                if not closes_later:
                    word = _next_word(text, i + 1, end)
                    # "Romania “said the ministry": an attribution follows, so it closes.
                    sure = word in attribution_words() or prev in ",.!?" or text[i - 2:i - 1] in (",", ".", "!", "?")
                    hits.append(Hit("P003", i, i + 1,
                                    "Opening quote “ where the quotation opened earlier should close; "
                                    "the closing quote is ”.",
                                    (Suggestion("”", "safe" if sure else "unsafe"),)))
                    stack.pop()
                    continue
                # The earlier opening quote is never closed; this one starts anew.
                hits.append(Hit("P001", top.pos, top.pos + 1,
                                "Opening quote “ is never closed before the next quotation opens."))
                stack[-1] = _Open(_DOUBLE, ch, i)
                continue
            op = _Open(_DOUBLE, ch, i)
            stack.append(op)
            if i == lead and first_opener is None:
                first_opener = op
            continue

        if ch == "„":
            op = _Open(_DOUBLE, ch, i)
            stack.append(op)
            if i == lead and first_opener is None:
                first_opener = op
            continue

        # ch == "”"
        k = _find(stack, _DOUBLE)
        if k is not None:
            del stack[k:]
            continue
        if _opening_position(prev, nxt) and (nxt.isalnum() or nxt in "¿¡'‘"):
            balanced = _closer_follows(matches, idx + 1, text, start, end, closing_only=True)
            hits.append(Hit("P003", i, i + 1,
                            "Closing quote ” used to open a quotation; the opening quote is “.",
                            (Suggestion("“", "safe" if balanced else "unsafe"),)))
            op = _Open(_DOUBLE, "“", i)
            stack.append(op)
            if i == lead and first_opener is None:
                first_opener = op
            continue
        strays.append(_Open(_DOUBLE, ch, i))

    return BlockQuotes(stack, strays, first_opener)


def _is_smiley(text: str, i: int, floor: int, ceil: int) -> bool:
    """:) ;-( =) and (: are emoticons, not brackets."""
    if i > floor and text[i - 1] in ":;=":
        return True
    if i - 2 >= floor and text[i - 2:i] in (":-", ";-"):
        return True
    if text[i] == "(" and text[max(floor, i - 2):i] == ": " and (i + 1 == ceil or text[i + 1].isspace()):
        return True  # "too small: ("
    return i + 1 < ceil and text[i + 1] in ":;" and (i == floor or text[i - 1].isspace())


def _is_enumerator(text: str, i: int, floor: int) -> bool:
    """A list marker before ")": "a) ... b) ...", "1) ...", "iii)"."""
    j = i
    while j > floor and text[j - 1].isalnum() and i - j <= 4:
        j -= 1
    return (j == floor or text[j - 1].isspace() or text[j - 1] in "(,;:") and bool(_ENUM_RE.fullmatch(text, j, i))


def _find(stack: list[_Open], family: str) -> int | None:
    for k in range(len(stack) - 1, -1, -1):
        if stack[k].family == family:
            return k
    return None


def _closer_follows(matches, idx: int, text: str, start: int, end: int, *, closing_only: bool = False) -> bool:
    """Whether a double closing quote comes later in the block."""
    for m in matches[idx:]:
        ch = m.group()
        if ch == "”":
            return True
        if ch == "\"" and not closing_only:
            i = m.start()
            if _closing_position(_prev(text, i, start), _next(text, i, end)):
                return True
        if ch == "“" and not closing_only:
            return False  # another opening: this one is not closed before it
    return False


_FAMILY_NAME = {_DOUBLE: "quote", _SINGLE: "single quote", _GUILL: "guillemet"}


# A quotation left open may be closed this many quote-free body paragraphs later
# (one sentence or quotation split over several lines).
_MAX_GAP = 3


def quote_hits(doc: Document) -> tuple[list[Hit], set[int]]:
    """P001/P003 hits, and the indexes of blocks left with an open quote."""
    text = doc.text
    hits: list[Hit] = []
    open_blocks: set[int] = set()
    carry: list[_Open] = []
    carry_block = -1
    gap = 0

    def drop_carry() -> None:
        for op in carry:
            _unclosed(hits, op)
            open_blocks.add(carry_block)
        carry.clear()

    for bi, block in enumerate(doc.blocks):
        is_body = block.kind == BODY
        has_quotes = _QUOTE_RE.search(text, block.start, block.end) is not None
        if not is_body:
            drop_carry()  # a headline or caption ends any quotation
        elif not has_quotes:
            gap += 1
            if gap > _MAX_GAP:
                drop_carry()
            continue
        if not has_quotes:
            continue
        res = _scan_block(text, block.body_start, block.end, hits)
        if carry:
            for op in list(carry):
                fo = res.first_opener
                if gap == 0 and fo is not None and fo.family == op.family:
                    carry.remove(op)  # “…  /  “…: the quotation runs on
                    continue
                k = next((j for j, st in enumerate(res.strays) if st.family == op.family), None)
                if k is not None:
                    del res.strays[k]  # one sentence split over several blocks
                    carry.remove(op)
            drop_carry()
        for st in res.strays:
            name = _FAMILY_NAME[st.family]
            if _ends_quotation(text, st, block.body_start):
                # “…,” said X with nothing opened before it: the quotation began
                # in an earlier paragraph whose opening mark is missing.
                hits.append(Hit("P001", st.pos, st.pos + 1,
                                f"Closing {name} {st.char} ends a quotation whose opening {name} is missing "
                                "(it may have opened in an earlier paragraph).", (), "info"))
                continue
            hits.append(Hit("P001", st.pos, st.pos + 1,
                            f"Closing {name} {st.char} has no opening {name} in this paragraph."))
        pending = [op for op in res.unclosed
                   # ’ may have closed a single quote: too ambiguous with apostrophes
                   if not (op.family == _SINGLE and "’" in text[op.pos:block.end])]
        if is_body:
            carry[:] = pending
            carry_block, gap = bi, 0
        else:
            for op in pending:
                _unclosed(hits, op)
                open_blocks.add(bi)
    drop_carry()
    return hits, open_blocks


_QUOTATION_END = set(",.!?…")


def _ends_quotation(text: str, st: _Open, start: int) -> bool:
    """A stray closer ending a quotation (“…,” said / “…”, said / “…”.), no quote mark before it."""
    j = st.pos
    while j > start and text[j - 1] == " ":
        j -= 1  # fun. "  (tokenized)
    before = text[j - 1] if j > start else ""
    after = text[st.pos + 1:st.pos + 2]
    return ((before in _QUOTATION_END and before != "") or (after != "" and after in ",.;:")) \
        and not _QUOTE_RE.search(text, start, st.pos)


def _unclosed(hits: list[Hit], op: _Open) -> None:
    name = _FAMILY_NAME[op.family]
    hits.append(Hit("P001", op.pos, op.pos + 1, f"Opening {name} {op.char} is never closed in this paragraph."))


def bracket_hits(doc: Document) -> Iterator[Hit]:
    """P002: brackets left open or closed without an opening, per block."""
    text = doc.text
    pairs = {")": "(", "]": "[", "}": "{"}
    for block in doc.blocks:
        stack: list[tuple[str, int]] = []
        for m in _BRACKET_RE.finditer(text, block.start, block.end):
            i, ch = m.start(), m.group()
            if ch in "()" and _is_smiley(text, i, block.start, block.end):
                continue
            if ch in "([{":
                stack.append((ch, i))
                continue
            want = pairs[ch]
            k = next((j for j in range(len(stack) - 1, -1, -1) if stack[j][0] == want), None)
            if k is None:
                if ch == ")" and _is_enumerator(text, i, block.start):
                    continue  # list enumerators: "a) ... b) ..."
                yield Hit("P002", i, i + 1, f"Closing bracket {ch} has no opening {want} in this paragraph.")
                continue
            for och, oi in stack[k + 1:]:
                yield Hit("P002", oi, oi + 1,
                          f"Bracket {och} is never closed before {ch} closes an outer {want}.")
            del stack[k:]
        for och, oi in stack:
            yield Hit("P002", oi, oi + 1, f"Opening bracket {och} is never closed in this paragraph.")
