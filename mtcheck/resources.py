"""Lazy, cached access to the data under ``corpora/``.

Nothing is read until a check asks for it, and then only once per process.
The installed package carries the data as ``mtcheck/corpora``; a source
checkout reads the top-level ``corpora/`` directly.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=1)
def corpora_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "corpora", here.parent / "corpora"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("mtcheck's corpora directory is missing; reinstall the package")


def path(relative: str) -> Path:
    return corpora_dir() / relative


@lru_cache(maxsize=None)
def lines(relative: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a text table (``#`` starts a comment)."""
    p = path(relative)
    if not p.exists():
        return ()
    out = []
    for raw in p.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if line:
            out.append(line)
    return tuple(out)


@lru_cache(maxsize=None)
def word_set(relative: str) -> frozenset[str]:
    return frozenset(lines(relative))


@lru_cache(maxsize=None)
def tsv(relative: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated table, comments and blank lines skipped."""
    p = path(relative)
    if not p.exists():
        return ()
    rows = []
    for raw in p.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        rows.append(tuple(c.strip() for c in raw.split("\t")))
    return tuple(rows)


@lru_cache(maxsize=None)
def json_data(relative: str) -> Any:
    return json.loads(path(relative).read_text(encoding="utf-8"))
