"""GitHub Actions workflow commands: findings become inline annotations on the PR.

Escaping follows the runner's rules (actions/toolkit ``command.ts``): the
runner parses ``,`` and ``:`` in property values and newlines anywhere, so a
message with "50%, then:" would otherwise be cut short or misattributed.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from .paths import relative
from .positions import finding_span

if TYPE_CHECKING:
    from ..result import FileResult

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value (``file=``, ``title=``...)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **props: Any) -> str:
    """``::name k=v,...::message`` with every part escaped."""
    head = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
    return f"::{name} {head}::{escape_data(message)}" if head else f"::{name}::{escape_data(message)}"


def write(results: list[FileResult], stream: TextIO, **_: Any) -> None:
    for result in results:
        if result.error is not None:
            # Surface unreadable files on the run page too, not only in the log.
            stream.write(command("error", result.error, file=relative(result.filename), title="mtcheck") + "\n")
            continue
        for f in result.findings:
            span = finding_span(result, f)
            stream.write(
                command(
                    COMMANDS.get(f.severity, "warning"),
                    f.message,
                    file=relative(f.filename or result.filename),
                    line=span.line,
                    col=span.column,
                    endLine=span.end_line,
                    endColumn=span.end_column,
                    title=f"{f.code} {f.name}",
                )
                + "\n"
            )
