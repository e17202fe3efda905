"""The cyclic garbage collector, paused while a process loads its tables.

The first story a process checks loads everything the checks look things up
in: the gazetteer, the rules, the lexicons, the reference model. That is tens
of thousands of objects which live as long as the process, and Python's
collector would traverse them over and over while they are being built (one
full collection at that point costs ~50 ms, a tenth of a cold start) without
ever finding garbage among them. So :func:`loading` pauses the collector for
that first check, then freezes what exists (:func:`gc.freeze`: later
collections skip it) and lets the collector run as usual for the rest.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def loading() -> Iterator[None]:
    """Run the block with the collector paused; freeze what it built."""
    if not gc.isenabled():  # paused by the caller, or nested: leave it alone
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
