"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``).

Choices driven by what code scanning does with the file:
- columns are UTF-16 code units (SARIF's default ``columnKind``), re-counted
  from the line text so alerts after an emoji or "é" still point right;
- URIs are repository-relative under ``%SRCROOT%`` or alerts match no file;
- ``partialFingerprints`` hash the code, flagged text and line, not the line
  number, so an alert survives edits above it instead of closing and reopening.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import TYPE_CHECKING, Any, TextIO

from ..rules import FAMILIES, Rule
from . import INFORMATION_URI
from .paths import sarif_location
from .positions import finding_span

if TYPE_CHECKING:
    from ..finding import Finding
    from ..result import FileResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "mtcheck/v1"


def _code(text: str) -> str:
    """A Markdown code span that survives backticks in the text."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    description = rule.description or rule.summary
    md = [f"**{rule.code}** `{rule.name}`: {rule.summary}"]
    if rule.description:
        md.append(rule.description)
    md.append({"always": "A safe fix is always offered.", "sometimes": "A safe fix is sometimes offered."}.get(
        rule.fix, "No automatic fix."))
    if rule.examples:
        md.append("Examples:\n\n" + "\n".join(
            f"- {'flags' if ex.flags else 'accepts'} {_code(ex.text)}" for ex in rule.examples))
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": description},
        "help": {"text": description, "markdown": "\n\n".join(md)},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
        "properties": {"tags": [FAMILIES.get(rule.family, rule.family), *rule.tags]},
    }


def fingerprint(result: FileResult, f: Finding) -> str:
    """sha256 over code, flagged text and the (stripped) line: stable across runs."""
    context = result.line_text(f.line).strip() if f.line >= 1 else ""
    return hashlib.sha256("\0".join((f.code, f.text, context)).encode("utf-8", "surrogatepass")).hexdigest()


def _region(result: FileResult, f: Finding) -> dict[str, int]:
    s = finding_span(result, f, "utf16")
    return {"startLine": s.line, "startColumn": s.column, "endLine": s.end_line, "endColumn": s.end_column}


def _result(result: FileResult, f: Finding, index: dict[str, int], seen: Counter) -> dict[str, Any]:
    location = sarif_location(f.filename or result.filename)
    region = _region(result, f)
    fp = fingerprint(result, f)
    seen[fp] += 1
    out: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": location,
            "region": {**region, "snippet": {"text": f.text}},
        }}],
        # ":n" numbers identical findings in one file apart, as GitHub's own hashes do.
        "partialFingerprints": {FINGERPRINT: f"{fp}:{seen[fp]}"},
    }
    if f.suggestions:
        out["fixes"] = [{
            "description": {"text": f"Replace with \"{s.replacement}\" ({s.applicability})"},
            "artifactChanges": [{
                "artifactLocation": location,
                "replacements": [{"deletedRegion": region, "insertedContent": {"text": s.replacement}}],
            }],
        } for s in f.suggestions]
    return out


def build(results: list[FileResult], rules: dict[str, Rule]) -> dict[str, Any]:
    """The SARIF log as a dict (the tests validate this)."""
    from .. import __version__

    table = dict(rules)
    for r in results:
        for f in r.findings:  # a code missing from the registry still needs a descriptor
            table.setdefault(f.code, Rule(f.code, f.name, f.severity, f.message))
    codes = sorted(table)
    index = {code: i for i, code in enumerate(codes)}
    sarif_results = []
    for r in results:
        seen: Counter = Counter()
        sarif_results += [_result(r, f, index, seen) for f in r.findings]
    notifications = [{
        "level": "error",
        "message": {"text": r.error},
        "locations": [{"physicalLocation": {"artifactLocation": sarif_location(r.filename)}}],
    } for r in results if r.error is not None]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "mtcheck",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": [rule_descriptor(table[c]) for c in codes],
        }},
        "columnKind": "utf16CodeUnits",
        # An unreadable file is a notification, not a failed run: code scanning
        # should still take the results for every other file.
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "results": sarif_results,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def write(results: list[FileResult], stream: TextIO, *, rules: dict[str, Rule] | None = None, **_: Any) -> None:
    if rules is None:
        from ..rules import all_rules

        rules = all_rules()
    stream.write(json.dumps(build(results, rules), indent=2, ensure_ascii=False) + "\n")
