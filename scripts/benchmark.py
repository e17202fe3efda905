#!/usr/bin/env python3
"""Speed and memory of mtcheck, each measured beside a floor in the same run.

    python scripts/benchmark.py                # full run (< 15 min on 2 cores)
    python scripts/benchmark.py --quick        # a small corpus, about a minute
    python scripts/benchmark.py --json out.json --write-docs

Measures, on the WMT system outputs grouped into stories of ~25 lines:

- throughput (words/s, white-space words): one process through the API after a
  warm-up, counting only the ``check`` calls; and on every core (the CLI with
  ``-j N`` on a directory of story files, and a process pool over the API);
- floors on the same text: a plain regex tokenisation pass and sacrebleu
  sentence-level chrF of the MT lines against their references;
- cold start of ``mtcheck story.txt`` (median of 5) beside bare ``python``,
  and the import time of ``mtcheck``;
- peak RSS of a child process running the whole single-process benchmark,
  beside a child that only loads the corpus and runs the floors;
- per-family throughput (``select=<family>``) and a cProfile of the top
  functions by cumulative and own time.

Results go to stdout as markdown (``--write-docs`` writes docs/BENCHMARKS.md).
"""
from __future__ import annotations

import argparse
import cProfile
import glob
import inspect
import io
import json
import multiprocessing as mp
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any, Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evalkit as ek  # noqa: E402

ek.use_repo_checkout()

FAMILY_ORDER = "UNCPFSRA"
STORY_LINES = 25
TARGETS = {"words_per_second": 30_000, "cold_start_s": 0.6, "rss_mb": 400}
TOKEN_RE = re.compile(r"\w+|[^\w\s]")
# Seconds the single-process pass may take before the corpus is sampled down.
SINGLE_BUDGET = {"full": 120.0, "quick": 8.0}
FAMILY_BUDGET = {"full": 120.0, "quick": 8.0}  # all per-family runs together
PROFILE_BUDGET = {"full": 40.0, "quick": 4.0}
QUICK_WORDS = 40_000


# -- corpus -----------------------------------------------------------------------


