#!/usr/bin/env python3
"""Build the word-link tables of S011 from Debian's FreeDict dictionaries.

    python scripts/build_bilingual_dict.py            # all pairs: de, fr, es, it (-> en)
    python scripts/build_bilingual_dict.py --check    # compare with the shipped tables

Reads the dictd files (``freedict-<src>-eng`` and ``freedict-eng-<src>``: a
``.index`` and a dictzip ``.dict.dz``, which gzip reads) from
``/usr/share/dictd`` when the packages are installed, else fetches the
``dict-freedict-*`` packages with ``apt-get download`` into a temporary
directory and unpacks them with ``dpkg-deb -x``. ``--dictd DIR`` reads another
folder.

Output: ``corpora/bitext/dict/<src>-en.tsv.gz``, one line per English word:
the word (lower case), a tab, and the source-language words (folded: lower
case, accents dropped, "ß" as "ss") that the dictionary links to it in either
direction, separated by spaces. Only English words of the shipped frequency
table (``corpora/lexicon/zipf.bin``, Zipf >= 1.0 in English) that are not
function words are kept, and only single source words (a multi-word headword
or rendering contributes its longer words). The tables are derived from the
dictionaries and keep their licences (GPL; see corpora/README.md).
"""
from __future__ import annotations

import argparse
import gzip
import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtcheck import lexicon  # noqa: E402
from mtcheck.align import fold_text  # noqa: E402
from mtcheck.wordlinks import TABLE_DIR, en_function_words  # noqa: E402

PAIRS = {"de": "deu", "fr": "fra", "es": "spa", "it": "ita"}
VERSION = "2022.04.21-1"
# Source languages whose dictionary is large enough to keep only its words of the frequency table.
FREQUENT_ONLY = {"de": 1.0}  # the Debian packages the shipped tables were built from
_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_IPA_RE = re.compile(r"/[^/\n]*/")
_MARKUP_RE = re.compile(r"<[^>]*>|\[[^\]]*\]|\{[^}]*\}|\([^)]*\)")
_NUMBERING_RE = re.compile(r"^\s*\d+\.\s*")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_SKIP_LINE_RE = re.compile(r"^\s*(?:Synonyms?|see|Note|Notes|Antonyms?|Example|Examples)\s*:", re.I)
# Abbreviations of the German-English (Ding) entries: "sth.", "jdm.", "etw."...
_ABBREV_RE = re.compile(r"\b[^\W\d_]{1,5}\.(?!\w)")


def _b64(s: str) -> int:
    n = 0
    for c in s:
        n = n * 64 + _B64[c]
    return n


def read_dictd(folder: Path, name: str):
    """(headword line, [rendering lines]) of every entry of ``freedict-<name>``."""
    index = folder / f"freedict-{name}.index"
    data = gzip.open(folder / f"freedict-{name}.dict.dz").read()
    seen = set()
    for line in index.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or parts[0].startswith("00database") or parts[0].startswith("00-database"):
            continue
        off, size = _b64(parts[1]), _b64(parts[2])
        if (off, size) in seen:
            continue
        seen.add((off, size))
        text = data[off:off + size].decode("utf-8", "replace")
        lines = text.split("\n")
        head = lines[0]
        rend = [ln for ln in lines[1:] if ln.strip() and not _SKIP_LINE_RE.match(ln)]
        yield head, rend


def _clean(text: str) -> str:
    text = _IPA_RE.sub(" ", text)
    text = _MARKUP_RE.sub(" ", text)
    text = _NUMBERING_RE.sub("", text)
    return _ABBREV_RE.sub(" ", text)


def _phrases(text: str) -> list[list[str]]:
    """The words of each comma- or semicolon-separated rendering."""
    out = []
    for part in re.split(r"[,;|]", _clean(text)):
        words = [w for w in _WORD_RE.findall(part.replace("‐", "-").replace("-", " "))]
        if words:
            out.append(words)
    return out


def _source_words(words: list[str], stop: frozenset[str], lang: str) -> list[str]:
    ws = [w.lower().replace("’", "'") for w in words]
    if len(ws) == 1:
        ws = ws if len(ws[0]) >= 2 else []
    else:
        ws = [w for w in ws if len(w) >= 4 and fold_text(w) not in stop]
    if lang in FREQUENT_ONLY:
        # The large German dictionary: only words of the frequency table (a compound it lacks is
        # matched through its parts at run time).
        ws = [w for w in ws if lexicon.zipf(w, lang) >= FREQUENT_ONLY[lang]]
    return [fold_text(w) for w in ws]


