"""JSON and JSON Lines: ``Finding.to_dict()`` verbatim, the contract scripts rely on.

Named ``jsonfmt`` so it cannot shadow the standard ``json`` module.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterator, TextIO

if TYPE_CHECKING:
    from ..result import FileResult


def _dicts(results: list[FileResult]) -> Iterator[dict[str, Any]]:
    for result in results:
        for finding in result.findings:
            yield finding.to_dict()


def write(results: list[FileResult], stream: TextIO, **_: Any) -> None:
    """One array over every file, indented for people reading it."""
    stream.write(json.dumps(list(_dicts(results)), indent=2, ensure_ascii=False) + "\n")


def write_lines(results: list[FileResult], stream: TextIO, **_: Any) -> None:
    """One compact object per line, so consumers can stream it."""
    for d in _dicts(results):
        stream.write(json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n")
