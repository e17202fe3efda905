"""Compiled mirrors: what a table under ``corpora/`` becomes once parsed, as JSON.

Parsing the rules files, the gazetteer and the place tables, and building
their look-up views, took a tenth of a second at every cold start, for the
same result every time. Each of them therefore has a mirror under a
``compiled/`` folder beside its sources, written by a build command, which
records a fingerprint of the source files it came from and is used only
while that fingerprint matches. A stale or missing mirror costs time, never
correctness: the sources are parsed as before. A test rebuilds every mirror
and fails while a stored one differs (see :func:`stale`).

Rebuild them all after editing a table (or the code that compiles one)::

    python -m mtcheck.mirrors          # --check: list the stale ones, exit 1

The mirrors: ``rules/compiled/<target>.json`` (:mod:`mtcheck.checks.calques`),
``names/compiled/*.json`` and ``places/compiled/*.json`` (:mod:`mtcheck.gazetteer`).
"""
from __future__ import annotations

import json
import sys
import zlib
from typing import Any, Callable, Iterable

from . import resources


def fingerprint(files: Iterable[tuple[str, bytes]], version: int) -> str:
    """The mirror format's ``version``, then the name, size and CRC-32 of each
    source file: enough to notice an edit, or a mirror in an older format (bump
    the version when what a mirror holds changes).

    Not a cryptographic hash on purpose: zlib is loaded anyway, hashlib costs
    6 ms of import, and nothing here defends against forgery (the freshness
    test compares whole mirrors).
    """
    return ";".join([f"v{version}", *(f"{name}:{len(raw)}:{zlib.crc32(raw):08x}" for name, raw in files)])


def read(relative: str, fp: str) -> Any:
    """The data of the mirror at ``corpora/<relative>`` when its fingerprint is ``fp``, else None."""
    try:
        obj = json.loads(resources.path(relative).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(obj, dict) or obj.get("fingerprint") != fp:
        return None
    return obj.get("data")


def dumps(fp: str, data: Any, note: str) -> str:
    """The text of a mirror file."""
    obj = {"note": note, "fingerprint": fp, "data": data}
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def write(relative: str, text: str) -> str:
    out = resources.path(relative)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return str(out)


def builders() -> dict[str, Callable[[], str]]:
    """Every mirror's path under ``corpora/`` -> a function returning its up-to-date text."""
    from . import gazetteer
    from .checks import calques

    out: dict[str, Callable[[], str]] = {}
    for target in calques.RULE_FILES:
        if resources.path(f"rules/{target}.toml").exists():
            out[calques.mirror_path(target)] = lambda t=target: calques.mirror_text(t)
    for texts in (gazetteer.names_mirror_texts, gazetteer.places_mirror_texts):
        for relative in texts():
            out[relative] = lambda texts=texts, relative=relative: texts()[relative]
    return out


def stale() -> list[str]:
    """Mirrors whose stored text differs from a rebuild (missing ones included)."""
    out = []
    for relative, build in builders().items():
        p = resources.path(relative)
        current = p.read_text(encoding="utf-8") if p.exists() else None
        if current != build():
            out.append(relative)
    return out


def build_all() -> list[str]:
    """Rewrite every mirror; returns the paths written."""
    return [write(relative, build()) for relative, build in builders().items()]


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        bad = stale()
        for relative in bad:
            print(f"stale: corpora/{relative}")
        return 1 if bad else 0
    if argv:
        print("usage: python -m mtcheck.mirrors [--check]", file=sys.stderr)
        return 2
    for p in build_all():
        print(p)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
