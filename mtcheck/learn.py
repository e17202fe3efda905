"""``mtcheck learn``: a reference profile from a newsroom's archive of edited stories.

    mtcheck learn archive/ more/*.jsonl -o house-profile

Reads ``.txt``, ``.md``/``.markdown``, ``.html``/``.htm`` files (markup removed
by mtcheck's own readers) and ``.jsonl`` files (one story per line, its text in
a ``text``, ``body`` or ``content`` field), directories recursively. Streams:
a large plain-text or JSONL file is read a paragraph or a line at a time, and
n-gram counts go through :class:`mtcheck.lm.build.NgramCounter`, which spills
to disk past a fixed number of entries, so a 1 GB archive builds in bounded
memory. Writes the profile directory described in :mod:`mtcheck.lm.profile`.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from .errors import MtcheckError
from .lm import text as lmtext

ARCHIVE_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
JSON_TEXT_FIELDS = ("text", "body", "content")
STREAM_ABOVE = 8 * 1024 * 1024  # plain-text files larger than this are read a paragraph at a time
MAX_TABLE = 2_000_000  # names / words kept in memory before rare ones are dropped
ORDER = 4
MIN_COUNTS = (1, 1, 2, 2)  # pruning for a large archive (a small one keeps every n-gram)
SMALL_ARCHIVE = 20_000_000  # tokens

# Capitalised words in a row, with the particles names carry ("Ursula von der Leyen").
_NAME_RE = re.compile(
    r"\b[A-ZÁÉÍÓÚÜÑÇÀÈÌÒÙÂÊÎÔÛÄËÏÖ][\w'’\-]*[\w]"
    r"(?:[ \u00a0]+(?:(?:de|del|de la|da|das|do|dos|van|von|der|den|la|le|di|du|bin|al|el|y)[ \u00a0]+)*"
    r"[A-ZÁÉÍÓÚÜÑÇÀÈÌÒÙÂÊÎÔÛÄËÏÖ][\w'’\-]*[\w])+"
)
_LEADING = frozenset(
    "the a an in on at but and or if as for to of by from with after before when while this that these those "
    "el la los las un una en de del y pero le les des et mais dans pour sur".split()
)


class LearnError(MtcheckError):
    """An archive that cannot make a profile (nothing readable, no text)."""


@dataclass
class LearnStats:
    files: int = 0
    stories: int = 0
    sentences: int = 0
    words: int = 0
    skipped: int = 0
    seconds: float = 0.0
    lang: str = ""
    path: str = ""


def archive_files(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """(files to read, missing paths); directories recursively, hidden ones skipped."""
    files, missing = [], []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                files.extend(os.path.join(root, n) for n in sorted(names)
                             if n.lower().endswith(ARCHIVE_EXTENSIONS) and not n.startswith("."))
        elif os.path.isfile(p):
            files.append(p)
        else:
            missing.append(p)
    return files, missing


def _jsonl_texts(path: str) -> Iterator[str]:
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict):
                for key in JSON_TEXT_FIELDS:
                    if isinstance(rec.get(key), str):
                        yield rec[key]
                        break
            elif isinstance(rec, str):
                yield rec


def _paragraphs(path: str) -> Iterator[str]:
    """A large plain-text file, a paragraph (or at most ~1 MB) at a time."""
    buf: list[str] = []
    size = 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if not line.strip() or size > 1_000_000:
                if buf:
                    yield "".join(buf)
                buf, size = [], 0
                if not line.strip():
                    continue
            buf.append(line)
            size += len(line)
    if buf:
        yield "".join(buf)


def stories(path: str) -> Iterator[str]:
    """The plain texts of one archive file."""
    low = path.lower()
    if low.endswith(".jsonl"):
        yield from _jsonl_texts(path)
        return
    if low.endswith(".txt") and os.path.getsize(path) > STREAM_ABOVE:
        yield from _paragraphs(path)
        return
    from .readers import read_bytes

    with open(path, "rb") as fh:
        data = fh.read()
    yield read_bytes(data, path).text


def _names_in(sentence: str) -> Iterator[str]:
    for m in _NAME_RE.finditer(sentence):
        words = m.group().split()
        while words and words[0].lower() in _LEADING:
            words = words[1:]
        if len(words) >= 2:
            yield " ".join(words)


def _prune(table: Counter, keep: int) -> None:
    """Drop the rarest entries of a table grown past its cap."""
    if len(table) <= keep:
        return
    floor = 1
    while len(table) > keep // 2:
        for k in [k for k, c in table.items() if c <= floor]:
            del table[k]
        floor += 1


def _paragraph_sentences(text: str) -> Iterator[str]:
    from .segment import split_sentences

    for para in re.split(r"\n\s*\n", text):
        flat = " ".join(para.split())
        if flat:
            for s, e in split_sentences(flat, 0, len(flat)):
                yield flat[s:e]


def learn(
    paths: Sequence[str],
    output: str,
    *,
    lang: str | None = None,
    progress: Callable[[int], None] | None = None,
    tmpdir: str | None = None,
    chunk_tokens: int = 2_000_000,
    max_in_memory: int = 12_000_000,
) -> LearnStats:
    """Build a profile directory at ``output`` from the archive files under ``paths``.

    ``progress(n)`` is called with the bytes of each file read.
    """
    from . import language
    from . import lm as lm_pkg
    from .lm.build import NgramCounter
    from .lm.model import Tokeniser
    from .lm.profile import PROFILE_FORMAT

    t0 = time.time()
    files, missing = archive_files(paths)
    if missing:
        raise LearnError(f"{missing[0]}: no such file or directory")
    if not files:
        raise LearnError("no archive files found (.txt, .md, .html or .jsonl)")
    stats = LearnStats(files=len(files), path=output)

    if lang is None:
        sample = []
        for f in files[:20]:
            for t in stories(f):
                sample.append(t[:2000])
                if len(sample) >= 20:
                    break
            if len(sample) >= 20:
                break
        lang = language.detect(" ".join(sample)) if sample else "en"
    stats.lang = lang

    os.makedirs(output, exist_ok=True)
    default = lm_pkg.default_files(lang)
    own_tokeniser = None
    if default is not None:
        tokeniser = Tokeniser(str(default[0]))
    else:
        own_tokeniser = os.path.join(output, "tokenizer.model")
        _train_tokeniser(files, own_tokeniser, tmpdir)
        tokeniser = Tokeniser(own_tokeniser)

    counter = NgramCounter(ORDER, tokeniser.vocab_size, chunk_tokens=chunk_tokens,
                           max_in_memory=max_in_memory, tmpdir=tmpdir)
    names: Counter = Counter()
    vocab: Counter = Counter()
    pieces = tokeniser.pieces
    for f in files:
        try:
            for text in stories(f):
                stats.stories += 1
                for sent in _paragraph_sentences(text):
                    toks = lmtext.tokens(sent)
                    if not toks:
                        continue
                    raw = [t for _, _, t in toks]
                    ids: list[int] = []
                    for p in pieces([lmtext.normalise(t) for t in raw]):
                        ids.extend(p)
                    counter.add(ids)
                    stats.sentences += 1
                    for t in raw:
                        if t[:1].isalpha():
                            vocab[t] += 1
                            stats.words += 1
                    names.update(_names_in(sent))
                if len(vocab) > MAX_TABLE:
                    _prune(vocab, MAX_TABLE)
                if len(names) > MAX_TABLE:
                    _prune(names, MAX_TABLE)
        except (OSError, UnicodeDecodeError, MtcheckError):
            stats.skipped += 1
        if progress is not None:
            try:
                progress(os.path.getsize(f))
            except OSError:
                progress(0)
    if stats.sentences == 0:
        counter.close()
        raise LearnError("the archive holds no text")

    meta = {"lang": lang, "name": f"profile {os.path.basename(os.path.abspath(output))}"}
    min_counts = MIN_COUNTS if counter.tokens > SMALL_ARCHIVE else (1,) * ORDER
    meta["min_counts"] = list(min_counts)  # the pruning (NgramLM.suffix_closed reads it)
    model = counter.model(min_counts=min_counts, meta=meta)
    model.extras.update(_word_arrays(vocab))
    model.save(os.path.join(output, "lm.npz"))
    _write_names(os.path.join(output, "names.tsv"), names)
    with open(os.path.join(output, "vocab.tsv"), "w", encoding="utf-8") as fh:
        fh.write("# word\tcount: the archive's words as spelt, seen at least twice\n")
        for w, c in sorted(vocab.items(), key=lambda wc: (-wc[1], wc[0])):
            if c >= 2:
                fh.write(f"{w}\t{c}\n")
    stats.seconds = time.time() - t0
    header = {
        "format": PROFILE_FORMAT,
        "lang": lang,
        "tokenizer": "tokenizer.model" if own_tokeniser else f"default:{lang}",
        "order": ORDER,
        "files": stats.files,
        "stories": stats.stories,
        "sentences": stats.sentences,
        "words": stats.words,
        "skipped_files": stats.skipped,
        "ngrams": int(sum(len(k) for k in model.keys)),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "mtcheck_version": _version(),
    }
    with open(os.path.join(output, "profile.json"), "w", encoding="utf-8") as fh:
        json.dump(header, fh, indent=2, sort_keys=True)
        fh.write("\n")
    return stats


def _version() -> str:
    from . import __version__

    return __version__


def _word_arrays(vocab: Counter) -> dict:
    import numpy as np

    low: Counter = Counter()
    for w, c in vocab.items():
        if c >= 2:
            low[lmtext.normalise(w)] += c
    words = sorted(w for w in low if w.isalpha())
    return {
        "words": np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        "word_counts": np.asarray([min(low[w], 2**32 - 1) for w in words], dtype=np.uint32),
    }


def _write_names(path: str, names: Counter, min_count: int = 2) -> None:
    """The names in the house-list format (mtcheck.housenames): one name a row, the
    archive's most frequent spelling of each look-up key, its count in the note."""
    try:
        from .gazetteer import name_key
    except ImportError:  # pragma: no cover - the gazetteer ships with mtcheck
        def name_key(n: str) -> str:
            return n.casefold()
    best: dict[str, tuple[int, str]] = {}
    for n, c in names.items():
        if c < min_count:
            continue
        k = name_key(n)
        if k and (k not in best or c > best[k][0]):
            best[k] = (c, n)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# Names as the archive spells them (mtcheck learn); usable as a house list (names-file).\n")
        fh.write("canonical\tvariants\taccept\tnote\n")
        for c, n in sorted(best.values(), key=lambda cn: (-cn[0], cn[1])):
            fh.write(f"{n}\t\t\tarchive count {c}\n")


