"""C: calques, false friends and MT grammar patterns, as data.

Every rule lives in ``corpora/rules/<target>.toml`` (format:
``corpora/rules/README.md``); this module only loads the files, registers one
:class:`~mtcheck.rules.Rule` per entry and runs all the patterns of the
story's target language in one indexed pass (:class:`mtcheck.patterns.Matcher`).

Gating, in order: the target language picks the file; a rule runs when its
``sources`` include "any" or the story's source language (given, or inferred by
:func:`mtcheck.srclang.source_language`; a file may name a ``default_source``
for stories whose source nobody knows); when an aligned source text is
available (``ctx.source_doc``) a rule with ``source_trigger`` also needs that
regular expression to occur in it; a rule with ``source_required = true`` runs
only then. A finding must sit in a block of one of the rule's ``blocks`` kinds.
"""
from __future__ import annotations

import bisect
import re
import sys
from functools import lru_cache
from typing import Any, Iterable, Mapping, NamedTuple

from .. import mirrors, resources
from .. import patterns as P
from ..context import Context
from ..document import BLOCK_KINDS, BODY, HEADLINE, Document
from ..finding import Finding, Suggestion
from ..rules import Example, Rule
from ..srclang import source_language

RULE_FILES = ("en", "es", "fr")  # corpora/rules/<target>.toml
SOURCE_LANGS = ("es", "fr", "pt", "de", "it", "en", "any")
LANG_NAMES = {
    "es": "Spanish", "fr": "French", "pt": "Portuguese", "de": "German", "it": "Italian", "en": "English", "any": "any",
}
SEVERITIES = ("warning", "info", "error")
DEFAULT_BLOCKS = (BODY, HEADLINE)
_RULE_KEYS = {
    "code", "name", "severity", "sources", "message", "summary", "description", "pattern", "patterns",
    "suggest", "fix", "blocks", "not_before", "not_after", "source_trigger", "source_required", "flag", "ok",
}
_CODE_RE = re.compile(r"^C\d{3}$")
_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class RulesFileError(ValueError):
    """A rules file that does not follow corpora/rules/README.md."""


class RuleSpec(NamedTuple):
    """One data rule, as written in the file (patterns compile lazily).

    The records here are NamedTuples, not dataclasses: defining a dataclass
    costs a millisecond or two of every cold start.
    """

    target: str
    code: str
    name: str
    severity: str
    sources: tuple[str, ...]
    message: str
    summary: str
    description: str
    patterns: tuple[str, ...]
    suggest: tuple[str, ...]
    fix: str
    blocks: tuple[str, ...]
    not_before: tuple[str, ...]
    not_after: tuple[str, ...]
    source_trigger: str | None
    source_required: bool
    flag: tuple[Example, ...]
    ok: tuple[Example, ...]

    def applies_to(self, source: str | None) -> bool:
        return "any" in self.sources or (source is not None and source in self.sources)


def _as_tuple(value: Any, what: str, where: str) -> tuple:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(value)
    raise RulesFileError(f"{where}: {what} must be a string or a list")


def _examples(raw: Any, flags: bool, target: str, default_src: str | None, where: str) -> tuple[Example, ...]:
    out = []
    for item in _as_tuple(raw, "flag/ok", where):
        if isinstance(item, str):
            out.append(Example(item, flags, target_lang=target, source_lang=default_src))
        elif isinstance(item, dict):
            if "text" not in item:
                raise RulesFileError(f"{where}: an example table needs 'text'")
            src = item.get("source", default_src)
            if src in ("", "none"):
                src = None
            out.append(Example(item["text"], flags, target_lang=target, source_lang=src, note=item.get("note", "")))
        else:
            raise RulesFileError(f"{where}: examples are strings or {{text=..., source=...}} tables")
    return tuple(out)


