"""Which language a story was machine-translated from, when nobody said.

Evidence, strongest first: the ``--source-lang`` option or config; credit
lines and datelines naming an agency ("(EFE)", "(dpa)", "(ANSA)": table
``corpora/agencies.tsv``); then word-level evidence that the U family
registers through :func:`register_evidence`. The answer is cached on the
Context so every family sees the same one.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Callable

from . import resources
from .context import Context
from .document import Document

_CACHE_KEY = "source_lang_inferred"
# Extra evidence providers: fn(doc, ctx) -> Counter of language -> weight.
_EVIDENCE: list[Callable[[Document, Context], Counter]] = []


def register_evidence(fn: Callable[[Document, Context], Counter]) -> None:
    if fn not in _EVIDENCE:
        _EVIDENCE.append(fn)


@lru_cache(maxsize=1)
def _agency_re() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {row[0]: row[1] for row in resources.tsv("agencies.tsv") if len(row) >= 2}
    names = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
    return pattern, table


def agency_evidence(doc: Document) -> Counter:
    """Agency names outside photo captions (a photo agency says nothing about the text)."""
    from .document import CAPTION

    pattern, table = _agency_re()
    votes: Counter = Counter()
    for block in doc.blocks:
        if block.kind == CAPTION:
            continue
        for m in pattern.finditer(doc.text, block.start, block.end):
            votes[table[m.group(1)]] += 1
    return votes


def source_language(doc: Document, ctx: Context) -> str | None:
    """The source language: given, or inferred (cached on ``ctx``); None when unknown."""
    if ctx.source_lang:
        return ctx.source_lang
    if _CACHE_KEY in ctx.services:
        return ctx.services[_CACHE_KEY]
    votes = agency_evidence(doc)
    for fn in _EVIDENCE:
        votes.update(fn(doc, ctx))
    votes.pop(ctx.target_lang, None)
    best = votes.most_common(1)[0][0] if votes else None
    ctx.services[_CACHE_KEY] = best
    if best:
        ctx.language_origin.setdefault("source", "inferred")
    return best
