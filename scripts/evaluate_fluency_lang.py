#!/usr/bin/env python3
"""False alarms and recall of F (fluency) for Spanish and French target text.

    python scripts/evaluate_fluency_lang.py                  # measure with the shipped thresholds
    python scripts/evaluate_fluency_lang.py --calibrate      # also search thresholds on the calibration half
    python scripts/evaluate_fluency_lang.py --workdir /tmp/lm-src   # reuse fetched packages

Data (nothing of it is committed):

- ``../shared/eval/wmt/en-es-2024/ref.A.es``: professional Spanish references,
  checked as scripts/evaluate.py checks references (stories of ~25 lines by
  ``docs.tsv``, ``target_lang="es"``, ``source_lang="en"``): F findings per
  1,000 words are false alarms. ``systems/*.es``: a sample of MT sentences to
  perturb. Skipped cleanly when ../shared is absent.
- held-out prose: every ``HELDOUT_EVERY``-th sentence of the Spanish and French
  training text of ``scripts/build_lm.py`` (never counted into the models),
  fetched again with apt-get into a temporary directory (or ``--workdir``).

Perturbations (deterministic, seeded, DEMETR-like): two adjacent words swapped,
a function word dropped, a function word replaced by another of its class, a
4-gram repeated. Each sentence is checked on its own, clean and perturbed;
recall is the share of perturbed sentences with an F finding, and the clean
rate the share of clean sentences with one. Items are split in two halves by
index parity: thresholds (``--calibrate``) are chosen on the even half and
every number is reported on the odd half.
"""
from __future__ import annotations

import argparse
import glob
import itertools
import os
import random
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)

import build_lm  # noqa: E402
import evalkit as ek  # noqa: E402
import mtcheck  # noqa: E402
from mtcheck import lm  # noqa: E402
from mtcheck.checks import fluency  # noqa: E402
from mtcheck.lm.edits import FUNCTION_CLASSES  # noqa: E402
from mtcheck.lm.scan import scan  # noqa: E402
from mtcheck.lm.text import tokens  # noqa: E402

SHARED = os.path.join(os.path.dirname(ROOT), "shared", "eval", "wmt", "en-es-2024")
PERTURBATIONS = ("swap", "drop_function", "replace_function", "repeat4")
SEED = 20240611
SAMPLE = 600  # sentences per language and source


def log(msg: str) -> None:
    print(f"[eval-F] {msg}", file=sys.stderr, flush=True)


# -- data ---------------------------------------------------------------------------
def heldout(lang: str, work: str) -> list[str]:
    sents, _ = build_lm.romance_sentences(lang, work)
    return [s for i, s in enumerate(sents) if i % build_lm.HELDOUT_EVERY == build_lm.HELDOUT_EVERY - 1]


def ref_stories() -> list[ek.Story]:
    lines = open(os.path.join(SHARED, "ref.A.es"), encoding="utf-8").read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    docs = [ln.split("\t")[1] for ln in open(os.path.join(SHARED, "docs.tsv"), encoding="utf-8").read().split("\n") if ln]
    return ek.group_lines(lines, 25, docs if len(docs) == len(lines) else None)


def system_sentences(rng: random.Random, n: int) -> list[str]:
    out = []
    for path in sorted(glob.glob(os.path.join(SHARED, "systems", "*.es"))):
        for line in open(path, encoding="utf-8").read().split("\n"):
            line = line.strip()
            if 6 <= len(line.split()) <= 60 and "\n" not in line:
                out.append(line)
    out = sorted(set(out))
    rng.shuffle(out)
    return out[:n]


# -- perturbations ------------------------------------------------------------------
def _words(sent: str):
    return [(s, e, t) for s, e, t in tokens(sent) if t[:1].isalpha()]