def read_lines(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\r\n") for line in fh]


def build_corpus(data: str) -> list[dict]:
    """Every WMT system output as stories; each with its MT lines and reference lines."""
    corpus = []
    for pair_dir in sorted(glob.glob(os.path.join(data, "wmt", "*"))):
        src, tgt = os.path.basename(pair_dir).split("-")[:2]
        refs = sorted(glob.glob(os.path.join(pair_dir, "ref.*")))
        ref_lines = read_lines(refs[0]) if refs else []
        doc_ids = None
        docs = os.path.join(pair_dir, "docs.tsv")
        if os.path.isfile(docs):
            doc_ids = [line.split("\t")[1] if "\t" in line else line for line in read_lines(docs)]
        src_path = os.path.join(pair_dir, f"source.{src}")
        src_lines = read_lines(src_path) if os.path.isfile(src_path) else []
        for path in sorted(glob.glob(os.path.join(pair_dir, "systems", "*"))):
            lines = read_lines(path)
            ids = doc_ids if doc_ids and len(doc_ids) == len(lines) else None
            for st in ek.group_lines(lines, STORY_LINES, ids):
                refs_here = ref_lines[st.first_line:st.first_line + len(st.lines)]
                src_here = src_lines[st.first_line:st.first_line + len(st.lines)]
                corpus.append({
                    "source": ek.STORY_SEPARATOR.join(src_here) if len(src_here) == len(st.lines) else None,
                    "reference": ek.STORY_SEPARATOR.join(refs_here) if len(refs_here) == len(st.lines) else None,
                    "text": st.text,
                    "src": src,
                    "tgt": tgt,
                    "words": st.words,
                    "lines": st.lines,
                    "refs": refs_here if len(refs_here) == len(st.lines) else [],
                    "system": f"{os.path.basename(pair_dir)}/{os.path.basename(path)}",
                })
    return corpus


def corpus_words(corpus: Sequence[dict]) -> int:
    return sum(s["words"] for s in corpus)


# -- measurements inside this or a child process ------------------------------------


_ACCEPTS: dict[str, bool] = {}


def load_mtcheck():
    from mtcheck import api, rules

    rules.all_rules()
    if not _ACCEPTS:
        params = inspect.signature(api.check).parameters
        _ACCEPTS.update(source="source" in params, reference="reference" in params)
    return api


def check_kwargs(story: dict, select: Sequence[str] = ()) -> dict:
    """API options for a story: its languages, and its aligned source and reference when the API takes them
    (so the S and R families run too)."""
    kw: dict[str, Any] = {"target_lang": story["tgt"], "source_lang": story["src"], "select": select}
    for name in ("source", "reference"):
        if _ACCEPTS.get(name) and story.get(name):
            kw[name] = story[name]
    return kw


def safe_check(api, story: dict, select: Sequence[str] = ()):
    """The findings, or None when mtcheck crashes on the story (counted, not fatal)."""
    try:
        return api.check(story["text"], **check_kwargs(story, select))
    except Exception as exc:  # a check bug must not stop the benchmark
        _CRASHES.append(f"{type(exc).__name__}: {exc}"[:300])
        return None


_CRASHES: list[str] = []


def time_checks(corpus: Sequence[dict], select: Sequence[str] = (), warmup: int = 5) -> dict:
    """Check every story; time only the check calls (after ``warmup`` untimed stories).

    Stories mtcheck crashes on are counted in ``crashes`` and left out of words and time.
    """
    api = load_mtcheck()
    for s in corpus[:warmup]:
        safe_check(api, s, select)
    total = 0.0
    findings = crashes = words = 0
    perf = time.perf_counter
    for s in corpus:
        t0 = perf()
        found = safe_check(api, s, select)
        dt = perf() - t0
        if found is None:
            crashes += 1
            continue
        total += dt
        words += s["words"]
        findings += len(found)
    return {"words": words, "seconds": total, "words_per_second": words / total if total else None,
            "findings": findings, "crashes": crashes, "crash_kinds": sorted(set(_CRASHES))[:5]}


def per_family_times(corpus: Sequence[dict], families: Sequence[str], rounds: int = 3) -> dict:
    """``select=<family>`` for each family, and all families, interleaved in rounds.

    The corpus is cut into ``rounds`` slices and every configuration runs on
    each slice in a rotating order, so drift in machine load hits them alike.
    """
    configs = [("all", ())] + [(f, (f,)) for f in families]
    api = load_mtcheck()
    for _, sel in configs:
        for s in corpus[:2]:
            safe_check(api, s, sel)
    acc = {name: {"words": 0, "seconds": 0.0, "findings": 0, "crashes": 0} for name, _ in configs}
    parts = [p for p in (corpus[i::rounds] for i in range(rounds)) if p]
    for r, part in enumerate(parts):
        k = r % len(configs)
        for name, sel in configs[k:] + configs[:k]:
            t = time_checks(part, select=sel, warmup=0)
            for key in ("words", "seconds", "findings", "crashes"):
                acc[name][key] += t[key]
    for v in acc.values():
        v["words_per_second"] = v["words"] / v["seconds"] if v["seconds"] else None
    return acc


def time_regex(corpus: Sequence[dict]) -> dict:
    t0 = time.perf_counter()
    tokens = 0
    for s in corpus:
        tokens += len(TOKEN_RE.findall(s["text"]))
    dt = time.perf_counter() - t0
    words = corpus_words(corpus)
    return {"words": words, "seconds": dt, "words_per_second": words / dt if dt else None, "tokens": tokens}


def time_chrf(corpus: Sequence[dict]) -> dict:
    from sacrebleu.metrics import CHRF

    chrf = CHRF()
    pairs = [(h, r) for s in corpus for h, r in zip(s["lines"], s["refs"])]
    words = sum(ek.word_count(h) for h, _ in pairs)
    t0 = time.perf_counter()
    for h, r in pairs:
        chrf.sentence_score(h, [r])
    dt = time.perf_counter() - t0
    return {"words": words, "sentences": len(pairs), "seconds": dt, "words_per_second": words / dt if dt else None}


def child_main(mode: str, corpus_file: str) -> int:
    with open(corpus_file, encoding="utf-8") as fh:
        corpus = json.load(fh)
    if mode == "mtcheck":
        out = time_checks(corpus)
    elif mode == "floor":
        out = {"regex": time_regex(corpus), "chrf": time_chrf(corpus)}
    else:
        raise SystemExit(f"unknown child mode {mode}")
    out["vm_hwm_kb"] = vm_hwm_kb()
    print(json.dumps(out))
    return 0


def run_child(argv: list[str], **kw) -> tuple[int, str, str, int, float]:
    """Run a child; return (rc, stdout, stderr, peak RSS in KiB, wall seconds) using os.wait4."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(argv, stdout=out, stderr=err, **kw)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        return p.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), usage.ru_maxrss, wall


# A lean launcher: it runs the benchmark child and reports the child's peak RSS with
# resource.getrusage(RUSAGE_CHILDREN). Measuring from this (large) process with os.wait4
# would not do: on Linux a child's ru_maxrss starts from its parent's RSS at fork time.
_LAUNCHER = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:])\n"
    "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(r.returncode)\n"
)


def child_json(argv: list[str]) -> tuple[dict | None, int, str]:
    """Run a benchmark child through the launcher: (its JSON result, its peak RSS in KiB, error text)."""
    rc, out, err, _, _ = run_child([sys.executable, "-c", _LAUNCHER] + argv, env=ek.subprocess_env(), cwd=ek.REPO_ROOT)
    m = re.search(r"PEAK_RSS_KB (\d+)", err)
    rss = int(m.group(1)) if m else 0
    if rc != 0:
        return None, rss, err.strip()[-2000:]
    return json.loads(out.strip().splitlines()[-1]), rss, ""


def vm_hwm_kb() -> int | None:
    """This process's own peak RSS (Linux VmHWM), a cross-check of getrusage."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


# -- pools -------------------------------------------------------------------------

_POOL_API: Any = None


def _pool_init(warmup: Sequence[dict]):
    global _POOL_API
    _POOL_API = load_mtcheck()
    for s in warmup:
        safe_check(_POOL_API, s)


def _pool_check(story):
    found = safe_check(_POOL_API, story)
    return -1 if found is None else len(found)


def _pool_regex(text):
    return len(TOKEN_RE.findall(text))


def _noop(_):
    return 0


def pool_throughput(corpus: Sequence[dict], jobs: int) -> dict:
    """Process pool over the API: workers warm up first, then the wall time of the map counts."""
    ctx = mp.get_context("spawn")  # fresh interpreters: nothing inherited from this process
    slim = [{k: s.get(k) for k in ("text", "tgt", "src", "source", "reference")} for s in corpus]
    warm = [next((s for s in slim if s["tgt"] == t), None) for t in sorted({s["tgt"] for s in slim})]
    with ctx.Pool(jobs, initializer=_pool_init, initargs=([w for w in warm if w],)) as pool:
        pool.map(_noop, range(jobs * 4), chunksize=1)  # make sure every worker has started
        t0 = time.perf_counter()
        counts = list(pool.imap_unordered(_pool_check, slim, chunksize=4))
        dt = time.perf_counter() - t0
    words = corpus_words(corpus)
    return {"jobs": jobs, "words": words, "seconds": dt, "words_per_second": words / dt if dt else None,
            "findings": sum(c for c in counts if c >= 0), "crashes": sum(1 for c in counts if c < 0)}


def pool_regex(corpus: Sequence[dict], jobs: int) -> dict:
    ctx = mp.get_context("spawn")
    texts = [s["text"] for s in corpus]
    with ctx.Pool(jobs) as pool:
        pool.map(_noop, range(jobs * 4), chunksize=1)
        t0 = time.perf_counter()
        sum(pool.imap_unordered(_pool_regex, texts, chunksize=16))
        dt = time.perf_counter() - t0
    words = corpus_words(corpus)
    return {"jobs": jobs, "words": words, "seconds": dt, "words_per_second": words / dt if dt else None}


# -- the CLI -----------------------------------------------------------------------


def find_cli() -> tuple[list[str] | None, str]:
    """The command that runs the CLI, and how it was found."""
    exe = shutil.which("mtcheck")
    if exe:
        return [exe], f"console script `{exe}`"
    try:
        p = subprocess.run([sys.executable, "-m", "mtcheck", "--version"], capture_output=True, text=True,
                           timeout=60, env=ek.subprocess_env(), cwd=ek.REPO_ROOT)
        if p.returncode == 0:
            return [sys.executable, "-m", "mtcheck"], "`python -m mtcheck` (no console script on PATH)"
        reason = (p.stderr.strip().splitlines() or ["no output"])[-1]
    except (OSError, subprocess.SubprocessError) as exc:
        reason = str(exc)
    return None, f"no CLI: `mtcheck` is not on PATH and `python -m mtcheck --version` failed ({reason})"


def cli_options(cli: list[str]) -> str:
    """The CLI's help text, top level and the ``check`` subcommand (options may live on either)."""
    text = ""
    for extra in (["--help"], ["check", "--help"]):
        try:
            p = subprocess.run(cli + extra, capture_output=True, text=True, timeout=60,
                               env=ek.subprocess_env(), cwd=ek.REPO_ROOT)
            text += p.stdout + p.stderr
        except (OSError, subprocess.SubprocessError):
            pass
    return text


def cli_parallel(cli: list[str], corpus: Sequence[dict], jobs: int, tmp: str) -> dict:
    """``mtcheck -j N --format json <dir>`` per language pair; wall time including start-up."""
    help_text = cli_options(cli)
    tgt_opt = next((o for o in ("--target-lang", "--target", "--lang") if re.search(rf"{o}\b", help_text)), None)
    src_opt = "--source-lang" if re.search(r"--source-lang\b", help_text) else None
    by_pair: dict[tuple[str, str], list[dict]] = {}
    for s in corpus:
        by_pair.setdefault((s["src"], s["tgt"]), []).append(s)
    total, rcs, notes = 0.0, [], []
    for (src, tgt), stories in sorted(by_pair.items()):
        d = os.path.join(tmp, f"stories_{src}-{tgt}")
        os.makedirs(d, exist_ok=True)
        for i, s in enumerate(stories):
            if not s["text"].strip():
                continue  # a system output with nothing in these lines: the CLI rightly refuses an empty file (exit 2)
            with open(os.path.join(d, f"story_{i:05d}.txt"), "w", encoding="utf-8") as fh:
                fh.write(s["text"] + "\n")
        argv = (cli + ["-j", str(jobs), "--format", "json"] + ([tgt_opt, tgt] if tgt_opt else [])
                + ([src_opt, src] if src_opt else []) + [d])
        rc, out, err, _, wall = run_child(argv, env=ek.subprocess_env(), cwd=tmp)
        total += wall
        rcs.append(rc)
        if rc not in (0, 1):
            notes.append(f"CLI exited {rc} on {src}-{tgt}: {err.strip()[-300:]}")
    words = corpus_words(corpus)
    return {"jobs": jobs, "words": words, "seconds": total, "words_per_second": words / total if total else None,
            "exit_codes": rcs, "target_lang_option": tgt_opt, "source_lang_option": src_opt, "notes": notes,
            "runs": len(by_pair)}


def median_runs(commands: dict[str, list[str]], n: int = 5, cwd: str | None = None) -> dict[str, dict]:
    """Median wall time of each command over ``n`` runs, after one untimed round (warms the OS file cache).

    The commands run round-robin, so a change in machine load affects them alike.
    """
    env = ek.subprocess_env()
    times: dict[str, list[float]] = {k: [] for k in commands}
    rcs: dict[str, int] = {}
    for i in range(n + 1):
        for name, argv in commands.items():
            t0 = time.perf_counter()
            p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd or ek.REPO_ROOT)
            dt = time.perf_counter() - t0
            rcs[name] = p.returncode
            if i:
                times[name].append(dt)
    return {k: {"median": ek.median(v), "runs": v, "exit_code": rcs[k]} for k, v in times.items()}


