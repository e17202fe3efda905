"""Placeholder for the artefacts rule family; filled in by its issue."""
from __future__ import annotations

from typing import Iterable

from ..context import Context
from ..document import Document
from ..finding import Finding
from ..rules import Rule

RULES: list[Rule] = []


def check(doc: Document, ctx: Context) -> Iterable[Finding]:
    return ()
