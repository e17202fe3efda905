"""The rule registry: one entry per rule code, shared by every surface.

`mtcheck rules`, `mtcheck explain`, the SARIF rule table and the example tests
are all generated from :func:`all_rules`. Each check module under
``mtcheck/checks/`` declares ``RULES`` (a list of :class:`Rule`) and
``check(doc, ctx)``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from types import ModuleType
from typing import Callable, Iterable, NamedTuple, Sequence

from .finding import Finding, Suggestion

# Check modules, in the order they run. A family may span several modules.
CHECK_MODULES: tuple[str, ...] = (
    "untranslated",
    "names",
    "calques",
    "artefacts",
    "punctuation",
    "fluency",
    "source",
    "reference",
)

# Modules with nothing to check unless the story comes with another text: the
# Context attribute that must hold it. The engine does not even import them
# without it (source.py and reference.py pull in alignment, number reading and
# statistics: ~20 ms of a cold start); the registry still lists their rules.
NEEDS: dict[str, str] = {"source": "source_doc", "reference": "reference_doc"}

FAMILIES = {
    "U": "untranslated source language",
    "N": "names and entities",
    "C": "calques, false friends and MT grammar patterns",
    "P": "punctuation and typography",
    "F": "fluency against the reference model",
    "S": "source-aware",
    "R": "reference-aware",
    "A": "wire artefacts",
}
CODE_RE = re.compile(r"^[UNCPFSRA]\d{3}$")


class Example(NamedTuple):
    """A text a rule must flag (``flags=True``) or must leave alone.

    A NamedTuple, not a frozen dataclass: one is cheaper to define at start-up.
    """

    text: str
    flags: bool
    target_lang: str = "en"
    source_lang: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    summary: str
    description: str = ""
    fix: str = "never"  # "always", "sometimes" or "never": whether a safe fix is offered
    examples: tuple[Example, ...] = ()
    target_langs: tuple[str, ...] = ()  # empty: every language
    tags: tuple[str, ...] = field(default=(), compare=False)

    @property
    def family(self) -> str:
        return self.code[0]

    @property
    def fixable(self) -> bool:
        return self.fix != "never"

    def finding(
        self,
        start: int,
        end: int,
        message: str | None = None,
        suggestions: Iterable[Suggestion] = (),
        *,
        severity: str | None = None,
        confidence: float | None = None,
        **extra,
    ) -> Finding:
        """A finding of this rule over plain-text offsets [start, end)."""
        return Finding(
            code=self.code,
            name=self.name,
            severity=severity or self.severity,
            message=message or self.summary,
            start=start,
            end=end,
            suggestions=tuple(suggestions),
            confidence=confidence,
            extra=extra,
        )


def flag(text: str, **kw) -> Example:
    return Example(text, True, **kw)


def ok(text: str, **kw) -> Example:
    return Example(text, False, **kw)


def safe(replacement: str) -> Suggestion:
    return Suggestion(replacement, "safe")


def unsafe(replacement: str) -> Suggestion:
    return Suggestion(replacement, "unsafe")


def check_module(name: str) -> ModuleType:
    """One module of CHECK_MODULES."""
    return import_module(f"mtcheck.checks.{name}")


@lru_cache(maxsize=1)
def check_modules() -> tuple[ModuleType, ...]:
    return tuple(check_module(name) for name in CHECK_MODULES)


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for module in check_modules():
        for rule in module.RULES:
            if not CODE_RE.match(rule.code):
                raise ValueError(f"bad rule code {rule.code!r} in {module.__name__}")
            if rule.code in rules:
                raise ValueError(f"duplicate rule code {rule.code}")
            rules[rule.code] = rule
    return dict(sorted(rules.items()))


def get(code: str) -> Rule | None:
    return all_rules().get(code.upper())


def selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """ruff-style selection: the longest matching prefix wins; ``ALL`` matches all."""
    def best(prefixes: Sequence[str]) -> int:
        n = -1
        for p in prefixes:
            p = p.upper()
            if p == "ALL":
                n = max(n, 0)
            elif code.startswith(p):
                n = max(n, len(p))
        return n

    s, i = best(select or ("ALL",)), best(ignore)
    return s >= 0 and s > i


CheckFn = Callable[..., Iterable[Finding]]