def perturb(sent: str, kind: str, lang: str, rng: random.Random) -> str | None:
    """One DEMETR-like error injected into ``sent``, or None when it does not apply."""
    toks = tokens(sent)
    fw = sorted({w for ws in FUNCTION_CLASSES[lang].values() for w in ws})
    if kind == "swap":
        pairs = [(a, b) for a, b in zip(toks, toks[1:])
                 if a[2][:1].isalpha() and b[2][:1].isalpha() and a[2].lower() != b[2].lower()
                 and sent[a[1]:b[0]] == " "]
        if not pairs:
            return None
        (s1, e1, t1), (s2, e2, t2) = rng.choice(pairs)
        return sent[:s1] + t2 + " " + t1 + sent[e2:]
    if kind in ("drop_function", "replace_function"):
        cands = [(s, e, t) for s, e, t in toks if t.lower() in fw and s > 0]
        if not cands:
            return None
        s, e, t = rng.choice(cands)
        if kind == "drop_function":
            end = e + 1 if sent[e:e + 1] == " " else e
            return sent[:s] + sent[end:]
        classes = [ws for ws in FUNCTION_CLASSES[lang].values() if t.lower() in ws]
        alts = sorted({w for ws in classes for w in ws if w != t.lower()})
        return sent[:s] + rng.choice(alts) + sent[e:]
    if kind == "repeat4":
        ws = _words(sent)
        if len(ws) < 5:
            return None
        i = rng.randrange(0, len(ws) - 3)
        s, e = ws[i][0], ws[i + 3][1]
        return sent[:e] + " " + sent[s:e] + sent[e:]
    raise ValueError(kind)


# -- checking -----------------------------------------------------------------------
def findings(text: str, lang: str) -> list:
    return mtcheck.check(text, target_lang=lang, source_lang="en", select=["F"], filename="story.txt")


def candidates(text: str, lang: str) -> list[tuple[str, float, float, int]]:
    """Every (kind, piece gain, peak, sentence) F would consider for ``text``, before
    its thresholds (the function classes it tries and the priors' vetoes applied)."""
    from mtcheck.readers import read_text

    doc = read_text(text, "story.txt", None)
    model = lm.model_for(lang)
    sents, norm, raw = fluency.story_tokens(doc)
    if not sents:
        return []
    by_lang = fluency.ACCEPT_BY_LANG[lang]
    skip = frozenset(k for k, t in by_lang.items() if min(t) >= 1e9)
    res = scan(model, norm, raw, words=model.word_list, skip=skip, choose=fluency._class_chooser(lang),
               **fluency.scan_settings(lang))
    return [(c.edit.kind, c.delta, c.peak, c.sentence) for c in res.candidates
            if c.edit.kind not in skip and fluency.prior_bonus(c, norm, lang) > -1e9]


def _taken(c, thr) -> bool:
    return c[0] in thr and c[1] >= thr[c[0]][0] and c[2] >= thr[c[0]][1]


def build_items(lang: str, sents: list[str], rng: random.Random, label: str) -> list[dict]:
    items = []
    for i, s in enumerate(sents):
        item = {"id": f"{label}:{i}", "half": i % 2, "clean": s, "perturbed": {}}
        for kind in PERTURBATIONS:
            p = perturb(s, kind, lang, rng)
            if p is not None and p != s:
                item["perturbed"][kind] = p
        items.append(item)
    return items


def rates(sets: dict, thr: dict, half: int) -> dict:
    """Per data set, the measures of thresholds ``thr`` on one half (from candidates)."""
    out = {}
    for name, (kind, rows) in sets.items():
        if kind == "stories":
            rows = [r for r in rows if r["half"] == half]
            flags = sum(len({c[3] for c in r["cands"] if _taken(c, thr)}) for r in rows)
            out[name] = {"per_1000": flags * 1000 / max(1, sum(r["words"] for r in rows))}
            continue
        rows = [r for r in rows if r["half"] == half]
        clean = [any(_taken(c, thr) for c in r["cands"]["clean"]) for r in rows]
        flags = sum(len({c[3] for c in r["cands"]["clean"] if _taken(c, thr)}) for r in rows)
        m = {"clean_flagged": sum(clean) / max(1, len(rows)),
             "per_1000": flags * 1000 / max(1, sum(len(r["clean"].split()) for r in rows))}
        for p in PERTURBATIONS:
            got = [any(_taken(c, thr) for c in r["cands"][p]) for r in rows if p in r["cands"]]
            m[p] = sum(got) / max(1, len(got))
        out[name] = m
    return out


