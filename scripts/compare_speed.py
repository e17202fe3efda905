#!/usr/bin/env python3
"""Which of two checkouts of mtcheck checks stories faster, measured so that machine noise cancels.

    python scripts/compare_speed.py OLD_CHECKOUT NEW_CHECKOUT     # e.g. a `git worktree` of an older commit
    python scripts/compare_speed.py A B --chunks 40 --stride 4 --cpu 0

On a shared machine the speed of the same code drifts by a third within
minutes, so two benchmark runs of two commits compare the machine as much as
the code. Here each checkout runs in its own warm worker process, both pinned
to one core, and they take turns over the same slices of the corpus (the WMT
system outputs as stories of ~25 lines, checked alone as in the benchmark's
"stories alone" row), alternating which goes first: whatever the machine does
during a slice, it does to both. Prints each checkout's words per second and
the ratio of their times.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def worker(root: str, corpus_file: str, chunks: int) -> int:
    """Check slice k of the corpus for every k read from stdin; answer "seconds words"."""
    sys.path.insert(0, root)
    import mtcheck

    if not os.path.abspath(mtcheck.__file__).startswith(os.path.abspath(root)):
        print(f"error: mtcheck imported from {mtcheck.__file__}, not {root}", flush=True)
        return 1
    with open(corpus_file, encoding="utf-8") as fh:
        stories = json.load(fh)
    parts = [stories[i::chunks] for i in range(chunks)]
    for s in stories[:5]:  # warm-up: tables loaded, caches filled
        mtcheck.check(s["text"], target_lang=s["tgt"], source_lang=s["src"])
    print("ready", flush=True)
    for line in sys.stdin:
        part = parts[int(line)]
        t0 = time.perf_counter()
        for s in part:
            mtcheck.check(s["text"], target_lang=s["tgt"], source_lang=s["src"])
        print(time.perf_counter() - t0, sum(s["words"] for s in part), flush=True)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", nargs="?", help="first checkout (a directory holding the mtcheck package)")
    ap.add_argument("b", nargs="?", help="second checkout")
    ap.add_argument("--data", default=None, help="evaluation data directory (default: ../shared/eval beside the repo)")
    ap.add_argument("--chunks", type=int, default=40, help="slices of the corpus the two take turns over")
    ap.add_argument("--stride", type=int, default=4, help="use every N-th story of the corpus")
    ap.add_argument("--cpu", type=int, default=0, help="the core both workers are pinned to (Linux)")
    ap.add_argument("--worker", nargs=2, metavar=("ROOT", "CORPUS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.worker[0], args.worker[1], args.chunks)
    if not (args.a and args.b):
        ap.error("two checkouts to compare are needed")

    import benchmark
    import evalkit as ek

    data = args.data or ek.DEFAULT_DATA
    if not os.path.isdir(os.path.join(data, "wmt")):
        print(f"compare_speed: no WMT data under {data}", file=sys.stderr)
        return 2
    corpus = [{k: v for k, v in s.items() if k in ("text", "tgt", "src", "words")}
              for s in benchmark.build_corpus(data)[::args.stride] if s["text"].strip()]
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})  # the workers inherit it
    with tempfile.TemporaryDirectory(prefix="mtcheck-compare-") as tmp:
        corpus_file = os.path.join(tmp, "corpus.json")
        with open(corpus_file, "w", encoding="utf-8") as fh:
            json.dump(corpus, fh)
        roots = [os.path.abspath(args.a), os.path.abspath(args.b)]
        procs = [subprocess.Popen([sys.executable, os.path.abspath(__file__), "--chunks", str(args.chunks),
                                   "--worker", root, corpus_file],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for root in roots]
        for p, root in zip(procs, roots):
            first = p.stdout.readline().strip()
            if first != "ready":
                print(f"compare_speed: the worker for {root} failed: {first or p.wait()}", file=sys.stderr)
                return 2
        seconds = [0.0, 0.0]
        words = 0
        for k in range(args.chunks):
            for i in ((0, 1) if k % 2 == 0 else (1, 0)):
                procs[i].stdin.write(f"{k}\n")
                procs[i].stdin.flush()
                t, w = procs[i].stdout.readline().split()
                seconds[i] += float(t)
            words += int(w)
        for p in procs:
            p.stdin.close()
            p.wait()
    print(f"{len(corpus):,} stories, {words:,} words, {args.chunks} turns each, one core")
    for root, t in zip(roots, seconds):
        print(f"{root}: {words / t:,.0f} words/s ({t:.1f} s)")
    print(f"{roots[1]} takes {seconds[1] / seconds[0]:.3f} of the time of {roots[0]} "
          f"({seconds[0] / seconds[1]:.2f}x as fast)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