def parse_rules_file(data: Mapping[str, Any], target: str, origin: str = "") -> tuple[dict, list[RuleSpec]]:
    """Validate one parsed rules file; returns (file settings, rules)."""
    where0 = origin or f"corpora/rules/{target}.toml"
    if data.get("target", target) != target:
        raise RulesFileError(f"{where0}: target = {data.get('target')!r} but the file is for {target!r}")
    settings = {
        "default_source": data.get("default_source"),
        "classes": data.get("classes", {}),
        "gerunds": data.get("gerunds", {}),
    }
    specs: list[RuleSpec] = []
    for i, r in enumerate(data.get("rule", [])):
        where = f"{where0}: rule #{i + 1} ({r.get('code', '?')})"
        unknown = set(r) - _RULE_KEYS
        if unknown:
            raise RulesFileError(f"{where}: unknown keys {sorted(unknown)}")
        for key in ("code", "name", "severity", "sources", "message"):
            if key not in r:
                raise RulesFileError(f"{where}: missing '{key}'")
        if ("pattern" in r) == ("patterns" in r):
            raise RulesFileError(f"{where}: give exactly one of 'pattern' or 'patterns'")
        code, name, sev = r["code"], r["name"], r["severity"]
        if not _CODE_RE.match(code):
            raise RulesFileError(f"{where}: code must look like C001")
        if not _NAME_RE.match(name):
            raise RulesFileError(f"{where}: name must be kebab-case")
        if sev not in SEVERITIES:
            raise RulesFileError(f"{where}: severity must be one of {SEVERITIES}")
        sources = _as_tuple(r["sources"], "sources", where)
        if not sources or any(s not in SOURCE_LANGS for s in sources):
            raise RulesFileError(f"{where}: sources must be a list of {SOURCE_LANGS}")
        fix = r.get("fix", "unsafe")
        if fix not in ("safe", "unsafe"):
            raise RulesFileError(f"{where}: fix must be 'safe' or 'unsafe'")
        blocks = _as_tuple(r.get("blocks"), "blocks", where) or DEFAULT_BLOCKS
        if any(b not in BLOCK_KINDS for b in blocks):
            raise RulesFileError(f"{where}: blocks must be among {BLOCK_KINDS}")
        default_src = None if "any" in sources else sources[0]
        flag = _examples(r.get("flag"), True, target, default_src, where)
        ok = _examples(r.get("ok"), False, target, default_src, where)
        if not flag or not ok:
            raise RulesFileError(f"{where}: needs at least one 'flag' and one 'ok' example")
        message = r["message"].strip()
        summary = r.get("summary") or re.sub(r"\{[^}]*\}", "…", message)
        specs.append(
            RuleSpec(
                target=target,
                code=code,
                name=name,
                severity=sev,
                sources=sources,
                message=message,
                summary=summary.strip(),
                description=r.get("description", "").strip(),
                patterns=_as_tuple(r.get("pattern", r.get("patterns")), "pattern", where),
                suggest=_as_tuple(r.get("suggest"), "suggest", where),
                fix=fix,
                blocks=blocks,
                not_before=_as_tuple(r.get("not_before"), "not_before", where),
                not_after=_as_tuple(r.get("not_after"), "not_after", where),
                source_trigger=r.get("source_trigger"),
                source_required=bool(r.get("source_required", False)),
                flag=flag,
                ok=ok,
            )
        )
    return settings, specs


MIRROR_FORMAT = 2  # what rules/compiled/*.json hold (see mtcheck.mirrors.fingerprint)


def mirror_path(target: str) -> str:
    """The compiled mirror of ``rules/<target>.toml``, under corpora/."""
    return f"rules/compiled/{target}.json"


