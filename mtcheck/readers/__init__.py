"""One reader per input format; :func:`read_bytes` picks one by extension."""
from __future__ import annotations

import os
from importlib import import_module

from ..document import Document
from .decode import decode

# extension -> module under mtcheck.readers
FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
# Bilingual files (mtcheck.bitext): the target is checked, the source rides along.
FORMATS.update({".xlf": "xliff", ".xliff": "xliff", ".tsv": "tsv"})
BITEXT_FORMATS = ("xliff", "tsv")
# Extensions a directory walk picks up (a .tsv is read only when named).
CHECKED_EXTENSIONS = tuple(e for e in FORMATS if e != ".tsv")


def format_for(filename: str) -> str:
    return FORMATS.get(os.path.splitext(filename)[1].lower(), "txt")


def read_text(text: str, filename: str = "<string>", fmt: str | None = None) -> Document:
    fmt = fmt or format_for(filename)
    if fmt in BITEXT_FORMATS:
        from ..bitext import read as read_bitext

        return read_bitext(text, filename, fmt)
    module = import_module(f".{fmt}", __name__)
    return module.read(text, filename)


def read_bytes(data: bytes, filename: str, fmt: str | None = None) -> Document:
    """Decode and parse a file's bytes; raises InputError on bad input."""
    decoded = decode(data, filename)
    doc = read_text(decoded.text, filename, fmt)
    doc.encoding, doc.bom = decoded.encoding, decoded.bom
    return doc
