"""A reference profile learned from a newsroom's archive (``mtcheck learn``).

A profile is a directory:

- ``profile.json``: language, what it was built from, sizes, the tokeniser used;
- ``lm.npz``: n-gram tables over the default model's pieces (or over the
  profile's own ``tokenizer.model`` when the language has no default model);
- ``names.tsv``: the names as the archive spells them, in the house-list format
  of :mod:`mtcheck.housenames` (usable as ``names-file``): capitalised
  multi-word sequences seen at least twice, the archive's most frequent
  spelling of each, its count in the note column, most frequent first;
- ``vocab.tsv``: the archive's words as spelt (``word<TAB>count``).

``--profile DIR`` (or ``profile = "DIR"`` in the configuration) makes the F
family judge against the default model mixed with the archive's tables.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import ConfigError

PROFILE_FORMAT = 1


@dataclass(frozen=True)
class Profile:
    path: str
    lang: str
    meta: dict = field(default_factory=dict, compare=False, hash=False)
    mtime: float = 0.0

    @property
    def tokeniser_file(self) -> str | None:
        p = os.path.join(self.path, "tokenizer.model")
        return p if os.path.isfile(p) else None

    @property
    def table(self):
        return _table(os.path.join(self.path, "lm.npz"), self.mtime)

    def names(self) -> list[tuple[str, int]]:
        """(name, count) from ``names.tsv`` (house-list rows; the count is in the note)."""
        return _names(os.path.join(self.path, "names.tsv"), self.mtime)

    def vocab(self) -> list[tuple[str, int]]:
        return _tsv(os.path.join(self.path, "vocab.tsv"), self.mtime)


@lru_cache(maxsize=4)
def _table(path: str, mtime: float):
    from .ngram import NgramLM

    return NgramLM.load(path)


@lru_cache(maxsize=4)
def _names(path: str, mtime: float) -> list[tuple[str, int]]:
    out = []
    if not os.path.isfile(path):
        return out
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            cells = line.rstrip("\n").split("\t")
            if line.startswith("#") or cells[0] == "canonical" or not cells[0]:
                continue
            note = cells[-1] if len(cells) > 1 else ""
            count = int(note.rsplit(" ", 1)[-1]) if note.rsplit(" ", 1)[-1].isdigit() else 0
            out.append((cells[0], count))
    return out


@lru_cache(maxsize=8)
def _tsv(path: str, mtime: float) -> list[tuple[str, int]]:
    out = []
    if not os.path.isfile(path):
        return out
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or "\t" not in line:
                continue
            w, c = line.rstrip("\n").split("\t", 1)
            try:
                out.append((w, int(c)))
            except ValueError:
                continue
    return out


def load_profile(path: str) -> Profile:
    """Read a profile directory's header (the tables load on first use)."""
    real = os.path.realpath(path)
    head = os.path.join(real, "profile.json")
    if not os.path.isfile(head):
        raise ConfigError(f"{path}: not an mtcheck profile (no profile.json; build one with `mtcheck learn`)")
    mtime = os.path.getmtime(head)
    return _load(real, mtime)


@lru_cache(maxsize=8)
def _load(real: str, mtime: float) -> Profile:
    try:
        with open(os.path.join(real, "profile.json"), encoding="utf-8") as fh:
            meta = json.load(fh)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{real}: cannot read profile.json ({exc})") from None
    if meta.get("format") != PROFILE_FORMAT or not isinstance(meta.get("lang"), str):
        raise ConfigError(f"{real}: profile.json is not an mtcheck profile of format {PROFILE_FORMAT}")
    if not os.path.isfile(os.path.join(real, "lm.npz")):
        raise ConfigError(f"{real}: the profile has no lm.npz")
    return Profile(real, meta["lang"], meta, mtime)
