"""Runs the checks on a document and turns raw findings into final ones.

Order: run the selected check modules; drop what inline suppressions, the
accept list and per-file ignores cover; merge duplicates (one span, one
finding); apply severity overrides; map offsets back to the file and fill in
line, column and text; sort by position.
"""
from __future__ import annotations

from functools import lru_cache
from types import ModuleType
from typing import Iterable, Sequence

from . import rules as registry
from .context import Context
from .document import Document
from .finding import SEVERITY_RANK, Finding, Suggestion

FAMILY_ORDER = "UNCPFSRA"


@lru_cache(maxsize=64)
def _verdicts(names: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
              target_lang: str) -> tuple[dict[str, bool], dict[str, bool]]:
    """Two memos, filled by ``run``: whether a code is wanted, whether a module has a wanted rule.

    Both depend only on these arguments, and a run asks about every rule of every module
    (~220 codes with ``select=<family>``), so they are kept across runs.
    """
    return {}, {}


@lru_cache(maxsize=16)
def _modules(names: tuple[str, ...]) -> tuple[list[ModuleType], dict[str, registry.Rule]]:
    """The check modules of ``names`` and their rules by code, built once per set of modules
    (a story with a source runs two more) instead of once per story."""
    modules = [registry.check_module(name) for name in names]
    rules: dict[str, registry.Rule] = {}
    for module in modules:
        rules.update((r.code, r) for r in module.RULES)
    return modules, rules


def _suppressed(f: Finding, doc: Document) -> bool:
    for s in doc.suppressions:
        if s.start <= f.start < s.end and (not s.codes or any(f.code.startswith(c) for c in s.codes)):
            return True
    return False


def _merge(findings: list[Finding]) -> list[Finding]:
    """One span, one finding: for the same span keep the most severe (then most specific)."""
    best: dict[tuple[int, int, str], Finding] = {}
    for f in findings:
        key = (f.start, f.end, f.family)
        cur = best.get(key)
        if cur is None or (SEVERITY_RANK[f.severity], len(f.suggestions)) > (SEVERITY_RANK[cur.severity], len(cur.suggestions)):
            best[key] = f
    # Across families, an identical span keeps only its most severe finding.
    by_span: dict[tuple[int, int], Finding] = {}
    for f in best.values():
        key = (f.start, f.end)
        cur = by_span.get(key)
        if cur is None or (SEVERITY_RANK[f.severity], -FAMILY_ORDER.index(f.family)) > (
            SEVERITY_RANK[cur.severity],
            -FAMILY_ORDER.index(cur.family),
        ):
            by_span[key] = f
    return list(by_span.values())


def finalise(f: Finding, doc: Document) -> Finding:
    """Map a plain-text finding to file offsets, line/column and the file's text."""
    fs, fe = doc.to_file(f.start, f.end)
    line, col = doc.line_col(fs)
    end_line, end_col = doc.line_col(fe)
    suggestions = f.suggestions
    if suggestions and not doc.fixable_span(f.start, f.end):
        # Markup inside the span: a rewrite could not land exactly; never auto-apply.
        suggestions = tuple(Suggestion(s.replacement, "unsafe") for s in suggestions)
    return f.with_(
        start=fs,
        end=fe,
        line=line,
        column=col,
        end_line=end_line,
        end_column=end_col,
        text=doc.source[fs:fe],
        filename=doc.filename,
        suggestions=suggestions,
    )


def run(
    doc: Document,
    ctx: Context,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> list[Finding]:
    """All final findings for one document."""
    config = ctx.config
    select = tuple(select) or tuple(config.select)
    ignore = tuple(ignore) + tuple(config.ignore) + tuple(config.ignored_for(doc.filename))
    # The modules that can find something here (see registry.NEEDS), and their rules.
    names = tuple(
        name for name in registry.CHECK_MODULES
        if registry.NEEDS.get(name) is None or getattr(ctx, registry.NEEDS[name]) is not None
    )
    modules, rules = _modules(names)

    code_verdicts, module_verdicts = _verdicts(names, select, ignore, ctx.target_lang)

    def wanted(code: str) -> bool:
        verdict = code_verdicts.get(code)
        if verdict is None:
            verdict = code_verdicts[code] = _wanted(code)
        return verdict

    def _wanted(code: str) -> bool:
        rule = rules.get(code)
        if rule is None:
            rule = registry.all_rules().get(code)  # another module's code (none does this today)
        if rule is None or not registry.selected(code, select, ignore):
            return False
        return not rule.target_langs or ctx.target_lang in rule.target_langs

    raw: list[Finding] = []
    for name, module in zip(names, modules):
        active = module_verdicts.get(name)
        if active is None:
            active = module_verdicts[name] = any(wanted(r.code) for r in module.RULES)
        if active:
            raw.extend(f for f in module.check(doc, ctx) if wanted(f.code))

    accept = {a.casefold() for a in config.accept}
    kept = []
    for f in raw:
        if f.start < 0 or f.end > len(doc.text) or f.end < f.start:
            continue  # a check bug must not crash the run or point outside the file
        if _suppressed(f, doc):
            continue
        if accept and doc.text[f.start:f.end].casefold() in accept:
            continue
        sev = config.severity_for(f.code, f.severity)
        if sev == "off":
            continue
        kept.append(f if sev == f.severity else f.with_(severity=sev))

    out = [finalise(f, doc) for f in _merge(kept)]
    out.sort(key=lambda f: (f.start, f.end, f.code))
    return out


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity] += 1
    return counts
