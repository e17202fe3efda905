"""One CLI run: find files, check them (in parallel when it pays), fix, report, exit code.

Kept apart from cli.py so the command line stays a thin layer of options.
"""
from __future__ import annotations

import fnmatch
import os
import sys
from contextlib import nullcontext
from typing import Sequence

import click

from . import api, baseline as baseline_mod, config as config_mod, fix as fix_mod, gcpause
from .config import Config, _size
from .errors import ConfigError, MtcheckError
from .finding import SEVERITY_RANK
from .readers import CHECKED_EXTENSIONS
from .result import FileResult

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# Below this many files a process pool costs more than it saves.
PARALLEL_MIN_FILES = 8
PROGRESS_MIN_FILES = 50


class Options:
    """The command line's options; unset ones keep the class defaults below.

    A plain class, not a dataclass: defining one costs ~2 ms of every cold start.
    """

    def __init__(self, **values) -> None:
        for key, value in values.items():
            if not hasattr(Options, key):
                raise TypeError(f"Options has no option {key!r}")
            setattr(self, key, value)

    paths: Sequence[str] = ()
    fmt: str = "text"
    fail_on: str | None = None
    exit_zero: bool = False
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    source_lang: str | None = None
    target_lang: str | None = None
    config_path: str | None = None
    no_config: bool = False
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    baseline: str | None = None
    write_baseline: str | None = None
    jobs: int | None = None
    statistics: bool = False
    quiet: bool = False
    stdin_filename: str | None = None
    max_file_size: str | None = None
    show_source: bool = True
    color: bool | None = None
    source: str | None = None  # --source FILE: the source story (one story only)
    reference: str | None = None  # --reference FILE: a human reference translation
    profile: str | None = None  # --profile DIR: a reference profile (mtcheck learn)


def _error(message: str) -> None:
    click.echo(f"mtcheck: {message}", err=True)


def load_config(opts: Options) -> Config:
    if opts.no_config:
        cfg = Config()
    elif opts.config_path:
        cfg = config_mod.load_file(opts.config_path)
    else:
        cfg = config_mod.discover()
    overrides = {}
    for key in ("source_lang", "target_lang"):
        value = getattr(opts, key)
        if value is not None:
            overrides[key] = config_mod._lang(key.replace("_", "-"), value)
    if opts.fail_on:
        overrides["fail_on"] = opts.fail_on
    if opts.max_file_size:
        overrides["max_file_size"] = _size("--max-file-size", opts.max_file_size)
    if opts.profile:
        overrides["profile"] = os.path.abspath(opts.profile)
    for code in tuple(opts.select) + tuple(opts.ignore):
        if not config_mod.CODE_PREFIX_RE.match(code):
            raise ConfigError(f"--select/--ignore: {code!r} is not a rule code or prefix (e.g. P, P001, ALL)")
    return cfg.with_(**overrides)


def discover_files(paths: Sequence[str], cfg: Config) -> tuple[list[str], list[str]]:
    """Expand directories (recursively, by extension); returns (files, errors)."""
    files: list[str] = []
    errors: list[str] = []

    def excluded(p: str) -> bool:
        norm = p.replace(os.sep, "/")
        return any(fnmatch.fnmatch(norm, g) or fnmatch.fnmatch(os.path.basename(norm), g) for g in cfg.exclude)

    for p in paths:
        if p == "-":
            files.append(p)
        elif os.path.isdir(p):
            found = []
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not excluded(os.path.join(root, d)))
                for name in sorted(names):
                    full = os.path.join(root, name)
                    if name.lower().endswith(CHECKED_EXTENSIONS) and not excluded(full):
                        found.append(full)
            files.extend(found)
        elif os.path.exists(p) or os.path.islink(p):
            files.append(p)
        else:
            errors.append(f"{p}: no such file or directory")
    return files, errors


_warm = False  # whether this process has checked a story (and so loaded its tables)


def _first_check():
    """The garbage collector's setting for a check: paused while the first one loads the tables."""
    global _warm
    if _warm:
        return nullcontext()
    _warm = True
    return gcpause.loading()


def _check_one(args: tuple) -> FileResult:
    path, cfg, opts = args
    with _first_check():
        return api.check_path(
            path, config=cfg, source_lang=opts.source_lang, target_lang=opts.target_lang,
            select=opts.select, ignore=opts.ignore, source=opts.source, reference=opts.reference,
        )


