"""Output writers: one module per format, all fed the same finalised FileResults.

The CLI only calls :func:`write`; each format lives in its own small module so
adding one never touches the others.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..result import FileResult
    from ..rules import Rule

FORMATS = ("text", "json", "jsonl", "sarif", "github", "rdjson", "junit", "html")

# Where SARIF/rdjson consumers send people for more about the tool.
# Placeholder until the project has a public home: change it here only.
INFORMATION_URI = "https://github.com/mtcheck/mtcheck"

# format -> (module under mtcheck.output, function); imported lazily so the
# CLI pays only for the writer it uses.
_WRITERS = {
    "text": ("text", "write"),
    "json": ("jsonfmt", "write"),
    "jsonl": ("jsonfmt", "write_lines"),
    "sarif": ("sarif", "write"),
    "github": ("github", "write"),
    "rdjson": ("rdjson", "write"),
    "junit": ("junit", "write"),
    "html": ("html", "write"),
}


def write(
    fmt: str,
    results: list[FileResult],
    stream: TextIO,
    *,
    color: bool = False,
    show_source: bool = True,
    statistics: bool = False,
    fixed: int = 0,
    rules: dict[str, Rule] | None = None,
    quiet: bool = False,
) -> None:
    """Write ``results`` to ``stream`` in ``fmt``; writers ignore options they don't use.

    ``quiet`` drops the text summary (ruff's ``--quiet``: findings only).
    """
    try:
        module_name, func = _WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})") from None
    writer = getattr(import_module(f".{module_name}", __name__), func)
    writer(
        results,
        stream,
        color=color,
        show_source=show_source,
        statistics=statistics,
        fixed=fixed,
        rules=rules,
        quiet=quiet,
    )
