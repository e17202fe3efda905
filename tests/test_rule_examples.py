"""Every example of every registered rule: flag examples flag, ok examples stay silent."""
from __future__ import annotations

import pytest

from mtcheck import api
from mtcheck.rules import CODE_RE, all_rules

CASES = [
    pytest.param(rule, ex, id=f"{rule.code}-{'flag' if ex.flags else 'ok'}-{i}")
    for rule in all_rules().values()
    for i, ex in enumerate(rule.examples)
]


@pytest.mark.parametrize("rule,example", CASES)
def test_rule_example(rule, example):
    # Source- and reference-aware rules (S, R) carry their other text in the note.
    texts = {k: example.note.split(":", 1)[1].strip() for k in ("source", "reference") if example.note.startswith(k + ":")}
    findings = api.check(
        example.text, target_lang=example.target_lang, source_lang=example.source_lang, select=[rule.code], **texts
    )
    codes = [f.code for f in findings]
    if example.flags:
        assert rule.code in codes, f"{rule.code} should flag: {example.text!r}"
    else:
        assert rule.code not in codes, f"{rule.code} should not flag: {example.text!r} -> {findings}"


def test_every_rule_is_documented_with_both_kinds_of_example():
    for rule in all_rules().values():
        assert CODE_RE.match(rule.code)
        assert rule.name == rule.name.lower() and " " not in rule.name
        assert rule.severity in ("error", "warning", "info")
        assert rule.summary
        assert any(e.flags for e in rule.examples), rule.code
        assert any(not e.flags for e in rule.examples), rule.code


def test_rule_names_are_unique():
    names = [r.name for r in all_rules().values()]
    assert len(names) == len(set(names))
