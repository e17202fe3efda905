"""What a check knows besides the document: languages, configuration, aligned texts."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .document import Document


@dataclass
class Context:
    target_lang: str = "en"
    source_lang: str | None = None
    config: Config = field(default_factory=lambda: Config())
    source_doc: Document | None = None
    reference_doc: Document | None = None
    # Scorers and other services one family exposes to another (e.g. the
    # fluency model re-ranking suggestions), keyed by name.
    services: dict[str, Any] = field(default_factory=dict)
    # Where the languages came from: "option", "config", "detected", "default".
    language_origin: dict[str, str] = field(default_factory=dict)
