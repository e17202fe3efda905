"""Errors that reach the user as one line and exit code 2, never a traceback."""
from __future__ import annotations


class MtcheckError(Exception):
    """Base class: a problem to report in one line."""


class InputError(MtcheckError):
    """A file that cannot be checked: missing, binary, undecodable, too large."""

    def __init__(self, filename: str, message: str):
        super().__init__(f"{filename}: {message}")
        self.filename = filename
        self.reason = message


class ConfigError(MtcheckError):
    """A configuration file or option with an unknown key or a bad value."""
