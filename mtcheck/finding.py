"""The finding record: one flagged span, the JSON contract every output builds on."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
APPLICABILITIES = ("safe", "unsafe")


class Suggestion(NamedTuple):
    """A replacement for the flagged span; ``safe`` ones may be applied by ``--fix``.

    A NamedTuple, not a frozen dataclass: one is cheaper to define at start-up.
    """

    replacement: str
    applicability: str = "unsafe"

    def to_dict(self) -> dict[str, str]:
        return {"replacement": self.replacement, "applicability": self.applicability}


@dataclass(frozen=True)
class Finding:
    """One flagged span.

    ``start``/``end`` are code-point offsets. Checks produce them relative to
    ``Document.text``; the engine maps them to the decoded file and fills in
    ``filename``, ``line``/``column`` and ``text`` before anything leaves it.
    """

    code: str
    name: str
    severity: str
    message: str
    start: int
    end: int
    text: str = ""
    suggestions: tuple[Suggestion, ...] = ()
    confidence: float | None = None
    filename: str = ""
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def family(self) -> str:
        return self.code[:1]

    @property
    def fixable(self) -> bool:
        return any(s.applicability == "safe" for s in self.suggestions)

    def with_(self, **changes: Any) -> "Finding":
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "filename": self.filename,
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "text": self.text,
            "suggestions": [s.to_dict() for s in self.suggestions],
        }
        if self.confidence is not None:
            d["confidence"] = round(self.confidence, 3)
        return d
