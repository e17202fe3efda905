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
    ctx = Context(target_lang=tgt, source_lang=src, config=config, language_origin=origin)
    if config.names_file:
        from . import housenames  # reads the file once, raises ConfigError naming it

        ctx.services["house_names"] = housenames.load(config.resolve(config.names_file))
    if config.profile:
        from . import lm  # reads the profile's header (raises ConfigError); its tables load on first use

        ctx.services["profile"] = lm.load_profile(config.resolve(config.profile))
    from .lm import services as lm_services  # the fluency scorer for every family, loaded lazily

    ctx.services.update(lm_services(ctx))
    return ctx


def attach_texts(
    doc: Document,
    ctx: Context,
    source: "str | Document | None" = None,
    reference: "str | Document | None" = None,
) -> None:
    """Set ``ctx.source_doc``/``ctx.reference_doc`` (strings are parsed like ``doc``).

    A bilingual file (XLIFF, TSV) carries its own source. When a source is
    given and its language is unknown, it is detected from the source text.
    """
    def as_doc(value: "str | Document", name: str) -> Document:
        if isinstance(value, Document):
            return value
        fmt = doc.format if doc.format in ("txt", "md", "html") else "txt"
        return read_text(value, name, fmt)

    if source is None and doc.meta.get("source_doc") is not None:
        source = doc.meta["source_doc"]
    if source is not None:
        ctx.source_doc = as_doc(source, "<source>")
        if not ctx.source_lang:
            meta_lang = doc.meta.get("source_lang")
            if meta_lang:
                ctx.source_lang = meta_lang
                ctx.language_origin["source"] = "file"
            elif ctx.source_doc.text.strip():
                ctx.source_lang = language.detect(ctx.source_doc.text)
                ctx.language_origin["source"] = "detected"
    if ctx.language_origin.get("target") == "detected" and doc.meta.get("target_lang"):
        ctx.target_lang = doc.meta["target_lang"]
        ctx.language_origin["target"] = "file"
    if reference is not None:
        ctx.reference_doc = as_doc(reference, "<reference>")


def check_document(
    doc: Document,
    *,
    config: Config | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    source: "str | Document | None" = None,
    reference: "str | Document | None" = None,
) -> list[Finding]:
    ctx = make_context(doc, config=config, source_lang=source_lang, target_lang=target_lang)
    attach_texts(doc, ctx, source, reference)
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
    source: str | None = None,
    reference: str | None = None,
) -> list[Finding]:
    """Check a story given as a string; ``format`` is txt, md or html (default: by filename).

    ``source``/``reference``: the source story and a human reference translation,
    as text in the same format; they enable the S and R rules.
    """
    doc = read_text(text, filename, format)
    return check_document(
        doc, config=config, source_lang=source_lang, target_lang=target_lang, select=select, ignore=ignore,
        source=source, reference=reference,
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
    doc = read_bytes(data, name)
    if not doc.text.strip():
        # a story file with no text is a mistake (a failed export, a truncated copy), not a clean story
        raise InputError(name, "empty file: nothing to check")
    return doc


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
    source: str | None = None,
    reference: str | None = None,
) -> FileResult:
    """Check one file; bad input becomes ``FileResult.error``, never an exception.

    ``source``/``reference`` are paths of the source story and a reference
    translation (any supported format).
    """
    config = config or Config()
    name = display_name or path
    try:
        doc = load_path(path, max_size=config.max_file_size, display_name=name, data=data)
        src_doc = load_path(source, max_size=config.max_file_size) if source else None
        ref_doc = load_path(reference, max_size=config.max_file_size) if reference else None
        findings = check_document(
            doc, config=config, source_lang=source_lang, target_lang=target_lang, select=select, ignore=ignore,
            source=src_doc, reference=ref_doc,
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