def _english_words(words: list[str]) -> list[str]:
    ws = [w.lower().replace("’", "'") for w in words]
    if len(ws) > 1:
        ws = [w for w in ws if len(w) >= 3]
    return [w for w in ws if w not in en_function_words() and lexicon.zipf(w, "en") >= 1.0]


def _stopwords(lang: str) -> frozenset[str]:
    from mtcheck import resources

    for row in resources.tsv("language/function_words.tsv"):
        if row and row[0] == lang and len(row) > 1:
            return frozenset(fold_text(w) for w in row[1].split())
    return frozenset()


def build_pair(folder: Path, src: str) -> dict[str, set[str]]:
    code = PAIRS[src]
    stop = _stopwords(src)
    links: dict[str, set[str]] = {}

    def add(src_words: list[str], en_words: list[str]) -> None:
        # A phrase rendered by a phrase ("new adventure", "neues Abenteuer") does not say which word
        # renders which: only pairs with one word on a side (at most two on the other) are linked.
        if not src_words or not en_words or min(len(src_words), len(en_words)) > 1 \
                or max(len(src_words), len(en_words)) > 2:
            return
        for e in en_words:
            links.setdefault(e, set()).update(src_words)

    if (folder / f"freedict-{code}-eng.index").exists():
        for head, rend in read_dictd(folder, f"{code}-eng"):
            sw = [w for p in _phrases(head) for w in _source_words(p, stop, src)]
            if not sw:
                continue
            for line in rend:
                for p in _phrases(line):
                    add(sw, _english_words(p))
    if (folder / f"freedict-eng-{code}.index").exists():
        for head, rend in read_dictd(folder, f"eng-{code}"):
            ew = [w for p in _phrases(head) for w in _english_words(p)]
            if not ew:
                continue
            for line in rend:
                for p in _phrases(line):
                    add(_source_words(p, stop, src), ew)
    return {e: s for e, s in links.items() if s}


def write_table(links: dict[str, set[str]], src: str) -> bytes:
    buf = io.StringIO()
    buf.write(f"# mtcheck S011 word links {src}->en, derived from Debian dict-freedict-{PAIRS[src]}-eng and "
              f"dict-freedict-eng-{PAIRS[src]} {VERSION} (GPL; see corpora/README.md). "
              "English word<TAB>folded source words.\n")
    for e in sorted(links):
        buf.write(e + "\t" + " ".join(sorted(links[e])) + "\n")
    # A fixed mtime: the same input gives the same bytes.
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    return out.getvalue()


def fetch(tmp: Path, langs: list[str]) -> Path:
    pkgs = [f"dict-freedict-{a}-{b}" for s in langs for a, b in ((PAIRS[s], "eng"), ("eng", PAIRS[s]))]
    subprocess.run(["apt-get", "download", *pkgs], cwd=tmp, check=True)
    out = tmp / "x"
    for deb in tmp.glob("*.deb"):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(out)], check=True)
    return out / "usr" / "share" / "dictd"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dictd", help="folder with the freedict-*.index and .dict.dz files")
    ap.add_argument("--langs", default=",".join(PAIRS), help="source languages (default: de,fr,es,it)")
    ap.add_argument("--check", action="store_true", help="compare with the shipped tables, write nothing")
    args = ap.parse_args(argv)
    langs = [x for x in args.langs.split(",") if x]
    out_dir = ROOT / "corpora" / TABLE_DIR
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dictd) if args.dictd else Path("/usr/share/dictd")
        if not all((folder / f"freedict-{PAIRS[s]}-eng.index").exists() for s in langs):
            folder = fetch(Path(tmp), langs)
        stale = 0
        for s in langs:
            links = build_pair(folder, s)
            data = write_table(links, s)
            path = out_dir / f"{s}-en.tsv.gz"
            if args.check:
                same = path.exists() and gzip.decompress(path.read_bytes()) == gzip.decompress(data)
                stale += not same
                print(f"{path.relative_to(ROOT)}: {'up to date' if same else 'STALE'}")
            else:
                os.makedirs(out_dir, exist_ok=True)
                path.write_bytes(data)
                n = sum(len(v) for v in links.values())
                print(f"{path.relative_to(ROOT)}: {len(links):,} English words, {n:,} links, {len(data):,} bytes")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
