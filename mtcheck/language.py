"""Language identification of whole texts with langdetect, seeded and restricted.

Only the profiles of the languages mtcheck supports are loaded (40 ms instead
of 0.7 s for all 55), and the seed is fixed so the same text always gets the
same answer. Word-level decisions belong to the U family, not here: detectors
are unreliable on one or two words.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from functools import lru_cache
from typing import Sequence

from . import resources

SUPPORTED = ("en", "es", "fr", "de", "it", "pt")
# Profiles loaded besides the supported ones, so that a Dutch or Catalan text
# is not forced into the nearest supported language.
EXTRA = ("nl", "ca", "ro")
SEED = 0
# Letters sampled; langdetect is accurate long before a whole story.
MAX_CHARS = 4000


@lru_cache(maxsize=1)
def _factory():
    import langdetect
    from langdetect.detector_factory import DetectorFactory

    factory = DetectorFactory()
    factory.seed = SEED
    folder = os.path.join(os.path.dirname(langdetect.__file__), "profiles")
    profiles = []
    for lang in SUPPORTED + EXTRA:
        with open(os.path.join(folder, lang), encoding="utf-8") as fh:
            profiles.append(fh.read())
    factory.load_json_profile(profiles)
    return factory


def probabilities(text: str, candidates: Sequence[str] | None = None) -> list[tuple[str, float]]:
    """(language, probability) pairs, best first; empty when there is no text to judge."""
    from langdetect.lang_detect_exception import LangDetectException

    sample = text[:MAX_CHARS]
    if sum(ch.isalpha() for ch in sample) < 3:
        return []
    detector = _factory().create()
    detector.append(sample)
    try:
        langs = detector.get_probabilities()
    except LangDetectException:
        return []
    out = [(l.lang, l.prob) for l in langs]
    if candidates:
        out = [(l, p) for l, p in out if l in candidates]
    return out


# A quick vote decides only when it is overwhelming: this many function words
# for the winner, and this many times the runner-up's.
VOTE_MIN = 25
VOTE_RATIO = 2.5
_WORD_RE = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _function_words() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for row in resources.tsv("language/function_words.tsv"):
        if len(row) >= 2:
            for word in row[1].split():
                table.setdefault(word, []).append(row[0])
    return {w: tuple(langs) for w, langs in table.items()}


def quick_vote(text: str, candidates: Sequence[str] = SUPPORTED) -> str | None:
    """The language whose function words overwhelm the others', else None (ask langdetect)."""
    words = _function_words()
    votes: Counter = Counter()
    for m in _WORD_RE.finditer(text[:MAX_CHARS]):
        langs = words.get(m.group().lower())
        if langs:
            votes.update(langs)
    ranked = [(lang, n) for lang, n in votes.most_common() if lang in candidates]
    if not ranked or ranked[0][1] < VOTE_MIN:
        return None
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    return ranked[0][0] if ranked[0][1] >= VOTE_RATIO * max(runner_up, 1) else None


def detect(text: str, candidates: Sequence[str] = SUPPORTED, default: str = "en") -> str:
    """The most likely language among ``candidates``; ``default`` when unsure.

    A story whose function words leave no doubt is decided by a vote (the same
    answer langdetect gives, without its start-up); anything else by langdetect.
    """
    voted = quick_vote(text, candidates)
    if voted:
        return voted
    probs = probabilities(text, candidates)
    return probs[0][0] if probs and probs[0][1] >= 0.5 else default