def check_files(files: list[str], cfg: Config, opts: Options) -> list[FileResult]:
    jobs = opts.jobs or os.cpu_count() or 1
    work = [(p, cfg, opts) for p in files]
    show_progress = sys.stderr.isatty() and len(files) >= PROGRESS_MIN_FILES and opts.fmt == "text"
    if jobs > 1 and len(files) >= PARALLEL_MIN_FILES:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(jobs, len(files))) as pool:
            it = pool.map(_check_one, work, chunksize=max(1, len(files) // (jobs * 8)))
            return _with_progress(it, len(files), show_progress)
    return _with_progress(map(_check_one, work), len(files), show_progress)


def _with_progress(it, total: int, show: bool) -> list[FileResult]:
    if not show:
        return list(it)
    with click.progressbar(it, length=total, label="Checking", file=sys.stderr) as bar:
        return list(bar)


def _read_stdin(opts: Options, cfg: Config) -> FileResult:
    name = opts.stdin_filename or "-"
    data = sys.stdin.buffer.read()
    with _first_check():
        return api.check_path(
            name, config=cfg, source_lang=opts.source_lang, target_lang=opts.target_lang,
            select=opts.select, ignore=opts.ignore, display_name=name, data=data,
            source=opts.source, reference=opts.reference,
        )


def _fix_result(r: FileResult, cfg: Config, opts: Options, path: str) -> tuple[FileResult, str | None]:
    """Fix one file's text; returns the updated result and a diff when --diff."""
    doc = r.document
    assert doc is not None

    src_doc = api.load_path(opts.source, max_size=cfg.max_file_size) if opts.source else None
    ref_doc = api.load_path(opts.reference, max_size=cfg.max_file_size) if opts.reference else None

    def recheck(text: str):
        return api.check(
            text, filename=doc.filename, format=doc.format, config=cfg, source_lang=opts.source_lang,
            target_lang=opts.target_lang, select=opts.select, ignore=opts.ignore,
            source=src_doc, reference=ref_doc,  # type: ignore[arg-type]
        )

    new, applied, remaining = fix_mod.fix_text(doc.source, recheck, unsafe=opts.unsafe_fixes)
    if applied == 0:
        return r, None
    if opts.diff:
        return r, fix_mod.unified_diff(r.filename, doc.source, new)
    if path != "-":
        fix_mod.write_atomic(path, new, doc.encoding, doc.bom)
    from .readers import read_text

    new_doc = read_text(new, doc.filename, doc.format)
    new_doc.encoding, new_doc.bom = doc.encoding, doc.bom
    return FileResult(r.filename, findings=list(remaining), document=new_doc, fixed=applied), None


def run(opts: Options) -> int:
    try:
        cfg = load_config(opts)
        recorded = baseline_mod.load(opts.baseline) if opts.baseline else None
    except MtcheckError as exc:
        _error(str(exc))
        return EXIT_ERROR
    if not opts.paths:
        _error("no paths given (try `mtcheck story.txt`, or `-` for stdin)")
        return EXIT_ERROR

    if (opts.source or opts.reference) and (len(opts.paths) != 1 or os.path.isdir(opts.paths[0])):
        _error("--source and --reference apply to one story: give exactly one file")
        return EXIT_ERROR
    files, errors = discover_files(opts.paths, cfg)
    results: list[FileResult] = []
    regular = [f for f in files if f != "-"]
    if "-" in files:
        results.append(_read_stdin(opts, cfg))
    results.extend(check_files(regular, cfg, opts))

    diffs: list[str] = []
    fixed_total = 0
    if opts.fix or opts.diff:
        for i, r in enumerate(results):
            if r.document is None or not r.findings:
                continue
            try:
                new_r, d = _fix_result(r, cfg, opts, r.filename)
            except OSError as exc:
                results[i] = FileResult(r.filename, findings=r.findings, document=r.document,
                                        error=f"{r.filename}: cannot write fixes ({exc.strerror or exc})")
                continue
            results[i] = new_r
            fixed_total += new_r.fixed
            if d:
                diffs.append(d)
            if opts.fix and not opts.diff and r.filename == "-" and new_r.document is not None:
                sys.stdout.write(new_r.document.source)

    if opts.write_baseline:
        n = baseline_mod.write(opts.write_baseline, results)
        click.echo(f"mtcheck: wrote {n} findings to baseline {opts.write_baseline}", err=True)
    stale = 0
    if recorded is not None and opts.baseline:
        stale = baseline_mod.apply(results, opts.baseline, recorded)

    for message in errors:
        _error(message)
    for r in results:
        if r.error:
            _error(r.error)

    from . import output

    stdout_fix = opts.fix and any(r.filename == "-" for r in results)
    if opts.diff:
        sys.stdout.write("".join(diffs))
    elif not stdout_fix:
        color = opts.color if opts.color is not None else (sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        output.write(
            opts.fmt, results, sys.stdout, color=color, show_source=opts.show_source,
            statistics=opts.statistics, fixed=fixed_total, quiet=opts.quiet,
        )
    if stale and not opts.quiet:
        click.echo(f"mtcheck: {stale} baseline entries no longer match any finding "
                   f"(refresh with --write-baseline {opts.baseline})", err=True)

    if errors or any(r.error for r in results):
        return EXIT_ERROR
    if opts.diff:
        return EXIT_FINDINGS if diffs and not opts.exit_zero else EXIT_OK
    if opts.exit_zero:
        return EXIT_OK
    threshold = SEVERITY_RANK[cfg.fail_on]
    if any(SEVERITY_RANK[f.severity] >= threshold for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_OK
