"""The reference language model behind the F family, and newsroom profiles.

- :mod:`mtcheck.lm.text`: tokens and the normalisation shared by training and scoring;
- :mod:`mtcheck.lm.ngram`: the numpy stupid-backoff n-gram table (.npz);
- :mod:`mtcheck.lm.model`: tokeniser + tables = :class:`LanguageModel`;
- :mod:`mtcheck.lm.build`: bounded-memory counting (``scripts/build_lm.py``, ``mtcheck learn``);
- :mod:`mtcheck.lm.profile`: a profile learned from a newsroom's archive;
- :mod:`mtcheck.lm.edits`, :mod:`mtcheck.lm.scan`: what the fluency check tries.

Nothing is read until first use; a model is loaded once per process. The
default models live in ``corpora/lm/<lang>.model`` (SentencePiece) and
``corpora/lm/<lang>.npz`` (n-grams); see corpora/README.md for their sources.
"""
from __future__ import annotations

import threading
import weakref
from functools import lru_cache
from typing import Any, Callable, Sequence

from typing import TYPE_CHECKING

from .profile import Profile, load_profile  # no numpy: cheap to import

if TYPE_CHECKING:  # pragma: no cover
    from .model import LanguageModel

__all__ = ["Profile", "default_model", "load_profile", "model_for", "services", "word_model"]

PROFILE_WEIGHT = 0.5  # share of a profile's table when mixed with the default
_lock = threading.Lock()


def default_files(lang: str):
    """(tokeniser, tables) paths of the shipped model for ``lang``, or None."""
    from .. import resources

    try:
        sp, npz = resources.path(f"lm/{lang}.model"), resources.path(f"lm/{lang}.npz")
    except FileNotFoundError:
        return None
    return (sp, npz) if sp.is_file() and npz.is_file() else None


@lru_cache(maxsize=8)
def default_model(lang: str) -> "LanguageModel | None":
    """The shipped model for ``lang`` (None when there is none)."""
    from .model import LanguageModel, Tokeniser
    from .ngram import NgramLM

    files = default_files(lang)
    if files is None:
        return None
    with _lock:
        # Mapped, not read: the package's own files are not rewritten under a running check.
        return LanguageModel(lang, Tokeniser(str(files[0])), [(NgramLM.load(str(files[1]), mapped=True), 1.0)])


@lru_cache(maxsize=8)
def word_model(lang: str):
    """The shipped word-bigram table for ``lang`` (:mod:`mtcheck.lm.words`), or None."""
    from .. import resources
    from .words import WordBigramLM

    try:
        path = resources.path(f"lm/{lang}-words.npz")
    except FileNotFoundError:
        return None
    if not path.is_file():
        return None
    with _lock:
        return WordBigramLM.load(str(path))


@lru_cache(maxsize=8)
def _mixed(lang: str, profile: Profile) -> "LanguageModel | None":
    from .model import LanguageModel, Tokeniser

    base = default_model(lang)
    table = profile.table
    if profile.tokeniser_file:
        # A profile with its own tokeniser (no default for its language) stands alone.
        return LanguageModel(lang, Tokeniser(profile.tokeniser_file), [(table, 1.0)], table.meta)
    if base is None:
        return None
    mixed = base.with_table(table, PROFILE_WEIGHT)
    mixed.meta = {**base.meta, "profile": profile.path}
    return mixed


def model_for(lang: str, profile: Profile | None = None) -> "LanguageModel | None":
    """The model to check a story in ``lang`` with: the profile's (mixed with the
    default) when the profile is of that language, else the default."""
    if profile is not None and profile.lang == lang:
        return _mixed(lang, profile)
    return default_model(lang)


def services(ctx) -> dict[str, Any]:
    """Scorers for ``ctx.services``; nothing loads until one is called, and each
    call uses the context's target language and profile as they are then.

    - ``lm_score(text) -> float | None``: the model's log score of a text
      (natural log, higher is more probable; None when the language has no model);
    - ``lm_scores(texts) -> list[float] | None``: several alternatives in one
      pass, e.g. to choose between "and" and "or", or "his" and "her";
    - ``lm_model() -> LanguageModel | None``.

    The scorers hold the context weakly: they live in ``ctx.services``, so a strong
    reference would be a cycle (context -> services -> scorer -> context), and every
    context, with the document and analyses cached on it, would wait for the cyclic
    garbage collector instead of being freed when its check returns. A scorer called
    after its context is gone raises ReferenceError.
    """
    ref = weakref.ref(ctx)

    def get() -> "LanguageModel | None":
        c = ref()
        if c is None:
            raise ReferenceError("the context these scorers were made for no longer exists")
        return model_for(c.target_lang, c.services.get("profile"))

    def lm_score(text: str) -> float | None:
        m = get()
        return None if m is None else m.logprob(text)

    def lm_scores(texts: Sequence[str]) -> list[float] | None:
        m = get()
        return None if m is None else m.scores(texts)

    out: dict[str, Callable[..., Any]] = {"lm_score": lm_score, "lm_scores": lm_scores, "lm_model": get}
    return out
