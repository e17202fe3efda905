"""The public Python API; the CLI, the evaluation scripts and the server all use it.

>>> import mtcheck
>>> [f.code for f in mtcheck.check("A summit between Joe Biden and and Putin.")]
['P006']
"""
from __future__ import annotations

import os
from typing import Sequence

from . import engine, language
from .config import Config
from .context import Context
from .document import Document
from .errors import InputError, MtcheckError
from .finding import Finding
from .readers import read_bytes, read_text
from .result import FileResult


def make_context(
    doc: Document,
    *,
    config: Config | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> Context:
    """Resolve languages (option, then config, then detection) for one document."""
    config = config or Config()
    origin: dict[str, str] = {}
    tgt = target_lang or config.target_lang
    if tgt:
        origin["target"] = "option" if target_lang else "config"
    else:
        tgt = language.detect(doc.text) if doc.text.strip() else "en"
        origin["target"] = "detected"
    src = source_lang or config.source_lang
    if src:
        origin["source"] = "option" if source_lang else "config"
    return Context(target_lang=tgt, source_lang=src, config=config, language_origin=origin)


def check_document(
    doc: Document,
    *,
    config: Config | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> list[Finding]:
    ctx = make_context(doc, config=config, source_lang=source_lang, target_lang=target_lang)
    return engine.run(doc, ctx, select=select, ignore=ignore)


def check(
    text: str,
    *,
    filename: str = "<string>",
    format: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    config: Config | None = None,
) -> list[Finding]:
    """Check a story given as a string; ``format`` is txt, md or html (default: by filename)."""
    doc = read_text(text, filename, format)
    return check_document(
        doc, config=config, source_lang=source_lang, target_lang=target_lang, select=select, ignore=ignore
    )


def load_path(path: str, *, max_size: int, display_name: str | None = None, data: bytes | None = None) -> Document:
    """Read and parse one file, raising InputError with a one-line reason."""
    name = display_name or path
    if data is None:
        try:
            if os.path.isdir(path):
                raise InputError(name, "is a directory")
            size = os.path.getsize(path)
            if size > max_size:
                raise InputError(
                    name, f"file is {size:,} bytes, over the size cap of {max_size:,} (raise it with --max-file-size)"
                )
            with open(path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            raise InputError(name, "no such file") from None
        except PermissionError:
            raise InputError(name, "permission denied") from None
        except IsADirectoryError:
            raise InputError(name, "is a directory") from None
        except OSError as exc:
            raise InputError(name, exc.strerror or str(exc)) from None
    elif len(data) > max_size:
        raise InputError(name, f"input is {len(data):,} bytes, over the size cap of {max_size:,}")
    return read_bytes(data, name)


def check_path(
    path: str,
    *,
    config: Config | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    display_name: str | None = None,
    data: bytes | None = None,
) -> FileResult:
    """Check one file; bad input becomes ``FileResult.error``, never an exception."""
    config = config or Config()
    name = display_name or path
    try:
        doc = load_path(path, max_size=config.max_file_size, display_name=name, data=data)
        findings = check_document(
            doc, config=config, source_lang=source_lang, target_lang=target_lang, select=select, ignore=ignore
        )
    except MtcheckError as exc:
        return FileResult(name, error=str(exc))
    except MemoryError:
        return FileResult(name, error=f"{name}: out of memory while checking")
    except RecursionError:
        return FileResult(name, error=f"{name}: input too deeply nested to parse")
    except Exception as exc:  # a bug in one check must not stop the other files
        return FileResult(name, error=f"{name}: internal error while checking ({exc.__class__.__name__}: {exc}); please report it")
    return FileResult(name, findings=findings, document=doc)
