#!/usr/bin/env python3
"""Recall of the N family on names injected into real stories, and its false-alarm rate.

    python scripts/names_injection.py                 # all references
    python scripts/names_injection.py --quick         # every fourth story
    python scripts/names_injection.py --json out.json

``run(data_dir, quick=False) -> dict`` is the entry point ``scripts/evaluate.py``
calls; ``data_dir`` is ``shared/eval`` (or its ``wmt`` folder).

Stories: the professional references of WMT (``wmt/de-en-2021``, ``de-en-2022``:
``ref.A.en``, ``ref.B.en``, English target; ``wmt/en-es-2024/ref.A.es``, Spanish
target, grouped by ``docs.tsv``), consecutive lines grouped into stories of
about 25 lines joined by blank lines, as in ``scripts/evaluate.py``.

False alarms: N findings of warning severity or worse on the untouched stories,
per 1,000 words (white-space words), per file and overall.

Injection (one per story, deterministic: ``random.Random(f"{seed}:{file}:{story}")``),
choosing evenly among four kinds:

- ``variant-mixed``: a person from the gazetteer is added twice in short
  sentences placed between the story's paragraphs, once in the canonical
  spelling and later in one of the gazetteer's variant spellings for the target
  language (typo, other languages' transliteration). Expected: a finding on the
  variant (N001).
- ``variant-alone``: the same with the variant only. Expected: N003.
- ``slip-mixed``: the canonical spelling twice, then the same name with a
  one-letter slip (two adjacent letters swapped, a letter doubled or dropped, or
  a transliteration swap i/y, v/w, ks/x) in the given name or the surname, made
  up here so it is not in the gazetteer. Expected: N001.
- ``exonym``: a place name of the target language found in the story (a city,
  region or country from ``corpora/places``) is replaced by one of its names in
  another language (for English copy: Spanish, French, German, Italian,
  Portuguese; for Spanish copy: English), skipping names marked ``?`` or ``-``;
  when the story names none, a sentence naming a place is added. Expected: N002.

A hit is an N finding (any code, any severity) overlapping the injected span.
Recall is hits / injections; the false-alarm rate on injected stories counts
warnings outside the injected spans.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter
from typing import Any

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(SCRIPTS)
for p in (REPO, SCRIPTS):
    if p not in sys.path:
        sys.path.insert(0, p)

import evalkit as ek  # noqa: E402

from mtcheck import api  # noqa: E402
from mtcheck import gazetteer as gz  # noqa: E402

STORY_LINES = 25
SEED = 20240605
FILES = (
    ("de-en-2021", "ref.A.en", "en"),
    ("de-en-2021", "ref.B.en", "en"),
    ("de-en-2022", "ref.A.en", "en"),
    ("de-en-2022", "ref.B.en", "en"),
    ("en-es-2024", "ref.A.es", "es"),
)
KINDS = ("variant-mixed", "variant-alone", "slip-mixed", "exonym")

TEMPLATES = {
    "en": (
        "{name} said on Tuesday that the talks would continue.",
        "According to {name}, the plan has broad support.",
        "{name} did not respond to a request for comment.",
        "The proposal was welcomed by {name} in a statement.",
        "Speaking to reporters, {name} called the decision a mistake.",
    ),
    "es": (
        "{name} dijo el martes que las conversaciones continuarán.",
        "Según {name}, el plan cuenta con un amplio apoyo.",
        "{name} no respondió a una solicitud de comentarios.",
        "La propuesta fue bien recibida por {name} en un comunicado.",
        "En declaraciones a la prensa, {name} calificó la decisión de error.",
    ),
}
PLACE_TEMPLATES = {
    "en": ("The meeting took place in {place} on Monday.", "Delegates are due to travel to {place} next week."),
    "es": ("La reunión se celebró en {place} el lunes.", "Los delegados viajarán a {place} la próxima semana."),
}


# -- data -----------------------------------------------------------------------------------

def _wmt_dir(data_dir: str) -> str:
    return data_dir if os.path.isdir(os.path.join(data_dir, "de-en-2021")) else os.path.join(data_dir, "wmt")


def load_stories(data_dir: str) -> list[tuple[str, str, list[ek.Story]]]:
    """(label, target language, stories) for every reference file present."""
    wmt = _wmt_dir(data_dir)
    out = []
    for pair, name, tgt in FILES:
        path = os.path.join(wmt, pair, name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as fh:
            lines = [line.rstrip("\n") for line in fh]
        ids = None
        docs = os.path.join(wmt, pair, "docs.tsv")
        if os.path.isfile(docs):
            with open(docs, encoding="utf-8") as fh:
                ids = [line.rstrip("\n").split("\t")[1] if "\t" in line else line.strip() for line in fh]
            if len(ids) != len(lines):
                ids = None
        out.append((f"{pair}/{name}", tgt, ek.group_lines(lines, STORY_LINES, ids)))
    return out


# -- what to inject ---------------------------------------------------------------------------

def _people(lang: str) -> list[tuple[str, list[str]]]:
    """(canonical, multi-word variants) of gazetteer people with at least one variant."""
    out = []
    for e in gz.builtin().entries:
        canon = e.canonical_for(lang)
        vs = [v for v in e.variants_for(lang) if " " in v.strip() and v != canon]
        if len(canon.split()) >= 2 and vs:
            out.append((canon, vs))
    return out


def _first_word(name: str) -> str:
    m = re.match(r"[^\W_]+(?:['’\-][^\W_]+)*|\S", name)
    return m.group() if m else name


def _places(lang: str) -> list[tuple[str, list[str]]]:
    """(name in ``lang``, foreign names to inject) from the place tables."""
    foreign_langs = ("es", "fr", "de", "it", "pt") if lang == "en" else ("en",)
    out = []
    for _kind, row in gz.place_rows():
        natives = [n for n, f in row.get(lang, ()) if f != "-"]
        if not natives:
            continue
        native_set = {n for n, _ in row.get(lang, ())}
        foreign = []
        for lg in foreign_langs:
            for n, f in row.get(lg, ()):
                if f or n in native_set or gz.fold(n) == gz.fold(natives[0]) and lang != "en":
                    continue
                if gz.skeleton(n) == gz.skeleton(natives[0]) and lang != "en":
                    continue
                foreign.append(n)
        # Only names the tables resolve to this one place (a name shared by two places is not flagged).
        view = gz.place_view(lang)
        foreign = [f for f in dict.fromkeys(foreign)
                   if any(p.name == f and p.target == natives[0] for p in view.candidates(_first_word(f)))]
        if foreign:
            out.append((natives[0], foreign))
    return out


def _slip(word: str, rng: random.Random) -> str:
    """A plausible one-letter slip that changes the word."""
    ops = []
    letters = [i for i in range(1, len(word) - 1) if word[i].isalpha() and word[i + 1].isalpha() and word[i] != word[i + 1]]
    if letters:
        ops.append("swap")
    ops += ["double", "drop"] if len(word) >= 5 else ["double"]
    low = word.lower()
    for a, b in (("i", "y"), ("y", "i"), ("v", "w"), ("ks", "x")):
        if a in low[1:]:
            ops.append(f"{a}>{b}")
    op = rng.choice(ops)
    if op == "swap":
        i = rng.choice(letters)
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == "double":
        i = rng.randrange(1, len(word))
        return word[:i] + word[i] + word[i:]
    if op == "drop":
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1:]
    a, b = op.split(">")
    i = low.index(a, 1)
    return word[:i] + b + word[i + len(a):]


def _replace_place(lines: list[str], places, rng: random.Random) -> tuple[int, int, int, str, str] | None:
    """One place name found in the story: (line, start, end, name, foreign name to put there)."""
    found = []
    for li, line in enumerate(lines):
        for native, foreign in places:
            for m in re.finditer(r"(?<![\w-])" + re.escape(native) + r"(?![\w-])", line):
                found.append((li, m.start(), m.end(), native, foreign))
    if not found:
        return None
    li, s, e, native, foreign = rng.choice(found)
    return li, s, e, native, rng.choice(foreign)


def inject(story: ek.Story, lang: str, kind: str, rng: random.Random, people, places) -> tuple[str, list[tuple[int, int]], str]:
    """The story with one injection: (text, expected spans, description)."""
    lines = list(story.lines)
    new_lines: list[tuple[int, str]] = []  # (insert before index, text)
    marks: list[tuple[int, int, int]] = []  # (line index in the final list, start, end)
    templates = TEMPLATES[lang]
    desc = ""
    if kind == "exonym":
        rep = _replace_place(lines, places, rng)
        if rep is not None:
            li, s, e, native, new = rep
            desc = f"{native} -> {new}"
            lines[li] = lines[li][:s] + new + lines[li][e:]
            marks.append((li, s, s + len(new)))
        else:
            native, foreign = rng.choice(places)
            new = rng.choice(foreign)
            text = rng.choice(PLACE_TEMPLATES[lang]).format(place=new)
            pos = rng.randrange(1, len(lines) + 1) if len(lines) > 1 else len(lines)
            new_lines.append((pos, text))
            desc = f"(added) {native} -> {new}"
    else:
        canon, variants = rng.choice(people)
        if kind.startswith("variant"):
            wrong = rng.choice(variants)
        else:
            words = canon.split()
            idx = rng.choice([0, len(words) - 1])
            wrong = " ".join(_slip(w, rng) if i == idx else w for i, w in enumerate(words))
        desc = f"{canon} -> {wrong}"
        t1, t2, t3 = rng.sample(templates, 3)
        n = len(lines)
        a = rng.randrange(0, max(1, n // 2) + 1)
        b = rng.randrange(a, n + 1)
        if kind == "variant-alone":
            new_lines.append((b, t2.format(name=wrong)))
        else:
            new_lines.append((a, t1.format(name=canon)))
            if kind == "slip-mixed":
                new_lines.append((a, t3.format(name=canon)))
            new_lines.append((b, t2.format(name=wrong)))
    # Build the final line list, keeping the wrong spelling's position.
    final: list[str] = []
    final_marks: list[tuple[int, int, int]] = []
    inserts = sorted(new_lines, key=lambda x: x[0])
    k = 0
    for i in range(len(lines) + 1):
        while k < len(inserts) and inserts[k][0] == i:
            text = inserts[k][1]
            if kind == "exonym" or k == len(inserts) - 1:
                target = desc.split(" -> ")[1]
                j = text.find(target)
                if j >= 0:
                    final_marks.append((len(final), j, j + len(target)))
            final.append(text)
            k += 1
        if i < len(lines):
            for li, s, e in marks:
                if li == i:
                    final_marks.append((len(final), s, e))
            final.append(lines[i])
    offsets = []
    pos = 0
    for line in final:
        offsets.append(pos)
        pos += len(line) + len(ek.STORY_SEPARATOR)
    spans = [(offsets[li] + s, offsets[li] + e) for li, s, e in final_marks]
    return ek.STORY_SEPARATOR.join(final), spans, desc


# -- measurement ----------------------------------------------------------------------------

def _warnings(findings) -> list:
    return [f for f in findings if f.code.startswith("N") and f.severity in ("warning", "error")]


def run(data_dir: str, quick: bool = False, seed: int = SEED, samples: int = 8) -> dict[str, Any]:
    """Recall on injected names and false alarms on the clean references."""
    t0 = time.perf_counter()
    files = load_stories(data_dir)
    if not files:
        return {"error": f"no WMT references under {data_dir}"}
    clean: dict[str, dict] = {}
    inj_total = Counter()
    inj_hits = Counter()
    inj_fa = 0
    inj_words = 0
    misses: list[dict] = []
    fa_samples: list[dict] = []
    codes = Counter()
    for label, lang, stories in files:
        people, places = _people(lang), _places(lang)
        words = warnings = infos = 0
        for si, story in enumerate(stories):
            if quick and si % 4:
                continue
            w = story.words
            words += w
            found = api.check(story.text, target_lang=lang, select=["N"])
            warn = _warnings(found)
            warnings += len(warn)
            infos += sum(1 for f in found if f.severity == "info")
            for f in warn:
                if len(fa_samples) < samples:
                    fa_samples.append({"file": label, "code": f.code, "text": f.text,
                                       "suggestion": f.suggestions[0].replacement if f.suggestions else ""})
            rng = random.Random(f"{seed}:{label}:{si}")
            kind = KINDS[rng.randrange(len(KINDS))]
            text, spans, desc = inject(story, lang, kind, rng, people, places)
            if not spans:
                continue
            found = api.check(text, target_lang=lang, select=["N"])
            inj_total[kind] += 1
            inj_words += ek.word_count(text)
            hit = any(f.start < e and s < f.end for f in found for s, e in spans)
            if hit:
                inj_hits[kind] += 1
                for f in found:
                    if any(f.start < e and s < f.end for s, e in spans):
                        codes[f"{kind}:{f.code}"] += 1
            elif len(misses) < samples * 3:
                misses.append({"file": label, "kind": kind, "injected": desc})
            inj_fa += sum(1 for f in _warnings(found) if not any(f.start < e and s < f.end for s, e in spans))
        clean[label] = {"lang": lang, "stories": len(stories) if not quick else len(stories[::4]), "words": words,
                        "warnings": warnings, "infos": infos,
                        "warnings_per_1k": round(1000 * warnings / words, 3) if words else None}
    words_all = sum(c["words"] for c in clean.values())
    warn_all = sum(c["warnings"] for c in clean.values())
    en_words = sum(c["words"] for c in clean.values() if c["lang"] == "en")
    en_warn = sum(c["warnings"] for c in clean.values() if c["lang"] == "en")
    n = sum(inj_total.values())
    return {
        "seed": seed,
        "quick": quick,
        "clean": clean,
        "false_alarms_per_1k": round(1000 * warn_all / words_all, 3) if words_all else None,
        "false_alarms_per_1k_en": round(1000 * en_warn / en_words, 3) if en_words else None,
        "injected": n,
        "recall": round(sum(inj_hits.values()) / n, 3) if n else None,
        "recall_by_kind": {k: {"n": inj_total[k], "recall": round(inj_hits[k] / inj_total[k], 3) if inj_total[k] else None}
                           for k in KINDS},
        "codes_on_hits": dict(sorted(codes.items())),
        "false_alarms_per_1k_injected_stories": round(1000 * inj_fa / inj_words, 3) if inj_words else None,
        "false_alarm_samples": fa_samples,
        "miss_samples": misses,
        "seconds": round(time.perf_counter() - t0, 1),
    }


def markdown(res: dict[str, Any]) -> str:
    if "error" in res:
        return res["error"]
    out = ["| file | words | N warnings | per 1,000 words |", "| --- | ---: | ---: | ---: |"]
    for label, c in res["clean"].items():
        out.append(f"| {label} | {c['words']:,} | {c['warnings']} | {c['warnings_per_1k']} |")
    out.append("")
    out.append(f"Injection recall: **{res['recall']}** over {res['injected']} stories "
               f"(false alarms on injected stories: {res['false_alarms_per_1k_injected_stories']} per 1,000 words).")
    out.append("")
    out.append("| kind | n | recall |")
    out.append("| --- | ---: | ---: |")
    for k, v in res["recall_by_kind"].items():
        out.append(f"| {k} | {v['n']} | {v['recall']} |")
    if res["miss_samples"]:
        out.append("")
        out.append("Missed: " + "; ".join(f"{m['kind']} {m['injected']}" for m in res["miss_samples"][:12]))
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="N family: recall on injected names, false alarms on references")
    ap.add_argument("--data", default=ek.DEFAULT_DATA, help="shared/eval folder (default: ../shared/eval)")
    ap.add_argument("--quick", action="store_true", help="every fourth story")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = ap.parse_args(argv)
    res = run(args.data, quick=args.quick, seed=args.seed)
    print(markdown(res))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(res, fh, indent=2, ensure_ascii=False)
    return 0 if "error" not in res else 1


if __name__ == "__main__":
    sys.exit(main())