def calibrate(sets: dict) -> tuple[dict, dict] | None:
    """Thresholds shared by es and fr that maximise mean recall on the even half with
    references and held-out prose at <= 0.25 F findings per 1,000 words and clean
    MT sentences flagged <= 4%."""
    best = None
    for sw, fn in itertools.product((10, 11, 12, 13, 14, 15, 16, 18, 20), (10, 12, 13, 14, 15, 16, 18, 20, 24)):
        thr = {"swap": (float(sw), 0.0), "function": (float(fn), 0.0), "repeat": (4.0, -1e9)}
        r = rates(sets, thr, 0)
        if any(m["per_1000"] > 0.25 for name, m in r.items() if not name.startswith("WMT24 systems")):
            continue
        if any(m.get("clean_flagged", 0) > 0.04 for m in r.values()):
            continue
        rec = [m[p] for m in r.values() for p in PERTURBATIONS if p in m]
        score = sum(rec) / len(rec)
        if best is None or score > best[0]:
            best = (score, thr, r)
    return None if best is None else (best[1], best[2])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", default=None, help="where the packages are fetched (default: a temporary directory)")
    ap.add_argument("--langs", default="es,fr")
    ap.add_argument("--sample", type=int, default=SAMPLE)
    ap.add_argument("--calibrate", action="store_true")
    args = ap.parse_args(argv)
    work = args.workdir or tempfile.mkdtemp(prefix="mtcheck-eval-F-")
    os.makedirs(work, exist_ok=True)
    t0 = time.time()
    have_shared = os.path.isfile(os.path.join(SHARED, "ref.A.es"))
    if not have_shared:
        log(f"{SHARED} not found: the WMT Spanish measures are skipped")
    try:
        data = {}  # name -> (lang, "stories" | "sentences", rows)
        for lang in args.langs.split(","):
            if lm.default_model(lang) is None:
                log(f"{lang}: no shipped model, skipped")
                continue
            rng = random.Random(f"{SEED}-{lang}")
            held = heldout(lang, work)
            log(f"{lang}: {len(held)} held-out sentences ({time.time() - t0:.0f}s)")
            data[f"held-out {lang}"] = (lang, "sentences", build_items(lang, held[: args.sample], rng, "held"))
            if lang == "es" and have_shared:
                data["WMT24 systems es"] = (lang, "sentences", build_items(lang, system_sentences(rng, args.sample), rng, "sys"))
                data["WMT24 ref.A.es"] = (lang, "stories", [
                    {"text": s.text, "words": s.words, "half": i % 2} for i, s in enumerate(ref_stories())])

        if args.calibrate:
            sets = {}
            for name, (lang, kind, rows) in data.items():
                for r in rows:
                    if kind == "stories":
                        r["cands"] = candidates(r["text"], lang)
                    else:
                        r["cands"] = {"clean": candidates(r["clean"], lang),
                                      **{p: candidates(x, lang) for p, x in r["perturbed"].items()}}
                sets[name] = (kind, rows)
            got = calibrate(sets)
            if got is None:
                print("calibration: no thresholds of the grid meet the targets")
            else:
                thr, r = got
                print(f"calibration (even half): swap >= {thr['swap'][0]}, function >= {thr['function'][0]} nats; "
                      + "; ".join(f"{n}: " + ", ".join(f"{k} {v:.3f}" for k, v in m.items()) for n, m in r.items()))

        for name, (lang, kind, rows) in data.items():
            rep = [r for r in rows if r["half"] == 1]
            if kind == "stories":
                n = sum(len(findings(r["text"], lang)) for r in rep)
                words = sum(r["words"] for r in rep)
                n_all = sum(len(findings(r["text"], lang)) for r in rows)
                w_all = sum(r["words"] for r in rows)
                print(f"- {name} ({lang}): {n} F findings in {len(rep)} stories, {words:,} words: "
                      f"{n * 1000 / words:.2f} per 1,000 words (all {len(rows)} stories: {n_all}, "
                      f"{n_all * 1000 / w_all:.2f} per 1,000 words)")
                continue
            words = sum(len(r["clean"].split()) for r in rep)
            per = [len(findings(r["clean"], lang)) for r in rep]
            flagged = sum(1 for x in per if x)
            line = (f"- {name}: {len(rep)} clean sentences, {words:,} words: {flagged} flagged "
                    f"({100 * flagged / len(rep):.1f}%), {sum(per) * 1000 / words:.2f} findings per 1,000 words; recall")
            for p in PERTURBATIONS:
                got = [bool(findings(r["perturbed"][p], lang)) for r in rep if p in r["perturbed"]]
                line += f" {p} {sum(got)}/{len(got)} ({100 * sum(got) / max(1, len(got)):.1f}%)"
            print(line)
        print(f"(report half: odd-indexed items and stories; thresholds ACCEPT_BY_LANG = {fluency.ACCEPT_BY_LANG}; "
              f"{time.time() - t0:.0f}s)")
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
