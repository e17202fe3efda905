"""Human output in ruff's shape, so editors and eyes that know ruff know this.

``path:line:col: CODE [*] message``, the source line with a caret underline,
a help line for the first suggestion, then a one-line summary. Carets are
aligned by terminal cell width (emoji and CJK take two cells, tabs stay tabs).
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ..finding import Finding
    from ..result import FileResult

RESET, BOLD = "\x1b[0m", "\x1b[1m"
SEVERITY_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
GUTTER_COLOR = "\x1b[34m"


class _Style:
    def __init__(self, color: bool):
        self.color = color

    def __call__(self, text: str, *codes: str) -> str:
        return f"{''.join(codes)}{text}{RESET}" if self.color and codes else text


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _visible(ch: str) -> str:
    """Control characters as their Unicode pictures so they can't garble the terminal."""
    o = ord(ch)
    if ch == "\t":
        return ch
    if o < 0x20:
        return chr(0x2400 + o)
    if o == 0x7F:
        return "\u2421"
    return ch


def _cells(ch: str) -> int:
    if ch == "\t":
        return 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def underline(line: str, column: int, end_column: int) -> tuple[str, int]:
    """(padding, caret count) under ``line[column-1:end_column-1]``; clipped to the line end."""
    start = min(max(column, 1) - 1, len(line))
    end = min(max(end_column - 1, start), len(line))
    pad = "".join("\t" if ch == "\t" else " " * _cells(ch) for ch in line[:start])
    return pad, max(1, sum(_cells(ch) for ch in line[start:end]))


# A source line longer than this is shown as a window around the span (with "…" where it is
# cut): a story with no line breaks would otherwise print its whole text under every finding.
MAX_SHOWN = 400
CONTEXT = 120  # characters kept on each side of the span in a window


def clip(line: str, column: int, end_column: int) -> tuple[str, int, int]:
    """``line`` with ``column``/``end_column`` (1-based, end exclusive), or a window of it
    around that span when the line is longer than MAX_SHOWN, with the columns moved to match."""
    if len(line) <= MAX_SHOWN:
        return line, column, end_column
    start = max(0, column - 1 - CONTEXT)
    stop = min(len(line), max(end_column - 1, column) + CONTEXT, start + MAX_SHOWN)
    head = "…" if start > 0 else ""
    tail = "…" if stop < len(line) else ""
    shift = start - len(head)
    return head + line[start:stop] + tail, column - shift, min(end_column - shift, len(head) + stop - start + 1)


def _help(f: Finding) -> str | None:
    if not f.suggestions:
        return None
    s = f.suggestions[0]
    shown = s.replacement.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    return f'replace with "{shown}"' + (" (unsafe)" if s.applicability != "safe" else "")


def _finding(result: FileResult, f: Finding, style: _Style, show_source: bool) -> list[str]:
    sev = SEVERITY_COLORS.get(f.severity, "")
    path = f.filename or result.filename
    fix = " " + style("[*]", BOLD) if f.fixable else ""
    header = f"{style(path, BOLD)}:{f.line}:{f.column}: {style(f.code, BOLD, sev)}{fix} {f.message}"
    if not show_source:
        return [header]
    out = [header]
    help_text = _help(f)
    width = len(str(f.line))
    bar = style(" " * (width + 1) + "|", BOLD, GUTTER_COLOR)
    if result.document is not None and f.line >= 1:
        line = result.line_text(f.line)
        end_col = f.end_column if f.end_line == f.line else len(line) + 1
        line, col, end_col = clip(line, f.column, end_col)
        pad, carets = underline(line, col, end_col)
        shown = "".join(_visible(ch) for ch in line)
        out += [
            bar,
            f"{style(str(f.line).rjust(width) + ' |', BOLD, GUTTER_COLOR)} {shown}",
            f"{bar} {pad}{style('^' * carets + ' ' + f.code, BOLD, sev)}",
            bar,
        ]
    if help_text:
        out.append(f"{' ' * (width + 1)}{style('= help', BOLD)}: {help_text}")
    out.append("")
    return out


def _statistics(findings: list[Finding]) -> list[str]:
    counts = Counter(f.code for f in findings)
    names = {f.code: f.name for f in findings}
    fixable = {f.code for f in findings if f.fixable}
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    nw = max((len(str(n)) for _, n in rows), default=1)
    cw = max((len(c) for c, _ in rows), default=4)
    return [
        f"{str(n).rjust(nw)}  {code.ljust(cw)}  {'[*]' if code in fixable else '[ ]'} {names[code]}"
        for code, n in rows
    ]


def summary(results: list[FileResult], fixed: int = 0) -> list[str]:
    """The closing lines: counts by severity, fixable count, unreadable files."""
    findings = [f for r in results for f in r.findings]
    errors = sum(1 for r in results if r.error is not None)
    out = []
    if fixed:
        out.append(f"Fixed {_plural(fixed, 'finding')}.")
    if findings:
        by = Counter(f.severity for f in findings)
        files = sum(1 for r in results if r.findings)
        out.append(
            f"Found {_plural(len(findings), 'finding')} ({_plural(by['error'], 'error')}, "
            f"{_plural(by['warning'], 'warning')}, {by['info']} info) in {_plural(files, 'file')}."
        )
        k = sum(1 for f in findings if f.fixable)
        if k:
            out.append(f"[*] {k} fixable with the --fix option.")
    elif errors:
        out.append("No findings.")
    else:
        out.append("All checks passed!")
    if errors:
        out.append(f"{_plural(errors, 'file')} could not be checked.")
    return out


def write(
    results: list[FileResult],
    stream: TextIO,
    *,
    color: bool = False,
    show_source: bool = True,
    statistics: bool = False,
    fixed: int = 0,
    quiet: bool = False,
    **_: Any,
) -> None:
    style = _Style(color)
    lines: list[str] = []
    if statistics:
        lines += _statistics([f for r in results for f in r.findings])
    else:
        for result in results:
            if result.error is not None:
                continue  # the CLI reports it on stderr
            for f in result.findings:
                lines += _finding(result, f, style, show_source)
    if not quiet:
        lines += summary(results, fixed)
    if lines:
        stream.write("\n".join(lines) + "\n")
