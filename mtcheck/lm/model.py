"""The reference model of one language: a SentencePiece tokeniser and n-gram tables.

A :class:`LanguageModel` scores normalised tokens (:mod:`mtcheck.lm.text`):
each token becomes its pieces, each piece is scored by the n-gram tables given
the pieces before it in the sentence, and a token's score is the sum of its
pieces'. A newsroom profile adds a second table over the same pieces; the two
are mixed per piece (linear interpolation of the two scores).
"""
from __future__ import annotations

import math
from itertools import chain
from typing import Iterable, NamedTuple, Sequence

import numpy as np

from .ngram import NgramLM, positions
from .text import normalise, tokens

BOS, EOS, UNK = 1, 2, 0
_BOS_UNIT, _EOS_UNIT = (BOS,), (EOS,)
_CACHE_MAX = 200_000


class Tokeniser:
    """SentencePiece over one normalised token at a time, with a per-process cache."""

    def __init__(self, model_file: str):
        import sentencepiece as spm

        self.model_file = str(model_file)
        self.sp = spm.SentencePieceProcessor(model_file=self.model_file)
        self.vocab_size = self.sp.get_piece_size()
        self._cache: dict[str, tuple[int, ...]] = {}

    def pieces(self, words: Sequence[str]) -> list[tuple[int, ...]]:
        """Piece ids of each normalised token."""
        cache = self._cache
        got = list(map(cache.get, words))
        if None in got:
            if len(cache) > _CACHE_MAX:
                cache.clear()
            encode = self.sp.encode  # one word at a time: a batch call costs more per call
            for w in dict.fromkeys(words):
                if w not in cache:
                    cache[w] = tuple(encode(w)) or (UNK,)
            got = list(map(cache.__getitem__, words))
        return got

    def piece_strings(self, word: str) -> list[str]:
        return self.sp.encode(word, out_type=str)


def split_at(a: np.ndarray, cuts: np.ndarray) -> list[np.ndarray]:
    """``np.split(a, cuts)`` (views of ``a`` between the cuts) by slicing: np.split
    goes through swapaxes twice per part, several microseconds a sentence."""
    edges = [0, *cuts.tolist(), len(a)]
    return [a[i:j] for i, j in zip(edges, edges[1:])]


class StreamScores(NamedTuple):
    """A story scored as one stream of pieces (:meth:`LanguageModel.score_stream`)."""

    ids: np.ndarray  # every piece id, each sentence between BOS and EOS
    lp: np.ndarray  # every piece's score (BOS: 0)
    bounds: np.ndarray  # per sentence: the stream index of each token's first piece, then of its EOS
    tokens: list[np.ndarray]  # per sentence: each token's score (the sum of its pieces'), then the EOS score
    flat: np.ndarray  # ``tokens`` end to end
    first: np.ndarray  # per sentence: where its scores begin in ``flat`` (and its bounds in ``bounds``)


