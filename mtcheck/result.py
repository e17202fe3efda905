"""The outcome of checking one file: findings, or the one-line error that stopped it."""
from __future__ import annotations

from dataclasses import dataclass, field

from .document import Document
from .finding import Finding


@dataclass
class FileResult:
    filename: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # one line, already naming the file
    document: Document | None = None
    # Baseline entries for this file that matched nothing any more.
    stale_baseline: int = 0
    fixed: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None

    def line_text(self, line: int) -> str:
        return self.document.line_text(line) if self.document else ""
