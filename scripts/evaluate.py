#!/usr/bin/env python3
"""Evaluate mtcheck on public MT evaluation data; print markdown tables.

    python scripts/evaluate.py                 # full run (< 15 min on 2 cores)
    python scripts/evaluate.py --quick         # a sample, under a minute
    python scripts/evaluate.py --json out.json --write-docs

Sections (``--only`` picks some):

- ``seed``     the findings on the example story, for a human to read;
- ``demetr``   DEMETR dev: per perturbation, recall of the rule family the
               perturbation belongs to and false-positive rate of that family on
               the unperturbed MT, with and without the source language;
- ``refs``     WMT human references: warning-or-worse findings per 1,000 words
               (false alarms), per family and per code, with samples;
- ``systems``  the same rate on every WMT system's output;
- ``mqm``      MQM TED annotations: character-overlap precision and recall;
- ``splitter`` mtcheck's sentence splitter against a naive one on references;
- ``profile``  the fluency family (F) with the default model and with a profile
               learned by ``mtcheck learn`` from the de-en 2021 references,
               tested on the 2022 references and on DEMETR.

mtcheck runs in-process through ``mtcheck.api.check`` (a pool of ``-j``
worker processes, each calling the API on many texts). The data is read from
``--data`` (default ``<repo>/../shared/eval``) and never copied. Every report
starts with the commit, the data path and the date. Metric definitions are in
docs/EVALUATION.md and in :mod:`evalkit`.

The run keeps to a wall-clock budget (``--budget``; 780 s, or 30 s with
``--quick``): a section that would overrun stops early and says so in bold.
Items run in an order whose every prefix samples each group evenly, so the
numbers of a cut-short section are still a fair sample. A text mtcheck crashes
on is counted and reported (with the traceback) and the run goes on; the exit
status is 0 unless the data or mtcheck itself cannot be loaded (2).
"""
from __future__ import annotations

import argparse
import collections
import glob
import inspect
import json
import multiprocessing as mp
import os
import re
import sys
import time
import traceback
from typing import Any, Iterable, Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evalkit as ek  # noqa: E402

ek.use_repo_checkout()

FAMILY_ORDER = "UNCPFSRA"
FAMILY_NAMES = {
    "U": "untranslated", "N": "names", "C": "calques/MT grammar", "P": "punctuation",
    "F": "fluency", "S": "source-aware", "R": "reference-aware", "A": "wire artefacts",
}
FLAG_SEVERITIES = frozenset({"warning", "error"})

# The one table mapping DEMETR perturbations to the rule family expected to
# catch them. Keys are perturbation names without the "<severity>_id<N>_" prefix.
# Perturbations not listed belong to no family (reported as "any family" only).
PERTURBATION_FAMILY: dict[str, str] = {
    "codemix": "U",
    "repeat2": "P",
    "final_punc_removed": "P",
    "tokenized": "P",
    "punc_addition": "P",
    "word_swap": "F",
    "pos_shift": "F",
    "function_word": "F",
    "repeat4": "F",
    "numbers_replaced": "S",
    "ne_replaced": "S",
    "ne_removed": "S",
    "addition": "S",
    "adj_adv_removed": "S",
    "verb_removed": "S",
    "noun_removed": "S",
    "subj_removed": "S",
    "pp_removed": "S",
    "conj_removed": "S",
}
DEMETR_LANGS = ("es", "fr", "de", "it")

# Budget shares: each section may use this share of the time still left.
BUDGET_SHARE = {"demetr": 0.35, "refs": 0.35, "mqm": 0.4, "systems": 0.95}
QUICK_CAPS = {"demetr_per_perturbation": 60, "ref_lines": 300, "system_stories": 3, "mqm_stories": 12}
STORY_LINES = 25
# Checked once in the parent before the pool forks, so lazily loaded resources
# (per language) are in memory before the first timed text.
WARMUP_TEXTS = (  # (text, target, source language, source text)
    ("GENEVA (AP) - The ministers met on Friday. \"We agreed,\" said Lavrov.\n\nTalks will resume next week.", "en", "es",
     "GINEBRA (EFE) - Los ministros se reunieron el viernes. \"Acordamos\", dijo Lavrov.\n\nLas conversaciones seguirán."),
    ("The minister said the talks were frank.", "en", "de", "Der Minister sagte, die Gespräche seien offen gewesen."),
    ("The minister said the talks were frank.", "en", "fr", "Le ministre a déclaré que les discussions étaient franches."),
    ("The minister said the talks were frank.", "en", "it", "Il ministro ha detto che i colloqui sono stati franchi."),
    ("The minister said the talks were frank.", "en", "zh", "部长说会谈很坦率。"),
    ("El ministro dijo que las conversaciones fueron francas.\n\nSe reunirán la próxima semana.", "es", "en",
     "The minister said the talks were frank.\n\nThey will meet next week."),
    ("Der Minister sagte, die Gespräche seien offen gewesen.", "de", "en", "The minister said the talks were frank."),
)


def perturbation_name(raw: str) -> str:
    """'critical_id4_codemix' -> 'codemix'."""
    m = re.match(r"^[a-z]+_id\d+_(.+)$", raw)
    return m.group(1) if m else raw


def pair_langs(pair_dir: str) -> tuple[str, str]:
    """'de-en-2021' -> ('de', 'en')."""
    src, tgt = os.path.basename(pair_dir.rstrip("/")).split("-")[:2]
    return src, tgt


# -- worker side ----------------------------------------------------------------

_API: Any = None


def _load_api():
    global _API
    if _API is None:
        from mtcheck import api, rules

        rules.all_rules()  # load every check module once per process
        _API = api
    return _API


def _check_task(task):
    """(key, text, kwargs) -> (key, [(code, severity, start, end)], error or None)."""
    key, text, kwargs = task
    try:
        found = _load_api().check(text, **kwargs)
        return key, [(f.code, f.severity, f.start, f.end) for f in found], None
    except Exception:  # a check bug must not stop the evaluation; it is reported
        return key, [], traceback.format_exc(limit=6)