class LanguageModel:
    """Scores token sequences; ``tables`` are ``(NgramLM, weight)`` pairs."""

    def __init__(self, lang: str, tokeniser: Tokeniser, tables: Sequence[tuple[NgramLM, float]], meta: dict | None = None):
        if not tables:
            raise ValueError("a language model needs at least one n-gram table")
        self.lang = lang
        self.tokeniser = tokeniser
        self.tables = list(tables)
        total = sum(w for _, w in self.tables)
        self._logw = [math.log(w / total) for _, w in self.tables]
        self.meta = dict(meta or self.tables[0][0].meta)

    def with_table(self, table: NgramLM, weight: float) -> "LanguageModel":
        """This model mixed with another table over the same pieces (a profile)."""
        base = self.tables[0][0]
        if table.vocab_size != base.vocab_size:
            raise ValueError("the profile was built with another tokeniser")
        return LanguageModel(self.lang, self.tokeniser, [(base, 1.0 - weight), (table, weight)], self.meta)

    @property
    def word_list(self):
        """The words (with counts) the tables ship, merged: a :class:`~mtcheck.lm.edits.WordList`."""
        wl = getattr(self, "_word_list", None)
        if wl is None:
            from .edits import WordList

            lists = []
            for table, _ in self.tables:
                ws, cs = table.extras.get("words"), table.extras.get("word_counts")
                if ws is not None and cs is not None and len(cs):
                    lists.append((bytes(ws).decode("utf-8").split("\n"), cs.tolist()))
            if len(lists) == 1:
                wl = WordList(*lists[0], presorted=True)  # stored sorted
            else:
                counts: dict[str, int] = {}
                for words, cs in lists:
                    for w, c in zip(words, cs):
                        counts[w] = counts.get(w, 0) + int(c)
                wl = WordList(list(counts), list(counts.values()))
            self._word_list = wl
        return wl

    # -- pieces -------------------------------------------------------------------
    def encode(self, sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        """Flat ids (each sentence wrapped in BOS/EOS), positions, and per sentence
        the stream index of each token's first piece (plus one past the last)."""
        if not sentences:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
        ids, pos, bounds, cuts = self._encode_flat(sentences)
        return ids, pos, split_at(bounds, cuts)

    def _encode_flat(self, sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`encode` with the bounds of all sentences in one array, and where each sentence's begin.

        The whole story is worked out at once: its tokens' pieces in one call,
        laid end to end with each sentence's BOS and EOS as one-piece units;
        every unit's start is a running sum, so the bounds are those starts
        less the BOS units', with no loop over tokens."""
        n_tok = list(map(len, sentences))
        ps = self.tokeniser.pieces([w for words in sentences for w in words])
        units: list[tuple[int, ...]] = []  # per sentence: (BOS,), each token's pieces, (EOS,)
        k = 0
        for n in n_tok:
            units.append(_BOS_UNIT)
            units += ps[k:k + n]
            units.append(_EOS_UNIT)
            k += n
        unit_len = np.fromiter(map(len, units), dtype=np.int64, count=len(units))
        unit_end = unit_len.cumsum()
        ids = np.fromiter(chain.from_iterable(units), dtype=np.int64, count=int(unit_end[-1]))
        unit_start = unit_end - unit_len
        per = np.array(n_tok, dtype=np.int64) + 2  # units per sentence
        bos = per.cumsum() - per  # each sentence's BOS unit
        is_bos = np.zeros(len(units), dtype=bool)
        is_bos[bos] = True
        bounds = unit_start[~is_bos]  # per sentence: its tokens' starts, then its EOS
        lengths = np.diff(unit_start[bos], append=unit_end[-1:])  # pieces per sentence, BOS and EOS included
        return ids, positions(lengths), bounds, (per - 1).cumsum()[:-1]

    def unigram_ids(self, ids: np.ndarray) -> np.ndarray:
        """Each id's context-free (unigram) score."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(self.tables) == 1:
            return self.tables[0][0].unigram[ids].astype(np.float64)
        parts = [lw + t.unigram[ids].astype(np.float64) for (t, _), lw in zip(self.tables, self._logw)]
        return np.logaddexp.reduce(parts, axis=0)

    def score_ids(self, ids: np.ndarray, pos: np.ndarray, *, orders: bool = False, at: np.ndarray | None = None):
        """Each id's score (and, with ``orders``, the longest n-gram any table had for it);
        ``at``: only these indices' (see :meth:`NgramLM.score`)."""
        if len(self.tables) == 1:
            return self.tables[0][0].score(ids, pos, orders=orders, at=at)
        results = [t.score(ids, pos, orders=orders, at=at) for t, _ in self.tables]
        if orders:
            parts = [lw + r[0] for r, lw in zip(results, self._logw)]
            return np.logaddexp.reduce(parts, axis=0), np.maximum.reduce([r[1] for r in results])
        parts = [lw + r for r, lw in zip(results, self._logw)]
        return np.logaddexp.reduce(parts, axis=0)

    def pair_bounds(self, prev: np.ndarray, cur: np.ndarray) -> np.ndarray | None:
        """Per pair of piece ids, the highest score :meth:`score_ids` can give
        ``cur`` right after ``prev`` (:meth:`NgramLM.pair_bounds`); None when
        the model cannot say (a mixed profile, or a table of unknown pruning)."""
        if len(self.tables) != 1 or not self.tables[0][0].suffix_closed:
            return None
        return self.tables[0][0].pair_bounds(prev, cur)

    def score_stream(self, sentences: Sequence[Sequence[str]]) -> "StreamScores":
        """The story as one stream of pieces (each sentence between BOS and EOS),
        every piece's score, and per sentence each token's score followed by the
        end-of-sentence score."""
        if not sentences:
            empty = np.zeros(0, dtype=np.int64)
            return StreamScores(empty, np.zeros(0), empty, [], np.zeros(0), empty)
        ids, pos, bounds, cuts = self._encode_flat(sentences)
        lp = self.score_ids(ids, pos)
        # Every token's pieces run to the next boundary; an EOS runs to the next
        # sentence's first token, past a BOS that scores 0.
        sums = np.add.reduceat(lp, bounds)
        return StreamScores(ids, lp, bounds, split_at(sums, cuts), sums, np.concatenate(([0], cuts)))

    def score_sentences(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per sentence, the score of each token followed by the end-of-sentence score."""
        return self.score_stream(sentences).tokens

    def logprob_tokens(self, words: Sequence[str]) -> float:
        """Total score of one sentence of normalised tokens (end of sentence included)."""
        return float(self.score_sentences([list(words)])[0].sum())

    def logprob(self, text: str) -> float:
        """Total score of a text taken as one sentence (raw text; it is tokenised here)."""
        return self.logprob_tokens([normalise(t) for _, _, t in tokens(text)])

    def scores(self, texts: Iterable[str]) -> list[float]:
        """Scores of several alternatives at once (one vectorised pass)."""
        sents = [[normalise(t) for _, _, t in tokens(x)] for x in texts]
        return [float(s.sum()) for s in self.score_sentences(sents)]
