"""mtcheck: catches what machine translation breaks in news copy.

The public API is :func:`check` (a string) and :func:`check_path` (a file);
both return :class:`~mtcheck.finding.Finding` objects whose ``to_dict()`` is
the JSON contract the CLI prints.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "check", "check_path", "Finding", "Suggestion"]


def __getattr__(name: str):
    # Lazy: `import mtcheck` must stay cheap for the CLI's cold start.
    if name in ("check", "check_path"):
        from . import api

        return getattr(api, name)
    if name in ("Finding", "Suggestion"):
        from . import finding

        return getattr(finding, name)
    raise AttributeError(name)
