"""Baselines: record today's findings so CI fails only on new ones.

An entry is keyed by path, code and a fingerprint of the flagged text with its
neighbouring words, not by line number, so it survives unrelated edits above.
"""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from typing import Iterable

from .errors import ConfigError
from .finding import Finding
from .result import FileResult

VERSION = 1
_WORD = re.compile(r"\w+", re.UNICODE)
CONTEXT_WORDS = 2


def fingerprint(f: Finding, source: str) -> str:
    import hashlib  # here, not at the top: its import costs a cold start 6 ms, and most runs keep no baseline

    before = _WORD.findall(source[max(0, f.start - 80):f.start])[-CONTEXT_WORDS:]
    after = _WORD.findall(source[f.end:f.end + 80])[:CONTEXT_WORDS]
    norm = " ".join(f.text.split()).casefold()
    key = "\x1f".join([f.code, norm, " ".join(before).casefold(), " ".join(after).casefold()])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _key_path(filename: str, baseline_path: str) -> str:
    if filename in ("-", "<stdin>"):
        return filename
    base = os.path.dirname(os.path.abspath(baseline_path))
    try:
        rel = os.path.relpath(os.path.abspath(filename), base)
    except ValueError:
        rel = os.path.abspath(filename)
    return rel.replace(os.sep, "/")


def write(path: str, results: Iterable[FileResult]) -> int:
    entries = []
    for r in results:
        if r.document is None:
            continue
        for f in r.findings:
            entries.append(
                {"path": _key_path(r.filename, path), "code": f.code, "fingerprint": fingerprint(f, r.document.source), "text": f.text}
            )
    entries.sort(key=lambda e: (e["path"], e["code"], e["fingerprint"]))
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"version": VERSION, "tool": "mtcheck", "findings": entries}, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    return len(entries)


def load(path: str) -> Counter[tuple[str, str, str]]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        entries = data["findings"]
        return Counter((e["path"], e["code"], e["fingerprint"]) for e in entries)
    except FileNotFoundError:
        raise ConfigError(f"{path}: baseline file not found") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: not a valid mtcheck baseline ({exc.__class__.__name__})") from None


def apply(results: list[FileResult], path: str, recorded: Counter[tuple[str, str, str]]) -> int:
    """Hide recorded findings in place; returns how many entries matched nothing.

    Only entries for files that were checked in this run count as stale.
    """
    remaining = Counter(recorded)
    checked: set[str] = set()
    for r in results:
        if r.document is None:
            continue
        key_path = _key_path(r.filename, path)
        checked.add(key_path)
        kept = []
        for f in r.findings:
            key = (key_path, f.code, fingerprint(f, r.document.source))
            if remaining[key] > 0:
                remaining[key] -= 1
            else:
                kept.append(f)
        r.findings = kept
    stale = 0
    for (p, _code, _fp), n in remaining.items():
        if p in checked and n > 0:
            stale += n
    for r in results:
        key_path = _key_path(r.filename, path)
        r.stale_baseline = sum(n for (p, _c, _f), n in remaining.items() if p == key_path and n > 0)
    return stale