def _train_tokeniser(files: Sequence[str], model_path: str, tmpdir: str | None, max_sentences: int = 300_000) -> None:
    """A SentencePiece tokeniser from the archive itself (for a language without a default model)."""
    import sentencepiece as spm

    with tempfile.TemporaryDirectory(dir=tmpdir) as tmp:
        sample = os.path.join(tmp, "sample.txt")
        n = 0
        with open(sample, "w", encoding="utf-8") as fh:
            for f in files:
                for text in stories(f):
                    for sent in _paragraph_sentences(text):
                        fh.write(" ".join(lmtext.normalise(t) for _, _, t in lmtext.tokens(sent)) + "\n")
                        n += 1
                    if n >= max_sentences:
                        break
                if n >= max_sentences:
                    break
        if n == 0:
            raise LearnError("the archive holds no text")
        prefix = os.path.join(tmp, "tok")
        spm.SentencePieceTrainer.train(
            input=sample, model_prefix=prefix, vocab_size=8000, model_type="unigram", character_coverage=0.9995,
            normalization_rule_name="identity", unk_id=0, bos_id=1, eos_id=2, pad_id=-1, hard_vocab_limit=False,
            num_threads=2, minloglevel=2,
        )
        with open(prefix + ".model", "rb") as src, open(model_path, "wb") as dst:
            dst.write(src.read())
