"""The fixer: non-overlapping, one pass at a time, idempotent, text outside spans untouched."""
from __future__ import annotations

import re

from hypothesis import given, strategies as st

from mtcheck import fix
from mtcheck.finding import Finding, Suggestion
from mtcheck.readers.decode import decode, encode


def _doubles(text: str) -> list[Finding]:
    """A stand-in check: flags the second of two identical words, safe fix deletes it."""
    out = []
    for m in re.finditer(r"\b(\w+)( \1\b)", text):
        out.append(Finding("P006", "doubled-word", "warning", "doubled", m.start(2), m.end(2),
                           text=m.group(2), suggestions=(Suggestion("", "safe"),)))
    return out


def test_apply_once_skips_overlaps_and_stale_text():
    src = "abcdef"
    fs = [
        Finding("P001", "x", "warning", "m", 0, 2, text="ab", suggestions=(Suggestion("X", "safe"),)),
        Finding("P002", "y", "warning", "m", 1, 3, text="bc", suggestions=(Suggestion("Y", "safe"),)),
        Finding("P003", "z", "warning", "m", 4, 6, text="zz", suggestions=(Suggestion("Z", "safe"),)),
        Finding("P004", "w", "warning", "m", 3, 4, text="d", suggestions=(Suggestion("W", "unsafe"),)),
    ]
    assert fix.apply_once(src, fs) == ("Xcdef", 1)
    assert fix.apply_once(src, fs, unsafe=True) == ("XcWef", 2)


words = st.lists(st.sampled_from(["the", "cat", "sat", "é", "Lavrov", "\n", "\r\n", "“quoted”"]), max_size=40)


@given(words)
def test_fix_is_idempotent_and_keeps_everything_else(tokens):
    text = " ".join(tokens)
    fixed, n, remaining = fix.fix_text(text, _doubles)
    again, n2, _ = fix.fix_text(fixed, _doubles)
    assert again == fixed and n2 == 0
    assert not remaining
    # Only deletions of flagged doubles happened: the text is a subsequence of the original.
    it = iter(text)
    assert all(ch in it for ch in fixed)


def test_write_atomic_keeps_encoding_bom_and_newlines(tmp_path):
    p = tmp_path / "s.txt"
    original = "Línea uno.\r\nthe the end.\r\n"
    p.write_bytes(encode(original, "utf-16-le", True))
    d = decode(p.read_bytes(), str(p))
    fixed, n, _ = fix.fix_text(d.text, _doubles)
    fix.write_atomic(str(p), fixed, d.encoding, d.bom)
    assert p.read_bytes() == encode("Línea uno.\r\nthe end.\r\n", "utf-16-le", True)
    assert not [x for x in tmp_path.iterdir() if x.name.startswith(".mtcheck-")]


def test_unified_diff():
    d = fix.unified_diff("s.txt", "a\nthe the\n", "a\nthe\n")
    assert d.startswith("--- a/s.txt\n+++ b/s.txt\n") and "-the the\n+the\n" in d