def _toml_loads(text: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib.loads(text)


@lru_cache(maxsize=None)
def _source(target: str) -> tuple[bytes, dict | None] | None:
    """The bytes of ``rules/<target>.toml`` and its mirror's data when the mirror is
    fresh (None when there is no such file)."""
    path = resources.path(f"rules/{target}.toml")
    if not path.exists():
        return None
    raw = path.read_bytes()
    return raw, mirrors.read(mirror_path(target), mirrors.fingerprint([(path.name, raw)], MIRROR_FORMAT))


def read_rules_data(target: str) -> dict | None:
    """The parsed ``rules/<target>.toml`` (None when there is no such file)."""
    src = _source(target)
    return None if src is None else _toml_loads(src[0].decode("utf-8"))


def _dump_spec(spec: RuleSpec) -> list:
    """A validated rule as a row of the mirror (its tuples as lists)."""
    *fields, flag, ok = spec
    return [*(list(v) if isinstance(v, tuple) else v for v in fields),
            [list(e) for e in flag], [list(e) for e in ok]]


def _load_spec(row: list) -> RuleSpec:
    *fields, flag, ok = row
    return RuleSpec(*(tuple(v) if isinstance(v, list) else v for v in fields),
                    tuple(Example(*e) for e in flag), tuple(Example(*e) for e in ok))


def mirror_text(target: str) -> str:
    """The up-to-date mirror of ``rules/<target>.toml``: its settings and validated
    rules (tomllib and the validation cost ~20 ms at every start), and the anchor of
    every pattern (so that a run compiles only the patterns a story can match).
    Raises :class:`RulesFileError` on an invalid file: an invalid file is never mirrored."""
    path = resources.path(f"rules/{target}.toml")
    raw = path.read_bytes()
    settings, specs = parse_rules_file(_toml_loads(raw.decode("utf-8")), target)
    rs = compile_specs(specs, settings, target)
    anchors: dict[str, list[list[str]]] = {}
    for e in rs.matcher.entries:
        anchors.setdefault(e.key, []).append(sorted(e.anchor))
    data = {"settings": settings, "rules": [_dump_spec(s) for s in specs], "anchors": anchors}
    return mirrors.dumps(
        mirrors.fingerprint([(path.name, raw)], MIRROR_FORMAT), data,
        f"Generated from rules/{target}.toml by `python -m mtcheck.mirrors`; do not edit.",
    )


def build_cache(targets: Iterable[str] = RULE_FILES) -> list[str]:
    """(Re)write the mirrors of the rules files; returns the paths written."""
    return [mirrors.write(mirror_path(t), mirror_text(t)) for t in targets
            if resources.path(f"rules/{t}.toml").exists()]


def cache_is_fresh(target: str) -> bool:
    """Whether the mirror of ``rules/<target>.toml`` is what a rebuild would write."""
    if not resources.path(f"rules/{target}.toml").exists():
        return True
    p = resources.path(mirror_path(target))
    return p.exists() and p.read_text(encoding="utf-8") == mirror_text(target)


@lru_cache(maxsize=None)
def load_file(target: str) -> tuple[dict, tuple[RuleSpec, ...]]:
    """The settings and rules of ``rules/<target>.toml``.

    From the file's compiled mirror (``rules/compiled/<target>.json``, see
    :mod:`mtcheck.mirrors`) when it matches the TOML bytes: it holds them
    already validated. A stale or missing mirror only costs time: the TOML is
    then parsed and validated here.
    """
    src = _source(target)
    if src is None:
        return {"default_source": None, "classes": {}, "gerunds": {}}, ()
    raw, stored = src
    if stored is not None:
        return stored["settings"], tuple(_load_spec(row) for row in stored["rules"])
    settings, specs = parse_rules_file(_toml_loads(raw.decode("utf-8")), target)
    return settings, tuple(specs)


def all_specs() -> list[RuleSpec]:
    out: list[RuleSpec] = []
    for target in RULE_FILES:
        out.extend(load_file(target)[1])
    return out


def _to_rule(spec: RuleSpec) -> Rule:
    langs = "any source language" if "any" in spec.sources else ", ".join(LANG_NAMES[s] for s in spec.sources)
    parts = []
    if spec.description:
        parts.append(spec.description)
    parts.append(f"Applies to: {langs} into {LANG_NAMES.get(spec.target, spec.target)}.")
    parts.append("Pattern: " + " ; ".join(f"`{p}`" for p in spec.patterns))
    if spec.suggest:
        parts.append("Suggests: " + " / ".join(f"`{s}`" for s in spec.suggest) + f" ({spec.fix}).")
    return Rule(
        code=spec.code,
        name=spec.name,
        severity=spec.severity,
        summary=spec.summary,
        description="\n".join(parts),
        fix="always" if spec.fix == "safe" and spec.suggest else "never",
        examples=spec.flag + spec.ok,
        target_langs=(spec.target,),
        tags=("calque",) + tuple(f"source:{s}" for s in spec.sources),
    )


def _build_rules() -> list[Rule]:
    rules, seen = [], set()
    for spec in all_specs():
        if spec.code in seen:
            raise RulesFileError(f"corpora/rules: duplicate code {spec.code}")
        seen.add(spec.code)
        rules.append(_to_rule(spec))
    return rules


RULES: list[Rule] = _build_rules()
_REGISTERED = {r.code: r for r in RULES}


# -- compiled rule sets ----------------------------------------------------------


class _Compiled(NamedTuple):
    spec: RuleSpec
    trigger: re.Pattern | None
    rule: Rule


class RuleSet(NamedTuple):
    """Everything needed to run one target language's rules."""

    target: str
    default_source: str | None
    table: P.ClassTable
    gerunds: dict[str, str]
    matcher: P.Matcher
    rules: dict[str, _Compiled]


def compile_specs(
    specs: Iterable[RuleSpec],
    settings: Mapping[str, Any],
    target: str,
    anchors: Mapping[str, list[list[str]]] | None = None,
) -> RuleSet:
    """The rule set of ``specs``, every pattern compiled and checked.

    ``anchors`` (from the rules file's mirror, which was checked when built):
    each rule's pattern anchors; those rules' patterns then compile on first
    use instead (:class:`mtcheck.patterns.DeferredEntry`).
    """
    table = P.ClassTable.from_data(settings.get("classes", {}))
    entries: list[P.Entry | P.DeferredEntry] = []
    compiled: dict[str, _Compiled] = {}
    for spec in specs:
        stored = anchors.get(spec.code) if anchors is not None else None
        try:
            if stored is not None and len(stored) == len(spec.patterns):
                entries.extend(P.DeferredEntry(spec.code, src, table, frozenset(words), spec.not_before, spec.not_after)
                               for src, words in zip(spec.patterns, stored))
            else:
                nb = tuple(P.compile_pattern(s, table) for s in spec.not_before)
                na = tuple(P.compile_pattern(s, table) for s in spec.not_after)
                caps: set[str] = set()
                for src in spec.patterns:
                    pat = P.compile_pattern(src, table)
                    caps |= pat.captures
                    entries.append(P.Entry(spec.code, pat, nb, na))
                for t in spec.suggest + (spec.message,):
                    P.check_template(t, caps)
            trigger = re.compile(spec.source_trigger, re.IGNORECASE) if spec.source_trigger else None
        except (P.PatternError, re.error) as exc:
            raise RulesFileError(f"corpora/rules/{target}.toml: {spec.code}: {exc}") from None
        rule = _REGISTERED.get(spec.code)
        if rule is None or (rule.name, rule.severity, rule.summary, rule.target_langs) != (
            spec.name, spec.severity, spec.summary, (spec.target,)
        ):
            rule = _to_rule(spec)  # a rule set built from other data (tests)
        compiled[spec.code] = _Compiled(spec, trigger, rule)
    return RuleSet(
        target=target,
        default_source=settings.get("default_source"),
        table=table,
        gerunds={k.lower(): v for k, v in settings.get("gerunds", {}).items()},
        matcher=P.Matcher(entries),
        rules=compiled,
    )


@lru_cache(maxsize=None)
def ruleset(target: str) -> RuleSet | None:
    settings, specs = load_file(target)
    if not specs:
        return None
    src = _source(target)
    stored = src[1] if src is not None else None
    return compile_specs(specs, settings, target, stored["anchors"] if stored is not None else None)


# -- running -------------------------------------------------------------------


def _sentence_bounds(doc: Document, v: P.TokenView):
    """bounds(i) -> token range of the sentence holding token i (None outside sentences)."""
    sents = doc.sentences
    s_starts = [s.start for s in sents]
    cache: dict[int, tuple[int, int] | None] = {}
    tok_starts = v.starts

    def bounds(i: int):
        pos = tok_starts[i]
        k = bisect.bisect_right(s_starts, pos) - 1
        if k < 0 or pos >= sents[k].end:
            return None
        b = cache.get(k)
        if b is None and k not in cache:
            lo = bisect.bisect_left(tok_starts, sents[k].start)
            hi = bisect.bisect_left(tok_starts, sents[k].end)
            b = cache[k] = (lo, hi)
        return b

    return bounds


def run_rules(doc: Document, ctx: Context, rs: RuleSet, v: P.TokenView | None = None) -> Iterable[Finding]:
    src_text = ctx.source_doc.text if ctx.source_doc is not None else None
    active_cache: dict[str, bool] = {}
    src_box: list[str | None] = []

    def src() -> str | None:
        # Only asked for when a language-gated rule has a candidate: inference costs a scan.
        if not src_box:
            src_box.append(source_language(doc, ctx) or rs.default_source)
        return src_box[0]

    def active(code: str) -> bool:
        a = active_cache.get(code)
        if a is None:
            c = rs.rules[code]
            spec = c.spec
            a = "any" in spec.sources or spec.applies_to(src())
            if a and src_text is None and spec.source_required:
                a = False
            if a and src_text is not None and c.trigger is not None and not c.trigger.search(src_text):
                a = False
            active_cache[code] = a
        return a

    if v is None:
        v = P.TokenView.from_columns(*doc.token_columns)
    if not v.n:
        return
    bounds = _sentence_bounds(doc, v)
    block_starts = [b.start for b in doc.blocks]
    text = doc.text
    for entry, m in rs.matcher.run(v, bounds, active):
        compiled = rs.rules[entry.key]
        spec = compiled.spec
        start, end = v.starts[m.flag_start], v.ends[m.flag_end - 1]
        bi = bisect.bisect_right(block_starts, start) - 1
        if bi < 0 or doc.blocks[bi].kind not in spec.blocks:
            continue
        values = {name: text[v.starts[a]:v.ends[b - 1]] if b > a else "" for name, (a, b) in m.captures.items()}
        flagged = text[start:end]
        values["0"] = values["match"] = flagged
        message = _clean(P.render(spec.message, values, rs.gerunds))
        suggestions = []
        for t in spec.suggest:
            rep = _clean(P.render(t, values, rs.gerunds))
            if flagged[:1].isupper() and rep[:1].islower() and _sentence_initial(v, m.flag_start, bounds):
                rep = rep[:1].upper() + rep[1:]
            if rep != flagged and all(rep != s.replacement for s in suggestions):
                suggestions.append(Suggestion(rep, spec.fix))
        yield compiled.rule.finding(start, end, message, suggestions)


def _sentence_initial(v: P.TokenView, i: int, bounds) -> bool:
    b = bounds(i)
    if b is None:
        return False
    return all(v.texts[j] in P.OPENERS for j in range(b[0], i))


def _clean(s: str) -> str:
    return re.sub(r"[ \t]{2,}", " ", s).strip()


def check(doc: Document, ctx: Context) -> Iterable[Finding]:
    rs = ruleset(ctx.target_lang)
    if rs is None:
        return ()
    return list(run_rules(doc, ctx, rs))


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] == ["--build"]:  # the rules' mirrors only; `python -m mtcheck.mirrors` builds all
        for p in build_cache():
            print(p)
    else:
        print("usage: python -m mtcheck.checks.calques --build", file=sys.stderr)
        sys.exit(2)
