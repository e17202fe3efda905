"""Column conversions: findings count code points, consumers count other units.

SARIF defaults to UTF-16 code units and reviewdog to UTF-8 bytes, so a finding
after an "é" or an emoji lands in the wrong place unless we re-count using the
text of the line. Columns are 1-based; a column past the end of the line (the
exclusive end of a span that reaches the line end, or beyond) counts one unit
per missing character.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..finding import Finding
    from ..result import FileResult


class Span(NamedTuple):
    line: int
    column: int
    end_line: int
    end_column: int


def _units(ch: str, unit: str) -> int:
    if unit == "utf8":
        return len(ch.encode("utf-8", "surrogatepass"))
    return 2 if ord(ch) > 0xFFFF else 1


def convert_column(line_text: str, column: int, unit: str) -> int:
    """Code-point ``column`` of ``line_text`` in ``unit`` ("utf8", "utf16" or "codepoint")."""
    if unit == "codepoint" or column <= 1:
        return max(column, 1)
    before = line_text[: column - 1]
    overflow = column - 1 - len(before)
    return 1 + sum(_units(ch, unit) for ch in before) + overflow


def utf8_column(line_text: str, column: int) -> int:
    """1-based UTF-8 byte column (reviewdog)."""
    return convert_column(line_text, column, "utf8")


def utf16_column(line_text: str, column: int) -> int:
    """1-based UTF-16 code-unit column (SARIF's default columnKind)."""
    return convert_column(line_text, column, "utf16")


def finding_span(result: FileResult, finding: Finding, unit: str = "codepoint") -> Span:
    """The finding's start and (exclusive) end, converted to ``unit``."""
    line = max(finding.line, 1)
    end_line = max(finding.end_line or line, line)
    column = max(finding.column, 1)
    end_column = finding.end_column or column
    if end_line == line:
        end_column = max(end_column, column)

    def conv(ln: int, col: int) -> int:
        if unit == "codepoint":
            return col
        return convert_column(result.line_text(ln) if finding.line else "", col, unit)

    return Span(line, conv(line, column), end_line, conv(end_line, end_column))
