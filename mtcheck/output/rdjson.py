"""reviewdog Diagnostic Format (rdjson), for ``reviewdog -f=rdjson``.

reviewdog counts columns in UTF-8 bytes with an exclusive end, so columns are
re-counted from the line text; suggestions become GitHub suggested changes.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from ..finding import SEVERITY_RANK
from . import INFORMATION_URI
from .paths import relative
from .positions import finding_span

if TYPE_CHECKING:
    from ..finding import Finding
    from ..result import FileResult

SEVERITIES = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


def _range(result: FileResult, f: Finding) -> dict[str, Any]:
    s = finding_span(result, f, "utf8")
    return {
        "start": {"line": s.line, "column": s.column},
        "end": {"line": s.end_line, "column": s.end_column},
    }


def diagnostic(result: FileResult, f: Finding) -> dict[str, Any]:
    rng = _range(result, f)
    d: dict[str, Any] = {
        "message": f.message,
        "location": {"path": relative(f.filename or result.filename), "range": rng},
        "severity": SEVERITIES.get(f.severity, "UNKNOWN_SEVERITY"),
        "code": {"value": f.code},
    }
    if f.suggestions:
        d["suggestions"] = [{"range": rng, "text": s.replacement} for s in f.suggestions]
    return d


def write(results: list[FileResult], stream: TextIO, **_: Any) -> None:
    findings = [(r, f) for r in results for f in r.findings]
    worst = max((f.severity for _, f in findings), key=lambda s: SEVERITY_RANK.get(s, 0), default="info")
    doc = {
        "source": {"name": "mtcheck", "url": INFORMATION_URI},
        # The overall severity: the worst one reported.
        "severity": SEVERITIES.get(worst, "INFO"),
        "diagnostics": [diagnostic(r, f) for r, f in findings],
    }
    stream.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