def import_time_us(module_code: str = "import mtcheck") -> int | None:
    """Cumulative import time of ``mtcheck`` reported by ``python -X importtime``."""
    p = subprocess.run([sys.executable, "-X", "importtime", "-c", module_code], capture_output=True, text=True,
                       env=ek.subprocess_env(), cwd=ek.REPO_ROOT)
    best = None
    for line in p.stderr.splitlines():
        m = re.match(r"import time:\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\S.*)$", line)
        if m and m.group(3).strip() == "mtcheck":
            best = int(m.group(2))
    return best


# -- profile -------------------------------------------------------------------------


def _short(path: str) -> str:
    if path.startswith(ek.REPO_ROOT + os.sep):
        return os.path.relpath(path, ek.REPO_ROOT)
    m = re.search(r"(?:site|dist)-packages/(.+)$", path)
    if m:
        return m.group(1)
    m = re.search(r"lib/python3\.\d+/(.+)$", path)
    return m.group(1) if m else path


def profile(corpus: Sequence[dict], top: int = 15) -> dict:
    api = load_mtcheck()
    for s in corpus[:3]:
        safe_check(api, s)
    prof = cProfile.Profile()
    prof.enable()
    for s in corpus:
        safe_check(api, s)
    prof.disable()
    st = pstats.Stats(prof, stream=io.StringIO())
    total = st.total_tt
    out = {}
    for key in ("cumulative", "tottime"):
        rows = []
        items = sorted(st.stats.items(), key=lambda kv: -(kv[1][3] if key == "cumulative" else kv[1][2]))
        for (fname, line, func), (cc, nc, tt, ct, _callers) in items:
            if key == "cumulative" and (func in ("<module>",) or "benchmark.py" in fname or fname == "~" and "profile" in func):
                continue
            label = f"{_short(fname)}:{line}({func})" if fname != "~" else re.sub(r" at 0x[0-9a-f]+", "", func)
            rows.append({"function": label, "calls": nc, "tottime": tt, "cumtime": ct})
            if len(rows) >= top:
                break
        out[key] = rows
    out["total_seconds"] = total
    out["words"] = corpus_words(corpus)
    return out


