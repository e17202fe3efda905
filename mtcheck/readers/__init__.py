"""One reader per input format; :func:`read_bytes` picks one by extension."""
from __future__ import annotations

import os
from importlib import import_module

from ..document import Document
from .decode import decode

# extension -> module under mtcheck.readers
FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
# Extensions a directory walk picks up.
CHECKED_EXTENSIONS = tuple(FORMATS)


def format_for(filename: str) -> str:
    return FORMATS.get(os.path.splitext(filename)[1].lower(), "txt")


def read_text(text: str, filename: str = "<string>", fmt: str | None = None) -> Document:
    fmt = fmt or format_for(filename)
    module = import_module(f".{fmt}", __name__)
    return module.read(text, filename)


def read_bytes(data: bytes, filename: str, fmt: str | None = None) -> Document:
    """Decode and parse a file's bytes; raises InputError on bad input."""
    decoded = decode(data, filename)
    doc = read_text(decoded.text, filename, fmt)
    doc.encoding, doc.bom = decoded.encoding, decoded.bom
    return doc
