"""File names as CI tools want them: relative to the working directory, with '/'.

GitHub matches annotations and code-scanning alerts to repository paths, so
"./stories/a.txt" or "stories\\a.txt" would silently attach to nothing.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote


def _pseudo(filename: str) -> bool:
    return filename in ("", "-") or filename.startswith("<")


def relative(filename: str) -> str:
    """``filename`` relative to the cwd with forward slashes; absolute if it lies outside."""
    if _pseudo(filename):
        return filename
    path = filename if os.path.isabs(filename) else os.path.join(os.getcwd(), filename)
    path = os.path.normpath(path)
    try:
        rel = os.path.relpath(path, os.getcwd())
    except ValueError:  # another drive on Windows
        return path
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return path
    return rel.replace(os.sep, "/")


def sarif_location(filename: str) -> dict[str, str]:
    """A SARIF artifactLocation: relative URI under %SRCROOT%, else a file:// URI."""
    rel = relative(filename)
    if os.path.isabs(rel):
        return {"uri": Path(rel).as_uri()}
    return {"uri": quote(rel, safe="/"), "uriBaseId": "%SRCROOT%"}
