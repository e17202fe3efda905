"""A newsroom's house list of names: the file ``names-file`` in the configuration names.

The format is the gazetteer's (see :mod:`mtcheck.gazetteer`): one person a row,
tab-separated ``canonical``, ``variants`` (``|``-separated), ``accept``, and
optionally ``es``, ``fr``, ``note``; ``#`` starts a comment; a header line
naming the columns is optional. A row with only a canonical form is a name to
accept as it is. House entries win over the built-in gazetteer: a house entry
sharing a spelling with a gazetteer entry is merged with it (the house's
canonical form and variants decide; the gazetteer adds the spellings it knows,
so a one-column list written by ``mtcheck learn`` keeps the gazetteer's variants).

This module is the only place that reads the file; checks get the parsed
:class:`~mtcheck.gazetteer.NameTable` through ``ctx.services["house_names"]``.
"""
from __future__ import annotations

import os

from .errors import ConfigError
from .gazetteer import NameTable, TableError, name_key, parse_table

_CACHE: dict[str, tuple[tuple[float, int], NameTable]] = {}


def parse(text: str, filename: str = "<house list>") -> NameTable:
    """Parse a house list; raises ConfigError naming the file and line."""
    try:
        entries = parse_table(text, source="house", filename=os.path.basename(filename))
    except TableError as exc:
        raise ConfigError(f"{filename}: {exc}") from None
    seen: dict[str, str] = {}
    for e in entries:
        for form in (e.canonical, *e.accept, *e.variants, *(f for _, f in e.forms)):
            k = name_key(form)
            other = seen.get(k)
            if other is not None and other != e.origin:
                line = e.origin.rsplit(":", 1)[-1]
                raise ConfigError(
                    f"{filename}: line {line}: {form!r} is already listed for another name (line {other.rsplit(':', 1)[-1]})"
                )
            seen[k] = e.origin
    return NameTable(entries, filename)


def load(path: str) -> NameTable:
    """Read and parse the house list at ``path`` (cached until the file changes)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ConfigError(f"{path}: names file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read names file: {exc.strerror or exc}") from None
    stamp = (st.st_mtime, st.st_size)
    hit = _CACHE.get(path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: names file is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read names file: {exc.strerror or exc}") from None
    table = parse(text, path)
    _CACHE[path] = (stamp, table)
    return table