# -- report ---------------------------------------------------------------------------


def fmt_rate(r: dict | None) -> str:
    return "n/a" if not r or r.get("words_per_second") is None else f"{r['words_per_second']:,.0f}"


def meets(value, target, higher_is_better: bool) -> str:
    if value is None:
        return "n/a"
    ok = value >= target if higher_is_better else value <= target
    return "yes" if ok else "**no**"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=ek.DEFAULT_DATA, help="evaluation data directory (default: %(default)s)")
    ap.add_argument("--quick", action="store_true", help=f"a corpus of about {QUICK_WORDS:,} words")
    ap.add_argument("--json", metavar="FILE", help="also write the numbers as JSON")
    ap.add_argument("--write-docs", action="store_true", help="write docs/BENCHMARKS.md")
    ap.add_argument("-j", "--jobs", type=int, default=None, help="processes for the parallel runs (default: all cores)")
    ap.add_argument("--child", choices=("mtcheck", "floor"), help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child_main(args.child, args.corpus)

    t_start = time.perf_counter()
    mode = "quick" if args.quick else "full"
    args.data = os.path.abspath(args.data)
    if not os.path.isdir(os.path.join(args.data, "wmt")):
        print(f"benchmark.py: {args.data}/wmt not found (use --data)", file=sys.stderr)
        return 2
    header = ek.run_header(args.data)
    machine = ek.machine_info()
    jobs = args.jobs or int(machine["cores"])
    log = lambda msg: print(f"[benchmark] {msg}", file=sys.stderr, flush=True)  # noqa: E731

    try:
        load_mtcheck()
        from mtcheck import rules
        families = [f for f in FAMILY_ORDER if any(r.family == f for r in rules.all_rules().values())]
        n_rules = len(rules.all_rules())
    except Exception as exc:
        print(f"benchmark.py: mtcheck failed to load: {exc!r}", file=sys.stderr)
        return 2

    full = build_corpus(args.data)
    all_words = corpus_words(full)
    corpus = full
    if args.quick:
        corpus = ek.stride_sample(full, QUICK_WORDS / all_words)
    # Calibrate, then sample the corpus down if the single-process pass would overrun.
    api = load_mtcheck()
    cal = ek.stride_sample(corpus, min(1.0, 40 / len(corpus)))
    for s in cal[:3]:
        safe_check(api, s)
    cal_rate = time_checks(cal, warmup=0)["words_per_second"] or 1e9
    need = corpus_words(corpus) / cal_rate
    if need > SINGLE_BUDGET[mode]:
        corpus = ek.stride_sample(corpus, SINGLE_BUDGET[mode] / need)
    words = corpus_words(corpus)
    share = words / all_words
    sample_note = (f"{len(corpus):,} stories, {words:,} words ({share:.0%}" if share >= 0.1 or share == 1 else
                   f"{len(corpus):,} stories, {words:,} words ({share:.1%}")
    sample_note += (f" of the {all_words:,} words of "
                   f"all {len({s['system'] for s in full})} system outputs)")
    log(f"corpus: {sample_note}; calibration {cal_rate:,.0f} words/s")

    res: dict[str, Any] = {"header": header, "machine": machine, "mode": mode, "families": families, "rules": n_rules,
                           "accepts": dict(_ACCEPTS),
                           "corpus": {"stories": len(corpus), "words": words, "all_words": all_words}}
    with tempfile.TemporaryDirectory(prefix="mtcheck-bench-") as tmp:
        corpus_file = os.path.join(tmp, "corpus.json")
        with open(corpus_file, "w", encoding="utf-8") as fh:
            json.dump(corpus, fh)
        me = [sys.executable, os.path.abspath(__file__)]

        log("single process (child) ...")
        single, rss_kb, err = child_json(me + ["--child", "mtcheck", "--corpus", corpus_file])
        if single is None:
            log(f"single-process child failed: {err}")
        log("floors (child) ...")
        floor, floor_rss_kb, ferr = child_json(me + ["--child", "floor", "--corpus", corpus_file])
        if floor is None:
            log(f"floor child failed: {ferr}")
        res["single"] = single
        res["single_error"] = err or None
        res["floor"] = floor
        res["rss_mb"] = rss_kb / 1024
        res["floor_rss_mb"] = floor_rss_kb / 1024

        log("single process, stories alone (no source/reference) ...")
        alone = time_checks([{k: v for k, v in st.items() if k not in ("source", "reference")} for st in corpus])
        res["single_alone"] = alone

        log(f"parallel, {jobs} processes ...")
        res["pool"] = pool_throughput(corpus, jobs)
        res["pool_regex"] = pool_regex(corpus, jobs)
        cli, cli_how = find_cli()
        res["cli"] = {"command": cli, "how": cli_how}
        if cli:
            res["cli_parallel"] = cli_parallel(cli, corpus, jobs, tmp)
        else:
            res["cli_parallel"] = None

        log("cold start ...")
        story = next((s for s in full if s["tgt"] == "en" and len(s["lines"]) == STORY_LINES), full[0])
        story_path = os.path.join(tmp, "story.txt")
        with open(story_path, "w", encoding="utf-8") as fh:
            fh.write(story["text"] + "\n")
        n_runs = 3 if args.quick else 5
        commands = {
            "bare": [sys.executable, "-c", "pass"],
            "import": [sys.executable, "-c", "import mtcheck"],
            "loaded": [sys.executable, "-c", "import mtcheck.api as a, mtcheck.rules as r; r.all_rules()"],
        }
        if cli:
            commands["cold"] = cli + [story_path]
            cold_how = f"`{' '.join(os.path.basename(c) if i == 0 else c for i, c in enumerate(cli))} story.txt`"
        else:
            code = ("import sys, mtcheck; f = mtcheck.check(open(sys.argv[1], encoding='utf-8').read(), "
                    "filename=sys.argv[1]); print(len(f))")
            commands["cold"] = [sys.executable, "-c", code, story_path]
            cold_how = "in-process fallback `python -c \"import mtcheck; mtcheck.check(story)\"` (no CLI yet)"
        runs = median_runs(commands, n_runs, cwd=tmp)
        bare, imp, loaded = runs["bare"]["median"], runs["import"]["median"], runs["loaded"]["median"]
        cold, cold_runs, cold_rc = runs["cold"]["median"], runs["cold"]["runs"], runs["cold"]["exit_code"]
        res["cold_start"] = {
            "how": cold_how, "median_s": cold, "runs": cold_runs, "n_runs": n_runs, "exit_code": cold_rc, "story_words": story["words"],
            "bare_python_s": bare, "import_mtcheck_s": imp, "import_time_s": max(0.0, imp - bare),
            "import_and_load_rules_s": loaded, "importtime_cumulative_us": import_time_us(),
            "importtime_api_and_rules_us": import_time_us("import mtcheck.api"),
        }

    log("per family ...")
    fam_budget = FAMILY_BUDGET[mode] / max(1, len(families) + 1)
    rate = (single or {}).get("words_per_second") or cal_rate
    fam_corpus = ek.stride_sample(corpus, min(1.0, fam_budget * rate / max(1, words)))
    res["per_family_corpus_words"] = corpus_words(fam_corpus)
    res["per_family"] = per_family_times(fam_corpus, families)

    log("profile ...")
    prof_corpus = ek.stride_sample(corpus, min(1.0, PROFILE_BUDGET[mode] / 3 * rate / max(1, words)))
    res["profile"] = profile(prof_corpus)
    res["seconds"] = time.perf_counter() - t_start

    text = render(res, sample_note)
    print(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(res, fh, indent=2, default=str)
    if args.write_docs:
        path = os.path.join(ek.REPO_ROOT, "docs", "BENCHMARKS.md")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(DOC_PREAMBLE + "\n" + text.split("\n", 1)[1])
        log(f"wrote {path}")
    return 0


def render(res: dict, sample_note: str) -> str:
    m = res["machine"]
    single, floor = res.get("single"), res.get("floor") or {}
    cs = res["cold_start"]
    jobs = res["pool"]["jobs"]
    wps = (single or {}).get("words_per_second")
    md = [
        "# mtcheck benchmarks" + (" (quick)" if res["mode"] == "quick" else ""),
        "",
        ek.header_line(res["header"]),
        "",
        f"Machine: {m['cores']} cores, {m['memory']}, {m['cpu']}; Python {m['python']} ({m['platform']}); "
        f"load average at start {m.get('load', 'n/a')}. "
        f"Rule families present: {', '.join(res['families']) or 'none'} ({res['rules']} rules). "
        f"Corpus: WMT system outputs as stories of ~{STORY_LINES} lines: {sample_note}. Words are white-space tokens. "
        + ("API runs pass each story's aligned source (`source=`) and reference (`reference=`) so that every family "
           "runs" if res.get("accepts", {}).get("source") else "The API takes no source text yet")
        + "; the CLI runs check the stories alone (its `--source`/`--reference` take one story at a time).",
        "",
        "## Against the targets",
        "",
        ek.md_table(["measure", "measured", "floor (same run)", "target", "meets"], [
            ["throughput, 1 process, every family (words/s)", fmt_rate(single), f"regex {fmt_rate(floor.get('regex'))}; chrF {fmt_rate(floor.get('chrf'))}",
             f"≥ {TARGETS['words_per_second']:,}", meets(wps, TARGETS["words_per_second"], True)],
            ["throughput, 1 process, stories alone: every family that reads the story, F on (words/s)",
             fmt_rate(res.get("single_alone")), f"regex {fmt_rate(floor.get('regex'))}",
             f"≥ {TARGETS['words_per_second']:,}",
             meets((res.get("single_alone") or {}).get("words_per_second"), TARGETS["words_per_second"], True)],
            [f"cold start, {cs['how']} (s, median of {cs['n_runs']})", f"{cs['median_s']:.3f}", f"bare python {cs['bare_python_s']:.3f}",
             f"≤ {TARGETS['cold_start_s']}", meets(cs["median_s"], TARGETS["cold_start_s"], False)],
            ["peak RSS, single-process benchmark child (MB)", f"{res['rss_mb']:.0f}", f"corpus + floors child {res['floor_rss_mb']:.0f}",
             f"≤ {TARGETS['rss_mb']}", meets(res["rss_mb"], TARGETS["rss_mb"], False)],
        ]),
        "",
    ]
    crashes = {k: v.get("crashes", 0) for k, v in (("single", single or {}), ("pool", res.get("pool") or {}))}
    if any(crashes.values()):
        kinds = (single or {}).get("crash_kinds") or []
        md += [f"**mtcheck crashed on {crashes['single']:,} stories in the single-process run and {crashes['pool']:,} in "
               "the pool**; they are left out of words and time. "
               + ("Errors: " + "; ".join(f"`{ek.md_escape(k)}`" for k in kinds) if kinds else ""), ""]
    if res.get("single_error"):
        md += [f"Single-process child failed: `{ek.md_escape(res['single_error'][-300:])}`", ""]
    rows = [
        ["mtcheck, 1 process (API, after warm-up, checking only)", fmt_rate(single),
         f"{single['seconds']:.1f}" if single else "n/a", f"{single['findings']:,}" if single else "n/a"],
        ["floor: regex tokenisation `\\w+|[^\\w\\s]`, 1 process", fmt_rate(floor.get("regex")),
         f"{floor['regex']['seconds']:.2f}" if floor.get("regex") else "n/a", ""],
        [f"floor: sacrebleu sentence chrF vs reference, 1 process ({floor.get('chrf', {}).get('sentences', 0):,} sentences)",
         fmt_rate(floor.get("chrf")), f"{floor['chrf']['seconds']:.1f}" if floor.get("chrf") else "n/a", ""],
        ["mtcheck, 1 process, stories alone (no `source=`/`reference=`: S and R idle)", fmt_rate(res.get("single_alone")),
         f"{res['single_alone']['seconds']:.1f}" if res.get("single_alone") else "n/a",
         f"{res['single_alone']['findings']:,}" if res.get("single_alone") else "n/a"],
        [f"mtcheck, process pool over the API, {jobs} processes (warm workers)", fmt_rate(res["pool"]),
         f"{res['pool']['seconds']:.1f}", f"{res['pool']['findings']:,}"],
        [f"floor: regex tokenisation, {jobs} processes", fmt_rate(res["pool_regex"]), f"{res['pool_regex']['seconds']:.2f}", ""],
    ]
    cp = res.get("cli_parallel")
    if cp:
        rows.append([f"mtcheck CLI `-j {jobs} --format json` on story files (wall, incl. start-up)", fmt_rate(cp),
                     f"{cp['seconds']:.1f}", ""])
    md += ["## Throughput", "", ek.md_table(["run", "words/s", "seconds", "findings"], rows), ""]
    if not cp:
        md += [f"CLI -j run skipped: {res['cli']['how']}. The process pool over the API stands in for it.", ""]
    else:
        md += [f"CLI: {res['cli']['how']}, one run per language pair ({cp['runs']} runs, start-up included each time)"
               + (f", with `{cp['target_lang_option']}`" if cp.get("target_lang_option") else ", target language detected")
               + (f" and `{cp['source_lang_option']}`" if cp.get("source_lang_option") else "") + ".", ""]
        if cp.get("notes"):
            md += ["**CLI failures:** " + "; ".join(ek.md_escape(n) for n in cp["notes"]), ""]
    md += [
        "## Start-up",
        "",
        ek.md_table(["measure", "seconds"], [
            [f"cold start: {cs['how']}, one {cs['story_words']}-word story (median of {cs['n_runs']})", f"{cs['median_s']:.3f}"],
            [f"bare `python -c pass` (floor, median of {cs['n_runs']})", f"{cs['bare_python_s']:.3f}"],
            [f"`python -c \"import mtcheck\"` (median of {cs['n_runs']})", f"{cs['import_mtcheck_s']:.3f}"],
            ["import time of mtcheck = the above minus bare python", f"{cs['import_time_s']:.3f}"],
            ["`python -X importtime`: cumulative for `mtcheck`", f"{(cs['importtime_cumulative_us'] or 0) / 1e6:.3f}"],
            ["`python -X importtime`: cumulative for `mtcheck.api`", f"{(cs['importtime_api_and_rules_us'] or 0) / 1e6:.3f}"],
            [f"import mtcheck.api and load every rule module (median of {cs['n_runs']}, incl. python)", f"{cs['import_and_load_rules_s']:.3f}"],
        ]),
        "",
        f"Cold-start runs: {', '.join(f'{t:.3f}' for t in cs['runs'])} (exit code {cs['exit_code']}"
        + ("; **the command failed, so this time does not reflect a full check**" if cs["exit_code"] not in (0, 1) else "")
        + ").",
        "",
        "## Per family",
        "",
        f"`select=<family>` (the API's equivalent of `--select`) over {res['per_family_corpus_words']:,} words of the "
        "corpus, one process, after warm-up; the configurations run interleaved over three slices of the corpus. "
        "A family's share is its time over the all-families time. Shares add up to more than 100% when families "
        "share work (reading and tokenising the story; the S and R families share the sentence alignment), which "
        "runs once with all families on but again with each family alone.",
        "",
    ]
    pf = res["per_family"]
    all_s = pf["all"]["seconds"]
    md.append(ek.md_table(["families", "words/s", "seconds", "share of all-families time", "findings"], [
        [k if k != "all" else "all", fmt_rate(v), f"{v['seconds']:.2f}", ek.fmt_num(ek.ratio(v["seconds"], all_s), pct=True), f"{v['findings']:,}"]
        for k, v in pf.items()
    ]))
    prof = res["profile"]
    md += ["", "## Profile", "",
           f"cProfile of every family over {prof['words']:,} words ({prof['total_seconds']:.1f}s under the profiler).", ""]
    for key, title in (("cumulative", "Top 15 by cumulative time"), ("tottime", "Top 15 by own time")):
        md += [f"### {title}", "", ek.md_table(["function", "calls", "own s", "cumulative s"], [
            [f"`{ek.md_escape(r['function'])}`", f"{r['calls']:,}", f"{r['tottime']:.3f}", f"{r['cumtime']:.3f}"] for r in prof[key]
        ]), ""]
    md += [f"Benchmark run took {res['seconds']:.0f}s.", "", ek.header_line(res["header"]), ""]
    return "\n".join(md)


DOC_PREAMBLE = """# Benchmarks

Speed and memory of mtcheck, measured by `scripts/benchmark.py` (`--write-docs` regenerates this file, `--json FILE`
writes the numbers, `--quick` runs a small corpus). Every figure stands beside a floor measured in the same run on the
same text, so numbers from different machines can be compared by their ratio to the floor:

- **throughput**: white-space words per second over the WMT system outputs (stories of ~25 lines); one process
  through the Python API after a warm-up, counting only the `check` calls; and on every core. Floors: a plain regex
  tokenisation pass (`re.findall(r"\\w+|[^\\w\\s]")`) and sacrebleu sentence-level chrF of the same MT lines against
  their references.
- **cold start**: wall time of `mtcheck story.txt` on one story, median of 5 runs after one untimed run, beside bare
  `python -c pass`; **import time** of `mtcheck` by subtraction and by `python -X importtime`.
- **peak RSS**: `ru_maxrss` from `resource.getrusage(RUSAGE_CHILDREN)` of the child process that runs the whole
  single-process benchmark, read in a small launcher process (on Linux a child's `ru_maxrss` starts at its parent's
  RSS, so measuring from the large benchmark process would report that instead); beside a child that only loads the
  corpus and runs the floors. The JSON also holds each child's own `VmHWM` as a cross-check.
- **targets**: ≥ 30,000 words/s in one process with every family on; cold start ≤ 0.6 s; peak RSS ≤ 400 MB.

"Every family on": the API runs pass each story's aligned source text (`source=`) and reference (`reference=`), so
the source- and reference-aware families run too. The CLI `-j` run checks the story files alone. Per-family times
use `select=<family>`. The corpus is sampled down (evenly over systems) when the measured speed says a pass would
take over two minutes; the header says how much of it was used. Timings on a shared, loaded machine are noisy: the
load average at the start is printed, and comparisons should use the floors from the same run.

Run it before and after a change that touches a hot path.
"""


if __name__ == "__main__":
    sys.exit(main())
