"""The ``mtcheck`` command line: parses options and hands the work to the API.

``mtcheck story.txt`` checks files; ``mtcheck rules`` and ``mtcheck explain``
describe the rules. Exit codes: 0 clean, 1 findings at or above ``--fail-on``,
2 usage, configuration or input errors (after every other file was checked).
"""
from __future__ import annotations

import os
import sys
from typing import Sequence

import click

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class DefaultGroup(click.Group):
    """A group whose unknown first argument is a path for the ``check`` command."""

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="mtcheck")
def main() -> None:
    """Catch what machine translation breaks in news copy.

    \b
    mtcheck story.txt              check files or directories
    mtcheck rules                  list the rules
    mtcheck explain P001           describe one rule with examples
    mtcheck learn ARCHIVE -o DIR   build a reference profile from edited stories
    mtcheck serve                  HTTP service and web page (needs mtcheck[serve])
    """


FORMATS = ("text", "json", "jsonl", "sarif", "github", "rdjson", "junit", "html")


def _split_codes(values: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        out.extend(c.strip().upper() for c in v.split(",") if c.strip())
    return tuple(out)


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(), required=False)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None, help="Lowest severity that makes the exit code 1 [default: error].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option("--select", multiple=True, help="Rule codes or prefixes to run (comma-separated; repeatable).")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to skip.")
@click.option("--source-lang", default=None, help="Source language (ISO 639-1) the story was translated from.")
@click.option("--target-lang", default=None, help="Language of the story (ISO 639-1) [default: detected].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, help="Configuration file to use.")
@click.option("--no-config", is_flag=True, help="Ignore configuration files.")
@click.option("--fix", is_flag=True, help="Apply safe suggestions to the files.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, apply unsafe suggestions too.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--baseline", type=click.Path(dir_okay=False), default=None, help="Hide findings recorded in this baseline.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), default=None, help="Record current findings as a baseline.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Parallel processes [default: CPU count].")
@click.option("--statistics", is_flag=True, help="Count findings per rule instead of listing them.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("--stdin-filename", default=None, help="Name for '-' input (its extension picks the reader).")
@click.option("--max-file-size", default=None, help="Size cap per file, e.g. 10MB [default: 5MB].")
@click.option("--no-source", is_flag=True, hidden=True)
@click.option("--color/--no-color", default=None, help="Colour the text output [default: on a terminal].")
@click.option("--source", "source_file", type=click.Path(dir_okay=False), default=None,
              help="The source story the checked story translates (one story only): enables the S rules.")
@click.option("--reference", "reference_file", type=click.Path(dir_okay=False), default=None,
              help="A human reference translation of the story (one story only): enables the R rules.")
@click.option("--profile", "profile", type=click.Path(file_okay=False), default=None,
              help="A reference profile made by `mtcheck learn`: the F rules judge against it.")
def check_cmd(paths: tuple[str, ...], fmt: str, fail_on: str | None, exit_zero: bool, select, ignore,
              source_lang, target_lang, config_path, no_config, fix, unsafe_fixes, diff, baseline,
              write_baseline, jobs, statistics, quiet, stdin_filename, max_file_size, no_source, color,
              source_file=None, reference_file=None, profile=None) -> None:
    """Check stories (files, directories, or - for stdin)."""
    from .runner import Options, run

    opts = Options(
        paths=paths, fmt=fmt, fail_on=fail_on, exit_zero=exit_zero, select=_split_codes(select),
        ignore=_split_codes(ignore), source_lang=source_lang, target_lang=target_lang, config_path=config_path,
        no_config=no_config, fix=fix, unsafe_fixes=unsafe_fixes, diff=diff, baseline=baseline,
        write_baseline=write_baseline, jobs=jobs, statistics=statistics, quiet=quiet,
        stdin_filename=stdin_filename, max_file_size=max_file_size, show_source=not no_source, color=color,
    )
    opts.source, opts.reference = source_file, reference_file
    opts.profile = profile
    sys.exit(run(opts))


@main.command("learn")
@click.argument("paths", nargs=-1, type=click.Path(), required=True)
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="The profile directory to write (created if missing).")
@click.option("--lang", default=None, help="Language of the archive (ISO 639-1) [default: detected].")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def learn_cmd(paths: tuple[str, ...], output: str, lang: str | None, no_progress: bool) -> None:
    """Build a reference profile from an archive of edited stories (.txt, .md, .html, .jsonl).

    \b
    mtcheck learn archive/ -o house-profile
    mtcheck --profile house-profile story.txt
    """
    from . import learn as learn_mod
    from .config import _lang
    from .errors import MtcheckError

    try:
        lang = _lang("--lang", lang) if lang else None
        files, missing = learn_mod.archive_files(paths)
        total = 0
        for f in files:
            try:
                total += os.path.getsize(f)
            except OSError:
                pass
        if no_progress or not files:
            stats = learn_mod.learn(paths, output, lang=lang)
        else:
            with click.progressbar(length=max(total, 1), label="Learning", file=sys.stderr,
                                   show_pos=False, show_percent=True) as bar:
                stats = learn_mod.learn(paths, output, lang=lang, progress=bar.update)
    except MtcheckError as exc:
        click.echo(f"mtcheck: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(
        f"mtcheck: wrote profile {stats.path} ({stats.lang}): {stats.files} files, {stats.stories} stories, "
        f"{stats.words:,} words in {stats.seconds:.1f}s"
        + (f"; {stats.skipped} unreadable files skipped" if stats.skipped else ""),
        err=True,
    )


@main.command("score")
@click.argument("hypothesis", type=click.Path(dir_okay=False))
@click.option("--reference", "-r", "references", multiple=True, required=True, type=click.Path(dir_okay=False),
              help="A reference translation, line-aligned with the hypothesis (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--sentences", is_flag=True, help="Add per-line scores.")
@click.option("--tokenize", type=click.Choice(["13a", "intl", "char"]), default="13a", show_default=True,
              help="BLEU's tokenizer (only tokenizers that work offline).")
def score_cmd(hypothesis: str, references: tuple[str, ...], fmt: str, sentences: bool, tokenize: str) -> None:
    """Score a translation against references: sacrebleu's BLEU, chrF, chrF++ and TER."""
    import json

    from . import scores
    from .errors import MtcheckError

    try:
        hyp = scores.read_lines(hypothesis)
        refs = [scores.read_lines(r) for r in references]
        result = scores.score(hyp, refs, tokenize=tokenize, sentences=sentences)
    except MtcheckError as exc:
        click.echo(f"mtcheck: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(scores.format_text(result))


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--max-body", default="1MB", show_default=True, help="Largest request body (413 beyond), e.g. 1MB.")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=10.0, show_default=True,
              help="Seconds a check may take, queueing included (503 beyond).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Configuration file for every request [default: none].")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes (checks are CPU-bound: one per core serves the most).")
def serve_cmd(host: str, port: int, max_body: str, timeout: float, config_path: str | None, workers: int) -> None:
    """Serve POST /v1/check, GET /v1/rules, GET /health and a web page at /."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        click.echo(f"mtcheck: `mtcheck serve` needs {exc.name or 'starlette and uvicorn'}: "
                   "install it with python -m pip install 'mtcheck[serve]'", err=True)
        sys.exit(EXIT_ERROR)
    from . import config as config_mod
    from .errors import MtcheckError
    from .server import Settings, serve

    try:
        limit = config_mod._size("--max-body", max_body)
        cfg = config_mod.load_file(config_path) if config_path else None
    except MtcheckError as exc:
        click.echo(f"mtcheck: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    serve(host, port, Settings(max_body=limit, timeout=timeout, config=cfg), workers=workers,
          config_path=os.path.abspath(config_path) if config_path else None)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_cmd(fmt: str) -> None:
    """List every rule: code, name, severity, fixable, description."""
    import json

    from .rules import all_rules

    rules = all_rules().values()
    if fmt == "json":
        click.echo(json.dumps([
            {"code": r.code, "name": r.name, "severity": r.severity, "fixable": r.fixable, "summary": r.summary}
            for r in rules
        ], indent=2, ensure_ascii=False))
        return
    rows = [(r.code, r.name, r.severity, "*" if r.fixable else "", r.summary) for r in rules]
    w = [max((len(row[i]) for row in rows), default=0) for i in range(4)]
    for row in rows:
        click.echo(f"{row[0]:<{w[0]}}  {row[1]:<{w[1]}}  {row[2]:<{w[2]}}  {row[3]:<1}  {row[4]}")
    click.echo(f"\n{len(rows)} rules; * = offers a safe fix.", err=True)


@main.command("explain")
@click.argument("code")
def explain_cmd(code: str) -> None:
    """Describe one rule, with examples it flags and leaves alone."""
    from .rules import FAMILIES, get

    rule = get(code)
    if rule is None:
        click.echo(f"mtcheck: unknown rule code {code!r} (see `mtcheck rules`)", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"{rule.code} ({rule.name})")
    click.echo(f"Family: {rule.family}, {FAMILIES[rule.family]}. Default severity: {rule.severity}. "
               f"Fix: {rule.fix}.")
    if rule.target_langs:
        click.echo(f"Target languages: {', '.join(rule.target_langs)}")
    click.echo("")
    click.echo(rule.summary)
    if rule.description:
        click.echo("")
        click.echo(rule.description.strip())
    flagged = [e for e in rule.examples if e.flags]
    passed = [e for e in rule.examples if not e.flags]
    for title, examples in (("Flags", flagged), ("Leaves alone", passed)):
        if examples:
            click.echo(f"\n{title}:")
            for e in examples:
                lang = f"  [{e.source_lang + '->' if e.source_lang else ''}{e.target_lang}]" if e.target_lang != "en" or e.source_lang else ""
                click.echo(f"  {e.text}{lang}")


def entry() -> None:
    """Console-script entry point: no traceback ever reaches the user."""
    # mtcheck multiplies no matrices, but numpy's OpenBLAS starts a worker thread
    # per core when imported, and on a small machine they compete with the check
    # for the CPU (~60 ms of a two-core cold start). One thread, unless the user
    # says otherwise; set before numpy is imported (the F family imports it).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        main(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("mtcheck: interrupted", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except Exception as exc:  # pragma: no cover - last resort
        click.echo(f"mtcheck: internal error ({exc.__class__.__name__}: {exc}); please report it", err=True)
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":  # pragma: no cover
    entry()