class Runner:
    """Runs texts through the API in a process pool; tracks throughput and crashes."""

    def __init__(self, jobs: int, accepts_source: bool = False):
        self.jobs = max(1, jobs)
        api = _load_api()  # import and load resources once before forking, so workers start warm
        for text, tgt, src, source in WARMUP_TEXTS:
            for kw in ({"source_lang": src}, {}, {"source_lang": src, "source": source} if accepts_source else None):
                if kw is None:
                    continue
                try:
                    api.check(text, target_lang=tgt, **kw)
                except Exception:
                    pass  # reported when the real texts crash
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        self.pool = ctx.Pool(self.jobs) if self.jobs > 1 else None
        self.words = 0
        self.seconds = 0.0
        self.texts = 0
        self.errors: list[tuple[str, str]] = []

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()

    def run(self, tasks: Sequence[tuple]) -> dict:
        """Check every (key, text, kwargs) task; findings by key."""
        if not tasks:
            return {}
        t0 = time.perf_counter()
        chunk = max(1, min(16, len(tasks) // (self.jobs * 6) or 1))
        it = self.pool.imap_unordered(_check_task, tasks, chunksize=chunk) if self.pool else map(_check_task, tasks)
        out = {}
        for key, found, err in it:
            out[key] = found
            if err:
                self.errors.append((str(key), err))
        self.seconds += time.perf_counter() - t0
        self.words += sum(ek.word_count(t[1]) for t in tasks)
        self.texts += len(tasks)
        return out

    def run_units(self, units: Sequence[tuple], seconds: float | None = None) -> tuple[dict, list]:
        """Run ``(unit_id, [task, ...])`` units in order, in batches, until all are done or ``seconds`` pass.

        A unit counts only when all its tasks ran; tasks with a key already run are not run again. Order the
        units so that any prefix is a fair sample (:func:`evalkit.interleave`): a run cut short by the time
        budget then still covers every group evenly. Returns (findings by task key, completed unit ids).
        """
        t0 = time.perf_counter()
        deadline = t0 + seconds if seconds is not None else None
        results: dict = {}
        done: list = []
        i = 0
        while i < len(units):
            now = time.perf_counter()
            if deadline is not None and now >= deadline:
                break
            rate = self.rate
            span = 15.0 if deadline is None else min(15.0, max(1.0, (deadline - now) / 3))
            target_words = rate * span if rate else 0
            j, words = i, 0
            while j < len(units) and (j - i < self.jobs * 2 or words < target_words):
                words += sum(ek.word_count(t[1]) for t in units[j][1] if t[0] not in results)
                j += 1
            tasks, seen = [], set(results)
            for _, unit_tasks in units[i:j]:
                for t in unit_tasks:
                    if t[0] not in seen:
                        seen.add(t[0])
                        tasks.append(t)
            results.update(self.run(tasks))
            done.extend(u[0] for u in units[i:j])
            i = j
        return results, done

    @property
    def rate(self) -> float | None:
        """Words per second of wall time over everything run so far."""
        return self.words / self.seconds if self.seconds > 0 else None


class Budget:
    """The run's wall-clock budget; each section may use a share of what is left."""

    def __init__(self, seconds: float, start: float | None = None):
        self.start = start if start is not None else time.perf_counter()
        self.seconds = seconds

    def left(self) -> float:
        return max(0.0, self.seconds - (time.perf_counter() - self.start))

    def allow(self, share: float) -> float:
        return self.left() * share


def budget_note(done: int, total: int, what: str) -> str:
    if done >= total:
        return ""
    return (f" **Time budget reached: {done:,} of {total:,} {what} checked** (spread evenly over the groups, so the "
            "rates are a fair sample; run on a less loaded machine or raise --budget for all).")


def families_present() -> list[str]:
    from mtcheck import rules

    fams = {r.family for r in rules.all_rules().values()}
    return [f for f in FAMILY_ORDER if f in fams]


def rule_names() -> dict[str, str]:
    from mtcheck import rules

    return {code: r.name for code, r in rules.all_rules().items()}


def api_accepts_source() -> bool:
    from mtcheck import api

    return "source" in inspect.signature(api.check).parameters


def flagged(findings: Iterable[tuple], family: str | None = None) -> list[tuple]:
    """Warning-or-worse findings, optionally of one family."""
    return [f for f in findings if f[1] in FLAG_SEVERITIES and (family is None or f[0][0] == family)]


def read_lines(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\r\n") for line in fh]


def code_cell(text: str) -> str:
    """A finding's text as inline code; "(empty)" for an insertion point."""
    return f"`{ek.md_escape(text)}`" if text.strip() else ("(empty)" if not text else f"`{text!r}`")


_EXCERPT_RE = re.compile(r"<<EXCERPT>>(.*?)<<DOCS>>(.*?)<<END>>", re.S)


def excerpt(full: str, docs: str) -> str:
    """Markdown quoting evaluation data: ``full`` is printed, ``docs`` replaces it in docs/EVALUATION.md
    (the data stays outside the repository)."""
    return f"<<EXCERPT>>{full}<<DOCS>>{docs}<<END>>"


def for_stdout(text: str) -> str:
    return _EXCERPT_RE.sub(lambda m: m.group(1), text)


def for_docs(text: str) -> str:
    return _EXCERPT_RE.sub(lambda m: m.group(2), text)


def pct(x):
    return ek.fmt_num(x, pct=True)


def num(x, digits=2):
    return ek.fmt_num(x, digits)


# -- seed story -------------------------------------------------------------------


def section_seed(args, ctx) -> tuple[str, dict]:
    from mtcheck import api

    path = args.seed
    if not os.path.isfile(path):
        return f"## Example story\n\n`{path}` not found; skipped.\n", {"skipped": "missing"}
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    kw = dict(filename=os.path.basename(path), target_lang="en", source_lang="es")
    try:
        found = api.check(text, **kw)
    except Exception:
        tb = traceback.format_exc(limit=6)
        ctx["runner"].errors.append((path, tb))
        last = tb.strip().splitlines()[-1]
        return (f"## Example story\n\n**mtcheck crashed on `{os.path.basename(path)}`**: `{ek.md_escape(last)}` "
                "(traceback at the end of the report).\n", {"crash": tb})
    rows = []
    for f in found:
        rows.append([f"{f.line}:{f.column}", f.code, f.severity, code_cell(f.text[:60]), ek.md_escape(f.message)])
    by_sev = collections.Counter(f.severity for f in found)
    by_fam = collections.Counter(f.family for f in found)
    md = [
        "## Example story",
        "",
        f"`{os.path.basename(path)}` ({ek.word_count(text):,} words), checked with target_lang=en, source_lang=es: "
        f"{len(found)} findings ({', '.join(f'{by_sev[s]} {s}' for s in ('error', 'warning', 'info'))}; "
        f"by family: {', '.join(f'{k} {v}' for k, v in sorted(by_fam.items())) or 'none'}).",
        "",
        ek.md_table(["line:col", "code", "severity", "text", "message"], rows) if rows else "_No findings._",
        "",
    ]
    data = {
        "file": path,
        "findings": [
            {"line": f.line, "column": f.column, "code": f.code, "severity": f.severity, "text": f.text, "message": f.message}
            for f in found
        ],
    }
    return "\n".join(md), data


# -- sentence splitter -------------------------------------------------------------


def reference_files(data: str) -> list[tuple[str, str]]:
    """(label, path) of every WMT human reference, e.g. ('de-en-2021 ref.A', ...)."""
    out = []
    for pair_dir in sorted(glob.glob(os.path.join(data, "wmt", "*"))):
        for ref in sorted(glob.glob(os.path.join(pair_dir, "ref.*"))):
            label = f"{os.path.basename(pair_dir)} {'.'.join(os.path.basename(ref).split('.')[:2])}"
            out.append((label, ref))
    return out


def section_splitter(args, ctx) -> tuple[str, dict]:
    from mtcheck.segment import split_sentences

    rows, data, examples = [], {}, []
    tot = collections.Counter()
    for label, path in reference_files(args.data):
        lines = [line for line in read_lines(path) if line.strip()]
        if args.quick:
            lines = lines[: QUICK_CAPS["ref_lines"] * 2]
        one_mt = one_naive = 0
        for i, line in enumerate(lines):
            n_mt = len(split_sentences(line))
            n_naive = len(ek.naive_split(line))
            one_mt += n_mt == 1
            one_naive += n_naive == 1
            if n_mt > 1 and len(examples) < 8 and (not examples or examples[-1][0] != label):
                spans = split_sentences(line)
                examples.append((label, " ‖ ".join(line[s:e] for s, e in spans)))
        n = len(lines)
        rows.append([label, f"{n:,}", pct(ek.ratio(one_mt, n)), pct(ek.ratio(one_naive, n))])
        data[label] = {"lines": n, "one_sentence_mtcheck": ek.ratio(one_mt, n), "one_sentence_naive": ek.ratio(one_naive, n)}
        tot.update(lines=n, mt=one_mt, naive=one_naive)
    rows.append(["**all**", f"{tot['lines']:,}", pct(ek.ratio(tot['mt'], tot['lines'])), pct(ek.ratio(tot['naive'], tot['lines']))])
    data["all"] = {"lines": tot["lines"], "one_sentence_mtcheck": ek.ratio(tot["mt"], tot["lines"]),
                   "one_sentence_naive": ek.ratio(tot["naive"], tot["lines"])}
    md = [
        "## Sentence splitter on references",
        "",
        "Share of non-empty reference lines kept as one sentence by `mtcheck.segment.split_sentences` and by a naive "
        "splitter (split after every `[.!?]` followed by white space and a capital). WMT lines are mostly single "
        "sentences, so higher is usually better, but some lines do hold two sentences.",
        "",
        ek.md_table(["reference", "lines", "one sentence (mtcheck)", "one sentence (naive)"], rows),
        "",
    ]
    if examples:
        full = "\n".join(["Lines mtcheck splits (‖ marks a split):", ""]
                         + [f"- {label}: {ek.md_escape(t[:220])}" for label, t in examples])
        md += [excerpt(full, "_Examples of lines mtcheck splits are printed by the script (reference text is not "
                             "stored in the repository)._"), ""]
    data["examples"] = examples
    return "\n".join(md), data


# -- DEMETR -------------------------------------------------------------------------


def load_demetr(args) -> list[dict]:
    path = os.path.join(args.data, "demetr", "dev.jsonl")
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if not r.get("applied"):
                continue
            r["pname"] = perturbation_name(r["perturbation"])
            out.append(r)
    return out


def section_demetr(args, ctx) -> tuple[str, dict]:
    runner: Runner = ctx["runner"]
    fams = ctx["families"]
    records = load_demetr(args)
    by_p: dict[str, list[dict]] = collections.defaultdict(list)
    for r in records:
        by_p[r["pname"]].append(r)
    unchanged = collections.Counter()
    for p in list(by_p):
        kept = [r for r in by_p[p] if r["mt"] != r["perturbed"]]
        unchanged[p] = len(by_p[p]) - len(kept)
        by_p[p] = kept
    if args.quick:
        for p in by_p:
            by_p[p] = ek.stride_sample(by_p[p], QUICK_CAPS["demetr_per_perturbation"] / max(1, len(by_p[p])))

    with_source_text = ctx["accepts_source"]
    modes = {"src": True, "nosrc": False}
    tasks_by_key: dict[tuple, tuple] = {}

    def key_for(text, rec, mode):
        src_lang = rec["lang"] if modes[mode] else None
        src_text = rec["source"] if (modes[mode] and with_source_text) else None
        k = (text, src_lang, src_text)
        if k not in tasks_by_key:
            kw = {"target_lang": "en", "source_lang": src_lang}
            if src_text is not None:
                kw["source"] = src_text
            tasks_by_key[k] = (k, text, kw)
        return k

    # One unit per record: its perturbed and unperturbed text in both modes.
    units, plan_of = [], {}
    for r in ek.interleave([by_p[p] for p in sorted(by_p)]):
        rows = [(r["pname"], r, mode, key_for(r["perturbed"], r, mode), key_for(r["mt"], r, mode)) for mode in modes]
        plan_of[id(r)] = rows
        units.append((id(r), [tasks_by_key[k] for row in rows for k in row[3:]]))
    results, done = runner.run_units(units, ctx["budget"].allow(BUDGET_SHARE["demetr"]))
    done_ids = set(done)
    plan = [row for uid, _ in units if uid in done_ids for row in plan_of[uid]]
    for p in by_p:
        by_p[p] = [r for r in by_p[p] if id(r) in done_ids]
    sampled_note = budget_note(len(done), len(units), "records")
    frac = len(done) / max(1, len(units))

    stats: dict = collections.defaultdict(lambda: collections.Counter())
    lang_stats: dict = collections.defaultdict(lambda: collections.Counter())
    fam_fp: dict = collections.defaultdict(dict)  # (mode, family) -> {mt key: flagged?}
    for p, r, mode, kp, km in plan:
        fam = PERTURBATION_FAMILY.get(p)
        span = ek.injected_span(r["mt"], r["perturbed"])
        fp_found = flagged(results.get(kp, []))
        mt_found = flagged(results.get(km, []))
        st = stats[(p, mode)]
        st["n"] += 1
        st["any_hit"] += any(ek.hits_injected((f[2], f[3]), span) for f in fp_found)
        st["any_fp"] += bool(mt_found)
        if fam:
            hit = any(f[0][0] == fam and ek.hits_injected((f[2], f[3]), span) for f in fp_found)
            fp = any(f[0][0] == fam for f in mt_found)
            st["hit"] += hit
            st["fp"] += fp
            if p == "codemix":
                ls = lang_stats[(r["lang"], mode)]
                ls["n"] += 1
                ls["hit"] += hit
                ls["fp"] += fp
        for f in fams:
            fam_fp[(mode, f)][km] = any(x[0][0] == f for x in mt_found)
        fam_fp[(mode, "*")][km] = bool(mt_found)

    def fam_cell(f):
        return f if f in fams else f"{f} (absent)"

    rows, data_p = [], {}
    order = sorted(by_p, key=lambda p: (FAMILY_ORDER.index(PERTURBATION_FAMILY[p]) if p in PERTURBATION_FAMILY else 99, p))
    for p in order:
        fam = PERTURBATION_FAMILY.get(p)
        s, ns = stats[(p, "src")], stats[(p, "nosrc")]
        n = s["n"]
        present = fam in fams
        if fam:
            cells = [pct(ek.ratio(s["hit"], n)), pct(ek.ratio(ns["hit"], n)),
                     pct(ek.ratio(s["fp"], n)) if present else "n/a", pct(ek.ratio(ns["fp"], n)) if present else "n/a"]
        else:
            cells = ["—"] * 4
        rows.append([p, fam_cell(fam) if fam else "—", f"{n:,}"] + cells + [pct(ek.ratio(s["any_hit"], n))])
        data_p[p] = {
            "family": fam,
            "family_present": bool(fam and fam in fams),
            "n": n,
            "unchanged_skipped": unchanged[p],
            "recall_with_source_lang": ek.ratio(s["hit"], n) if fam else None,
            "recall_without_source_lang": ek.ratio(ns["hit"], n) if fam else None,
            "fp_rate_with_source_lang": ek.ratio(s["fp"], n) if present else None,
            "fp_rate_without_source_lang": ek.ratio(ns["fp"], n) if present else None,
            "any_family_recall_with_source_lang": ek.ratio(s["any_hit"], n),
            "any_family_recall_without_source_lang": ek.ratio(ns["any_hit"], n),
        }

    # Per family: pooled recall over its perturbations; FP over the distinct MT sentences.
    fam_rows, data_f = [], {}
    for f in FAMILY_ORDER:
        ps = [p for p in order if PERTURBATION_FAMILY.get(p) == f]
        if not ps:
            continue
        n = sum(stats[(p, "src")]["n"] for p in ps)
        hs = sum(stats[(p, "src")]["hit"] for p in ps)
        hn = sum(stats[(p, "nosrc")]["hit"] for p in ps)
        fps = fam_fp.get(("src", f), {})
        fpn = fam_fp.get(("nosrc", f), {})
        row = {
            "perturbations": len(ps), "n": n,
            "recall_with_source_lang": ek.ratio(hs, n), "recall_without_source_lang": ek.ratio(hn, n),
            "fp_rate_with_source_lang": ek.ratio(sum(fps.values()), len(fps)) if f in fams else None,
            "fp_rate_without_source_lang": ek.ratio(sum(fpn.values()), len(fpn)) if f in fams else None,
        }
        data_f[f] = row
        fam_rows.append([fam_cell(f), FAMILY_NAMES[f], str(len(ps)), f"{n:,}", pct(row["recall_with_source_lang"]),
                         pct(row["recall_without_source_lang"]), pct(row["fp_rate_with_source_lang"]),
                         pct(row["fp_rate_without_source_lang"])])
    any_src = fam_fp.get(("src", "*"), {})
    any_nosrc = fam_fp.get(("nosrc", "*"), {})

    lang_rows, data_l = [], {}
    u_present = PERTURBATION_FAMILY["codemix"] in fams
    for lang in DEMETR_LANGS:
        s, ns = lang_stats[(lang, "src")], lang_stats[(lang, "nosrc")]
        n = s["n"]
        fp_cells = [pct(ek.ratio(s["fp"], n)), pct(ek.ratio(ns["fp"], n))] if u_present else ["n/a", "n/a"]
        lang_rows.append([lang, f"{n:,}", pct(ek.ratio(s["hit"], n)), pct(ek.ratio(ns["hit"], n))] + fp_cells)
        data_l[lang] = {"n": n, "recall_with_source_lang": ek.ratio(s["hit"], n), "recall_without_source_lang": ek.ratio(ns["hit"], n),
                        "fp_rate_with_source_lang": ek.ratio(s["fp"], n) if u_present else None,
                        "fp_rate_without_source_lang": ek.ratio(ns["fp"], n) if u_present else None}

    src_note = ("the source sentence is passed as `source=` too" if with_source_text
                else "the API has no `source=` parameter yet, so only the source language is passed")
    md = [
        "## DEMETR (dev, applied perturbations)",
        "",
        f"{sum(len(v) for v in by_p.values()):,} perturbed sentences (records whose perturbation was not applied, or left "
        f"the text unchanged, are skipped).{sampled_note} Each text is checked alone as a one-paragraph document with "
        f"target_lang=en, once with source_lang set to the record's language (\"+src\"; {src_note}) and once without "
        "(\"−src\").",
        "",
        "- **recall**: share of perturbed sentences with a warning-or-error finding *of the perturbation's family* "
        "overlapping the injected span (the span where `perturbed` differs from `mt` by common prefix/suffix; for a "
        "pure deletion a finding touching the characters either side of the gap counts).",
        "- **FP rate**: share of the same records' unperturbed `mt` sentences with a warning-or-error finding of that family.",
        "- **any family**: the recall counting findings of every family (perturbations with no family have only this).",
        "- A family marked *(absent)* has no rules yet: its recall is 0 by definition and its FP rate n/a.",
        "",
        "### By family",
        "",
        ek.md_table(["family", "", "perturbations", "n", "recall +src", "recall −src", "FP rate +src", "FP rate −src"], fam_rows),
        "",
        f"FP rate over distinct MT sentences: here per family; any family: {pct(ek.ratio(sum(any_src.values()), len(any_src)))} "
        f"(+src), {pct(ek.ratio(sum(any_nosrc.values()), len(any_nosrc)))} (−src).",
        "",
        "### By perturbation",
        "",
        ek.md_table(["perturbation", "family", "n", "recall +src", "recall −src", "FP rate +src", "FP rate −src", "any family +src"], rows),
        "",
        f"### codemix by source language (family U{'' if u_present else ', absent'})",
        "",
        ek.md_table(["lang", "n", "recall +src", "recall −src", "FP rate +src", "FP rate −src"], lang_rows),
        "",
    ]
    data = {"perturbations": data_p, "families": data_f, "codemix_by_lang": data_l, "source_text_passed": with_source_text,
            "sample_fraction": frac, "fp_rate_any_family": {"with_source_lang": ek.ratio(sum(any_src.values()), len(any_src)),
                                                            "without_source_lang": ek.ratio(sum(any_nosrc.values()), len(any_nosrc))}}
    return "\n".join(md), data


# -- WMT references and systems ----------------------------------------------------


def wmt_stories(path: str, pair_dir: str, limit_lines: int | None = None) -> list[ek.Story]:
    lines = read_lines(path)
    doc_ids = None
    docs = os.path.join(pair_dir, "docs.tsv")
    if os.path.isfile(docs):
        doc_ids = [line.split("\t")[1] if "\t" in line else line for line in read_lines(docs)]
        if len(doc_ids) != len(lines):
            doc_ids = None
    if limit_lines:
        lines = lines[:limit_lines]
        doc_ids = doc_ids[:limit_lines] if doc_ids else None
    return ek.group_lines(lines, STORY_LINES, doc_ids)


_SOURCE_CACHE: dict[str, list[str] | None] = {}


def source_lines(pair_dir: str) -> list[str] | None:
    """The pair's ``source.<lang>`` lines (aligned with references and systems), or None."""
    if pair_dir not in _SOURCE_CACHE:
        src, _ = pair_langs(pair_dir)
        path = os.path.join(pair_dir, f"source.{src}")
        _SOURCE_CACHE[pair_dir] = read_lines(path) if os.path.isfile(path) else None
    return _SOURCE_CACHE[pair_dir]


def story_tasks(label: str, stories: list[ek.Story], src: str, tgt: str, sources: list[str] | None = None) -> list[tuple]:
    """API tasks for stories; with ``sources`` (aligned lines) each story gets its source story as ``source=``."""
    tasks = []
    for i, s in enumerate(stories):
        kw: dict[str, Any] = {"target_lang": tgt, "source_lang": src}
        if sources is not None:
            kw["source"] = ek.STORY_SEPARATOR.join(sources[s.first_line:s.first_line + len(s.lines)])
        tasks.append(((label, i), s.text, kw))
    return tasks


def source_note(ctx) -> str:
    return ("the aligned source text is passed as `source=`, so the S rules run" if ctx["accepts_source"]
            else "the API takes no source text yet, so S rules that need it stay silent")


def rate_row(findings_by_story: list[list[tuple]], stories: list[ek.Story], fams: list[str]) -> dict:
    words = sum(s.words for s in stories)
    flag = [f for fs in findings_by_story for f in flagged(fs)]
    by_fam = collections.Counter(f[0][0] for f in flag)
    by_code = collections.Counter(f[0] for f in flag)
    return {
        "stories": len(stories),
        "words": words,
        "findings": len(flag),
        "per_1000": ek.per_thousand(len(flag), words),
        "per_1000_by_family": {f: ek.per_thousand(by_fam.get(f, 0), words) for f in fams},
        "count_by_family": dict(by_fam),
        "count_by_code": dict(by_code),
    }


def _context(text: str, s: int, e: int, width: int = 45) -> str:
    ls = text.rfind("\n", 0, s) + 1
    le = text.find("\n", e)
    le = len(text) if le < 0 else le
    a, b = max(ls, s - width), min(le, e + width)
    left = ("…" if a > ls else "") + text[a:s]
    right = text[e:b] + ("…" if b < le else "")
    return f"{left}⟦{text[s:e]}⟧{right}"


def section_refs(args, ctx) -> tuple[str, dict]:
    runner: Runner = ctx["runner"]
    fams = ctx["families"]
    names = ctx["names"]
    jobs = []
    for label, path in reference_files(args.data):
        pair_dir = os.path.dirname(path)
        src, tgt = pair_langs(pair_dir)
        stories = wmt_stories(path, pair_dir, QUICK_CAPS["ref_lines"] if args.quick else None)
        jobs.append((label, path, src, tgt, stories))
    groups = [[(t[0], [t]) for t in story_tasks(lb, st, s, tg, source_lines(os.path.dirname(p)) if ctx["accepts_source"] else None)]
              for lb, p, s, tg, st in jobs]
    units = ek.interleave(groups)
    results, done = runner.run_units(units, ctx["budget"].allow(BUDGET_SHARE["refs"]))
    done_ids = set(done)
    jobs = [(lb, p, s, t, [x if (lb, i) in done_ids else None for i, x in enumerate(st)]) for lb, p, s, t, st in jobs]
    note = budget_note(len(done), len(units), "stories")
    frac = len(done) / max(1, len(units))

    rows, data, code_tot, code_by_tgt, words_by_tgt = [], {}, collections.Counter(), collections.defaultdict(collections.Counter), collections.Counter()
    samples: dict[str, list] = collections.defaultdict(list)
    all_found = []
    for label, path, src, tgt, all_stories in jobs:
        idx = [i for i, x in enumerate(all_stories) if x is not None]
        stories = [all_stories[i] for i in idx]
        found = [results.get((label, i), []) for i in idx]
        row = rate_row(found, stories, fams)
        data[label] = row
        words_by_tgt[tgt] += row["words"]
        for c, n in row["count_by_code"].items():
            code_tot[c] += n
            code_by_tgt[tgt][c] += n
        rows.append([label, f"{src}→{tgt}", f"{row['words']:,}", f"{row['findings']:,}", num(row["per_1000"])]
                    + [num(row["per_1000_by_family"][f]) for f in fams])
        for story, fs in zip(stories, found):
            for f in flagged(fs):
                all_found.append((f[0], label, story, f))
    total_words = sum(words_by_tgt.values())
    total_flags = sum(code_tot.values())
    fam_tot = collections.Counter()
    for c, n in code_tot.items():
        fam_tot[c[0]] += n
    rows.append(["**all references**", "", f"{total_words:,}", f"{total_flags:,}", num(ek.per_thousand(total_flags, total_words))]
                + [num(ek.per_thousand(fam_tot.get(f, 0), total_words)) for f in fams])

    tgts = sorted(words_by_tgt)
    code_rows = []
    for c in sorted(code_tot, key=lambda c: -code_tot[c]):
        code_rows.append([c, names.get(c, "?"), f"{code_tot[c]:,}"]
                         + [num(ek.per_thousand(code_by_tgt[t].get(c, 0), words_by_tgt[t])) for t in tgts]
                         + [num(ek.per_thousand(code_tot[c], total_words))])

    # Samples: up to two per code, spread evenly over where they occur.
    by_code: dict[str, list] = collections.defaultdict(list)
    for item in all_found:
        by_code[item[0]].append(item)
    sample_rows = []
    for c in sorted(by_code, key=lambda c: -len(by_code[c])):
        items = by_code[c]
        picks = [items[0]] if len(items) == 1 else [items[len(items) // 4], items[(3 * len(items)) // 4]]
        for _, label, story, f in picks:
            sample_rows.append([c, f"{label}:{story.file_line(f[2])}", code_cell(story.text[f[2]:f[3]][:40]),
                                ek.md_escape(_context(story.text, f[2], f[3]))])
            samples[c].append({"file": label, "line": story.file_line(f[2]), "text": story.text[f[2]:f[3]],
                               "context": _context(story.text, f[2], f[3])})
        if len(sample_rows) >= 24:
            break

    md = [
        "## False alarms on WMT human references",
        "",
        f"Professional references, lines grouped into stories of ~{STORY_LINES} lines joined by blank lines (en-es-2024: one "
        f"story per document of docs.tsv), checked with the pair's source and target language; {source_note(ctx)}; no "
        f"reference is passed (R rules stay silent).{note} Rate = "
        "warning-or-error findings per 1,000 white-space words; on edited human text nearly all of them are false alarms.",
        "",
        "### Per reference and family (findings per 1,000 words)",
        "",
        ek.md_table(["reference", "pair", "words", "findings", "per 1k"] + [f"{f} per 1k" for f in fams], rows),
        "",
        "### Per code (findings per 1,000 words)",
        "",
        ek.md_table(["code", "name", "count"] + [f"per 1k →{t}" for t in tgts] + ["per 1k all"], code_rows)
        if code_rows else "_No warning-or-error findings on the references._",
        "",
    ]
    if sample_rows:
        md += ["### Sample false alarms", "",
               excerpt(ek.md_table(["code", "where", "text", "context"], sample_rows),
                       ek.md_table(["code", "where", "text"], [r[:3] for r in sample_rows])
                       + "\n\nContexts are printed by the script (reference text is not stored in the repository)."),
               ""]
    ctx["ref_rates"] = data
    return "\n".join(md), {"references": data, "by_code": dict(code_tot), "samples": samples,
                           "all": {"words": total_words, "findings": total_flags,
                                   "per_1000": ek.per_thousand(total_flags, total_words),
                                   "per_1000_by_family": {f: ek.per_thousand(fam_tot.get(f, 0), total_words) for f in fams}},
                           "sample_fraction": frac}


def section_systems(args, ctx) -> tuple[str, dict]:
    runner: Runner = ctx["runner"]
    fams = ctx["families"]
    jobs = []
    for pair_dir in sorted(glob.glob(os.path.join(args.data, "wmt", "*"))):
        src, tgt = pair_langs(pair_dir)
        for path in sorted(glob.glob(os.path.join(pair_dir, "systems", "*"))):
            stories = wmt_stories(path, pair_dir)
            if args.quick:
                stories = stories[: QUICK_CAPS["system_stories"]]
            label = f"{os.path.basename(pair_dir)} {os.path.splitext(os.path.basename(path))[0]}"
            jobs.append((os.path.basename(pair_dir), label, src, tgt, stories))
    groups = [[(t[0], [t]) for t in story_tasks(lb, st, s, tg, source_lines(os.path.join(args.data, "wmt", pr))
                                                if ctx["accepts_source"] else None)]
              for pr, lb, s, tg, st in jobs]
    units = ek.interleave(groups)
    results, done = runner.run_units(units, ctx["budget"].allow(BUDGET_SHARE["systems"]))
    done_ids = set(done)
    note = budget_note(len(done), len(units), "stories")
    frac = len(done) / max(1, len(units))
    if args.quick:
        note += f" Quick run: the first {QUICK_CAPS['system_stories']} stories of each system."
    refs = ctx.get("ref_rates", {})
    rows, data = [], {}
    by_pair = collections.defaultdict(list)
    for pair, label, src, tgt, all_stories in jobs:
        idx = [i for i in range(len(all_stories)) if (label, i) in done_ids]
        if not idx:
            continue
        row = rate_row([results.get((label, i), []) for i in idx], [all_stories[i] for i in idx], fams)
        data[label] = row
        by_pair[pair].append((label, row))
    summary = []
    for pair in sorted(by_pair):
        items = sorted(by_pair[pair], key=lambda x: -(x[1]["per_1000"] or 0))
        for lb, row in ((lb, r) for lb, r in refs.items() if lb.startswith(pair + " ")):
            rows.append([f"*{lb} (human)*", f"{row['words']:,}", num(row["per_1000"])] + [num(row["per_1000_by_family"].get(f)) for f in fams])
        for label, row in items:
            rows.append([label, f"{row['words']:,}", num(row["per_1000"])] + [num(row["per_1000_by_family"][f]) for f in fams])
        sys_rates = [r["per_1000"] for _, r in items if r["per_1000"] is not None]
        ref_rates = [r["per_1000"] for lb, r in refs.items() if lb.startswith(pair + " ") and r["per_1000"] is not None]
        summary.append([pair, str(len(items)), num(ek.median(sys_rates)) if sys_rates else "n/a",
                        num(min(sys_rates)) if sys_rates else "n/a", num(max(sys_rates)) if sys_rates else "n/a",
                        num(sum(ref_rates) / len(ref_rates)) if ref_rates else "n/a"])
    md = [
        "## WMT system outputs",
        "",
        f"Every system's output, grouped and checked exactly like the references.{note} "
        "Warning-or-error findings per "
        "1,000 words; these texts hold real, mostly unlabelled MT errors, so a useful rule fires more here than on the "
        "human references (rows in italics).",
        "",
        ek.md_table(["pair", "systems", "median per 1k", "min", "max", "references per 1k"], summary),
        "",
        ek.md_table(["system", "words", "per 1k"] + [f"{f} per 1k" for f in fams], rows),
        "",
    ]
    return "\n".join(md), {"systems": data, "sample_fraction": frac}


# -- MQM ------------------------------------------------------------------------------


MQM_TARGET = {"zh-en": "en", "en-de": "de"}


def load_mqm(path: str) -> tuple[list[dict], int]:
    seen, out, dups = set(), [], 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            key = (r["system"], r["doc"], str(r["seg_id"]))
            if key in seen:
                dups += 1
                continue
            seen.add(key)
            out.append(r)
    return out, dups


def section_mqm(args, ctx) -> tuple[str, dict]:
    runner: Runner = ctx["runner"]
    fams = ctx["families"]
    pairs = []
    for path in sorted(glob.glob(os.path.join(args.data, "mqm", "*.jsonl"))):
        m = re.search(r"([a-z]{2})-([a-z]{2})\.jsonl$", path)
        if not m:
            continue
        pair = f"{m.group(1)}-{m.group(2)}"
        recs, dups = load_mqm(path)
        docs = collections.defaultdict(list)
        for r in recs:
            docs[(r["system"], r["doc"])].append(r)
        stories = []  # (key, [records], Story)
        for key in sorted(docs):
            segs = sorted(docs[key], key=lambda r: int(r.get("doc_seg_id") or r["seg_id"]))
            for i in range(0, len(segs), STORY_LINES):
                chunk = segs[i:i + STORY_LINES]
                stories.append(((pair,) + key + (i,), chunk, ek.Story(0, [r["target"] for r in chunk])))
        if args.quick:
            stories = ek.stride_sample(stories, QUICK_CAPS["mqm_stories"] / max(1, len(stories)))
        pairs.append((pair, m.group(2), len(recs), dups, stories))
    groups = []
    for p, t, n, d, stories in pairs:
        group = []
        for k, recs, st in stories:
            kw: dict[str, Any] = {"target_lang": MQM_TARGET.get(p, t), "source_lang": p.split("-")[0]}
            if ctx["accepts_source"]:
                kw["source"] = ek.STORY_SEPARATOR.join(r.get("source", "") for r in recs)
            group.append((k, [(k, st.text, kw)]))
        groups.append(group)
    units = ek.interleave(groups)
    results, done = runner.run_units(units, ctx["budget"].allow(BUDGET_SHARE["mqm"]))
    done_ids = set(done)
    pairs = [(p, t, n, d, [x for x in st if x[0] in done_ids]) for p, t, n, d, st in pairs]
    note = budget_note(len(done), len(units), "stories")
    frac = len(done) / max(1, len(units))

    md = [
        "## MQM (WMT21 TED, human error annotations)",
        "",
        f"Records deduplicated on (system, doc, seg); each (system, document) is checked as stories of {STORY_LINES} "
        f"consecutive segments joined by blank lines, with the source language; {source_note(ctx)}. Findings are mapped "
        f"back to segments.{note} Only warning-or-error "
        "findings and target-side error spans count. A zero-width finding covers the characters either side of it.",
        "",
        "- **precision** = flagged characters inside any annotated error span (any category, any rater) / flagged "
        "characters (the union of findings' spans).",
        "- **recall** (per category) = annotated characters of that category covered by a finding / annotated characters "
        "of that category; \"all\" counts each annotated character once whatever its categories.",
        "- **share of flags** = flagged characters inside spans of that category / flagged characters.",
        "",
    ]
    data = {}
    for pair, tgt, n_recs, dups, stories in pairs:
        overlap = {f: ek.CharOverlap() for f in fams + ["*"]}
        n_find = collections.Counter()
        segs = 0
        for key, recs, st in stories:
            found = flagged(results.get(key, []))
            for idx, r in enumerate(recs):
                segs += 1
                off, length = st.offsets[idx], len(r["target"])
                gold = collections.defaultdict(list)
                for e in r.get("errors", []):
                    if e.get("side", "target") != "target" or e.get("start") is None:
                        continue
                    s, en = max(0, e["start"]), min(length, e["end"])
                    if en > s:
                        gold[e["category"]].append((s, en))
                per_fam = collections.defaultdict(list)
                for code, sev, fs, fe in found:
                    ws, we = ek.widen_empty((fs, fe), len(st.text))
                    s, en = max(ws, off) - off, min(we, off + length) - off
                    if en > s:
                        per_fam[code[0]].append((s, en))
                        per_fam["*"].append((s, en))
                        if fs >= off and fs <= off + length:
                            n_find[code[0]] += 1
                            n_find["*"] += 1
                for f in overlap:
                    overlap[f].add(per_fam.get(f, []), gold)
        allf = overlap["*"]
        cats = sorted((c for c in allf.annotated if c != "*"), key=lambda c: -allf.annotated[c])
        fam_rows = []
        for f in fams + ["*"]:
            o = overlap[f]
            fam_rows.append([f if f != "*" else "**all families**", f"{n_find[f]:,}", f"{o.flagged:,}", pct(o.precision), pct(o.recall("*"))])
        cat_rows = []
        for c in cats + ["*"]:
            cat_rows.append([c if c != "*" else "**all**", f"{allf.annotated.get(c, 0):,}", pct(allf.recall(c))]
                            + ([pct(overlap[f].recall(c)) for f in fams] if len(fams) > 1 else [])
                            + [pct(ek.ratio(allf.flagged_in.get(c, 0), allf.flagged)) if c != "*" else pct(allf.precision)])
        md += [
            f"### {pair} (target {MQM_TARGET.get(pair, tgt)}): {segs:,} segments checked of {n_recs:,} "
            f"({dups} duplicate records dropped)",
            "",
            ek.md_table(["family", "findings", "flagged chars", "precision", "recall (all categories)"], fam_rows),
            "",
            ek.md_table(["category", "annotated chars", "recall"] + ([f"recall {f}" for f in fams] if len(fams) > 1 else [])
                        + ["share of flags"], cat_rows),
            "",
        ]
        data[pair] = {"segments": segs, "records": n_recs, "duplicates_dropped": dups,
                      "findings": dict(n_find), "by_family": {f: overlap[f].to_dict() for f in overlap}}
    data["sample_fraction"] = frac
    return "\n".join(md), data


# -- driver ------------------------------------------------------------------------

def section_names(args, ctx) -> tuple[str, dict]:
    """N family: false alarms on clean references, recall on names and exonyms injected into them."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import names_injection

    res = names_injection.run(args.data, quick=args.quick)
    md = [
        "## Names (N): injected variants and exonyms",
        "",
        "Each WMT reference story gets one injected error drawn from the gazetteer (a variant spelling beside the "
        "canonical one, a variant alone, a one-letter slip, or a source-language exonym), seeded; recall is an N "
        "finding overlapping the injected span. Warnings on the clean stories are the false-alarm rate "
        "(`scripts/names_injection.py`).",
        "",
        names_injection.markdown(res),
    ]
    return "\n".join(md), res

F_PERTURBATIONS = ("word_swap", "pos_shift", "function_word", "repeat4")
PROFILE_TRAIN, PROFILE_TEST = "de-en-2021", "de-en-2022"


def _f_flags(text: str, config) -> list:
    import mtcheck

    return [f for f in mtcheck.check(text, target_lang="en", select=["F"], config=config)
            if f.severity in FLAG_SEVERITIES]


def _f_measure(args, config, records, clean, ref_paths) -> dict:
    """F recall per perturbation, share of clean MT flagged, F flags per 1,000 reference words."""
    hit, n = collections.Counter(), collections.Counter()
    for r in records:
        s, e = ek.injected_span(r["mt"], r["perturbed"])
        n[r["pname"]] += 1
        if any(f.start < e + 1 and s - 1 < f.end for f in _f_flags(r["perturbed"], config)):
            hit[r["pname"]] += 1
    flagged = sum(1 for t in clean if _f_flags(t, config))
    words = flags = 0
    per_file = {}
    for label, path in ref_paths:
        fw = ff = 0
        for st in wmt_stories(path, os.path.dirname(path), QUICK_CAPS["ref_lines"] if args.quick else None):
            fw += st.words
            ff += len(_f_flags(st.text, config))
        per_file[label] = ek.per_thousand(ff, fw)
        words += fw
        flags += ff
    recall = {p: ek.ratio(hit[p], n[p]) for p in F_PERTURBATIONS}
    return {"recall": recall, "mean_recall": sum(recall.values()) / len(recall), "n": dict(n),
            "clean_flagged": ek.ratio(flagged, len(clean)), "clean_n": len(clean),
            "refs_per_1k": ek.per_thousand(flags, words), "refs_flags": flags, "refs_words": words,
            "refs_per_file": per_file}


def section_profile(args, ctx) -> tuple[str, dict]:
    """The default reference model against a newsroom profile learned from one year's references."""
    import tempfile

    from mtcheck.config import Config
    from mtcheck.learn import learn

    demetr = load_demetr(args)
    records = [r for r in demetr if r["pname"] in F_PERTURBATIONS and r["mt"] != r["perturbed"]]
    clean = sorted({r["mt"] for r in demetr})
    if args.quick:
        records = ek.stride_sample(records, 4 * QUICK_CAPS["demetr_per_perturbation"] / max(1, len(records)))
        clean = ek.stride_sample(clean, 0.5)
    train_dir = os.path.join(args.data, "wmt", PROFILE_TRAIN)
    test_dir = os.path.join(args.data, "wmt", PROFILE_TEST)
    test_refs = [(f"{PROFILE_TEST} {os.path.basename(p)}", p) for p in sorted(glob.glob(os.path.join(test_dir, "ref.*.en")))]
    with tempfile.TemporaryDirectory(prefix="mtcheck-profile-") as tmp:
        archive = os.path.join(tmp, "archive")
        os.makedirs(archive)
        for p in sorted(glob.glob(os.path.join(train_dir, "ref.*.en"))):
            lines = [line for line in read_lines(p) if line.strip()]
            with open(os.path.join(archive, os.path.basename(p) + ".txt"), "w", encoding="utf-8") as fh:
                fh.write("\n\n".join(lines) + "\n")
        t0 = time.perf_counter()
        stats = learn([archive], os.path.join(tmp, "profile"), lang="en")
        learn_s = time.perf_counter() - t0
        res = {"default": _f_measure(args, Config(), records, clean, test_refs),
               "profile": _f_measure(args, Config(profile=os.path.join(tmp, "profile")), records, clean, test_refs),
               "train": PROFILE_TRAIN, "test": PROFILE_TEST, "learn_seconds": learn_s,
               "train_words": getattr(stats, "words", None)}
    rows = []
    for name in ("default", "profile"):
        m = res[name]
        rows.append([name] + [pct(m["recall"][p]) for p in F_PERTURBATIONS] + [
            f"**{m['mean_recall']:.4f}**", pct(m["clean_flagged"]), f"{m['refs_per_1k']:.2f}"])
    md = [
        "## Fluency (F): default model and a learned profile",
        "",
        f"A profile is learned with `mtcheck learn` from the {PROFILE_TRAIN} references (A and B, "
        f"{res['train_words'] or 0:,} words, {res['learn_seconds']:.1f} s), as a newsroom would from its archive, and "
        f"tested on the {PROFILE_TEST} references (F warnings per 1,000 words, as 25-line stories) and on DEMETR dev "
        "(recall: an F warning overlapping the injected span; clean: share of the distinct unperturbed MT sentences "
        "with any F warning). Each text is checked alone with `select=[\"F\"]`.",
        "",
        ek.md_table(["model"] + list(F_PERTURBATIONS) + ["mean recall", "clean MT flagged", f"F per 1k ({PROFILE_TEST} refs)"],
                    rows),
        "",
    ]
    return "\n".join(md), res


SECTIONS = {
    "names": section_names,
    "seed": section_seed,
    "demetr": section_demetr,
    "refs": section_refs,
    "mqm": section_mqm,
    "systems": section_systems,
    "splitter": section_splitter,
    "profile": section_profile,
}
ORDER = ("seed", "splitter", "demetr", "refs", "profile", "names", "mqm", "systems")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=ek.DEFAULT_DATA, help="evaluation data directory (default: %(default)s)")
    ap.add_argument("--seed", default=None, help="example story (default: <data>/../seed/geneva_es-en_mt.txt)")
    ap.add_argument("--quick", action="store_true", help="a small sample of everything (under a minute)")
    ap.add_argument("--json", metavar="FILE", help="also write the numbers as JSON")
    ap.add_argument("--write-docs", action="store_true", help="write the tables to docs/EVALUATION.md")
    ap.add_argument("--only", default="", help=f"comma-separated sections among {','.join(ORDER)}")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    ap.add_argument("--budget", type=float, default=None,
                    help="wall-clock seconds for the whole run; sections stop early (and say so) to keep "
                         "within it (default 780, quick 30)")
    args = ap.parse_args(argv)
    args.data = os.path.abspath(args.data)
    if args.seed is None:
        args.seed = os.path.join(os.path.dirname(args.data), "seed", "geneva_es-en_mt.txt")
    if args.budget is None:
        args.budget = 30.0 if args.quick else 780.0
    if not os.path.isdir(args.data):
        print(f"evaluate.py: data directory {args.data} not found (use --data)", file=sys.stderr)
        return 2
    only = [s.strip() for s in args.only.split(",") if s.strip()] or list(ORDER)
    unknown = [s for s in only if s not in SECTIONS]
    if unknown:
        print(f"evaluate.py: unknown section(s) {', '.join(unknown)}", file=sys.stderr)
        return 2

    t_start = time.perf_counter()
    header = ek.run_header(args.data)
    try:
        fams = families_present()
        names = rule_names()
    except Exception:
        print("evaluate.py: mtcheck failed to load its rules:\n" + traceback.format_exc(), file=sys.stderr)
        return 2
    accepts_source = api_accepts_source()
    print("[evaluate] loading mtcheck and warming up ...", file=sys.stderr, flush=True)
    runner = Runner(args.jobs, accepts_source)
    ctx = {"runner": runner, "families": fams, "names": names, "budget": Budget(args.budget, t_start),
           "accepts_source": accepts_source}
    parts = [
        "# mtcheck evaluation" + (" (quick sample)" if args.quick else ""),
        "",
        f"{ek.header_line(header)}",
        "",
        f"Generated by `python scripts/evaluate.py{' --quick' if args.quick else ''}`. Rule families present: "
        f"{', '.join(f'{f} ({FAMILY_NAMES[f]})' for f in fams) or 'none'}; {len(names)} rules. Families not listed have "
        "no rules yet (recall 0, rates n/a).",
        "",
    ]
    out_data: dict[str, Any] = {"header": header, "quick": args.quick, "families": fams, "rules": sorted(names)}
    timings = {}
    try:
        for name in ORDER:
            if name not in only:
                continue
            t0 = time.perf_counter()
            print(f"[evaluate] {name} ...", file=sys.stderr, flush=True)
            try:
                md, data = SECTIONS[name](args, ctx)
            except Exception:
                tb = traceback.format_exc()
                print(f"evaluate.py: section {name} failed:\n{tb}", file=sys.stderr)
                md = f"## {name}\n\n**This section failed**: `{ek.md_escape(tb.strip().splitlines()[-1])}` (see stderr).\n"
                data = {"failed": tb}
            timings[name] = time.perf_counter() - t0
            parts += [md, ""]
            out_data[name] = data
            print(f"[evaluate] {name} done in {timings[name]:.1f}s", file=sys.stderr, flush=True)
    finally:
        runner.close()
    elapsed = time.perf_counter() - t_start
    tail = [
        "## Run",
        "",
        f"{runner.texts:,} texts, {runner.words:,} words checked in {runner.seconds:.0f}s of checking "
        f"({ek.fmt_num(runner.rate, 0)} words/s with {runner.jobs} worker(s)); total run {elapsed:.0f}s "
        f"({', '.join(f'{k} {v:.0f}s' for k, v in timings.items())}).",
    ]
    if runner.errors:
        kinds = collections.Counter(e.strip().splitlines()[-1] for _, e in runner.errors)
        tail += ["", f"**{len(runner.errors)} texts crashed mtcheck** (their findings count as none):", ""]
        tail += [f"- {n} × `{ek.md_escape(k[:200])}`" for k, n in kinds.most_common(5)]
        tail += ["", "First traceback:", "", "```", runner.errors[0][1].strip(), "```"]
        print(f"evaluate.py: {len(runner.errors)} texts crashed mtcheck; first:\n{runner.errors[0][1]}", file=sys.stderr)
    tail += ["", ek.header_line(header), ""]
    parts += tail
    out_data["run"] = {"texts": runner.texts, "words": runner.words, "check_seconds": runner.seconds,
                       "words_per_second": runner.rate, "jobs": runner.jobs, "seconds": elapsed,
                       "section_seconds": timings, "crashes": len(runner.errors),
                       "crash_kinds": dict(collections.Counter(e.strip().splitlines()[-1] for _, e in runner.errors)),
                       "crash_samples": [e for _, e in runner.errors[:3]]}
    raw = "\n".join(parts).rstrip() + "\n"
    text = for_stdout(raw)
    print(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out_data, fh, indent=2, ensure_ascii=False, default=str)
    if args.write_docs:
        path = os.path.join(ek.REPO_ROOT, "docs", "EVALUATION.md")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(DOC_PREAMBLE + "\n" + for_docs(raw).split("\n", 1)[1])
        print(f"[evaluate] wrote {path}", file=sys.stderr)
    return 0


DOC_PREAMBLE = """# Evaluation

How well mtcheck finds machine-translation errors, measured on public research data by `scripts/evaluate.py`
(`python scripts/evaluate.py --write-docs` regenerates this file; `--json FILE` writes the same numbers; `--quick`
runs a sample in under a minute; the data lives outside the repository, `--data` points at it).

What each number means:

- **DEMETR** (Karpinska et al., 2022): English MT sentences with one injected error each. *Recall* = share of
  perturbed sentences where a warning-or-error finding of the family the perturbation belongs to overlaps the injected
  span (found by a common-prefix/common-suffix diff of `mt` and `perturbed`; a pure deletion counts a finding touching
  the character before or after the gap). *FP rate* = share of the unperturbed MT sentences with such a finding.
  The perturbation-to-family table is `PERTURBATION_FAMILY` in `scripts/evaluate.py`.
- **False alarms on references**: warning-or-error findings per 1,000 white-space words on professional human
  references (WMT), where almost every flag is a false alarm; the same rate on the MT systems' output, for comparison.
- **MQM**: character-overlap *precision* (flagged characters inside any annotated target-side error span / flagged
  characters) and *recall* per MQM category (annotated characters of the category covered by findings / annotated
  characters of the category).
- **Sentence splitter**: share of one-sentence reference lines that `split_sentences` keeps whole, beside a naive
  splitter.

mtcheck runs in-process through `mtcheck.api.check` in a pool of `-j` worker processes (default: all cores). When
the API takes a `source=` text, the aligned source is passed (DEMETR "+src" mode, WMT, MQM), so the S rules run; no
reference is passed, so the R rules stay silent here. The run keeps to a wall-clock budget (`--budget`, default 780 s
so it ends within 15 minutes on 2 cores): a section that would overrun stops early, says so in bold, and reports on
what it checked; its items run in an order whose every prefix samples every group (perturbation, system, file) evenly.
"""


if __name__ == "__main__":
    sys.exit(main())
