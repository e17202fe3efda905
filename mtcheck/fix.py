"""Applies suggestions to the original file: the only code that writes stories.

Each pass applies every non-overlapping applicable suggestion at once, from the
end of the file backwards, so the text outside the fixed spans is untouched.
Passes repeat (at most ``MAX_PASSES``) until nothing is left to fix, so running
``--fix`` twice changes nothing the second time.
"""
from __future__ import annotations

import os
from typing import Callable, Sequence

from .finding import Finding
from .readers.decode import encode

MAX_PASSES = 10


def applicable(f: Finding, unsafe: bool) -> str | None:
    for s in f.suggestions:
        if s.applicability == "safe" or unsafe:
            return s.replacement
    return None


def apply_once(source: str, findings: Sequence[Finding], *, unsafe: bool = False) -> tuple[str, int]:
    """Apply non-overlapping suggestions (file offsets) in one pass; returns (text, count)."""
    chosen: list[tuple[int, int, str]] = []
    last_end = -1
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        rep = applicable(f, unsafe)
        if rep is None or f.start < last_end or source[f.start:f.end] != f.text:
            continue
        if rep == f.text:
            continue
        chosen.append((f.start, f.end, rep))
        last_end = max(f.end, f.start + 1) if f.start == f.end else f.end
    out = source
    for start, end, rep in reversed(chosen):
        out = out[:start] + rep + out[end:]
    return out, len(chosen)


def fix_text(
    source: str,
    check: Callable[[str], Sequence[Finding]],
    *,
    unsafe: bool = False,
) -> tuple[str, int, list[Finding]]:
    """Fix until stable; ``check`` re-checks a text. Returns (text, applied, remaining findings)."""
    total = 0
    findings = list(check(source))
    for _ in range(MAX_PASSES):
        new, n = apply_once(source, findings, unsafe=unsafe)
        if n == 0 or new == source:
            break
        total += n
        source = new
        findings = list(check(source))
    return source, total, findings


def write_atomic(path: str, text: str, encoding: str, bom: bool) -> None:
    """Write via a temporary file and rename, keeping the encoding, BOM and mode."""
    data = encode(text, encoding, bom)
    folder = os.path.dirname(os.path.abspath(path))
    import tempfile  # imported when a fix is written, not at every start-up

    fd, tmp = tempfile.mkstemp(prefix=".mtcheck-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        try:
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def unified_diff(path: str, before: str, after: str) -> str:
    import difflib  # imported for --diff only, not at every start-up

    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=f"a/{path}", tofile=f"b/{path}"
        )
    )
