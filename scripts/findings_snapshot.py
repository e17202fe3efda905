#!/usr/bin/env python3
"""Every finding mtcheck gives on a fixed corpus, as JSON lines, so two versions can be diffed.

    python scripts/findings_snapshot.py /tmp/before.jsonl
    # ... change the code ...
    python scripts/findings_snapshot.py /tmp/after.jsonl && diff /tmp/before.jsonl /tmp/after.jsonl

A refactoring that must not change any finding (a speed-up, say) is checked
by an empty diff. The corpus, all under /work/shared (skipped with a message
and exit code 0 when it is absent):

- a deterministic sample of the WMT stories ``scripts/benchmark.py`` builds
  (``--stories``, evenly over all pairs and systems), each checked alone and
  with its aligned ``source=``/``reference=`` as the benchmark passes them;
- the DEMETR perturbed texts (target English, source language = ``lang``),
  each without and with its ``source=``;
- the seed story(ies) under /work/shared/seed.

Each line holds the case (which text, which options) and one finding with
every field of :class:`mtcheck.finding.Finding`, ``extra`` included; a case
with no finding gets one line saying so, so a lost or gained case shows too.
"""
from __future__ import annotations

import argparse
import dataclasses
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evalkit as ek  # noqa: E402

ek.use_repo_checkout()


def finding_record(f) -> dict:
    """Every field of a finding; values JSON cannot hold become their repr."""
    d = {fld.name: getattr(f, fld.name) for fld in dataclasses.fields(f)}
    d["suggestions"] = [list(s) for s in f.suggestions]
    return d


def cases(data: str, seed_dir: str, n_stories: int):
    """(case id, text, api keyword arguments) for the whole corpus, in a fixed order."""
    import benchmark  # the same stories the benchmark checks

    benchmark.load_mtcheck()  # fills in which of source=/reference= the API takes
    stories = benchmark.build_corpus(data)
    sample = ek.stride_sample(stories, min(1.0, n_stories / max(1, len(stories))))
    for i, s in enumerate(sample):
        sid = f"wmt/{s['system']}#{i}"
        yield f"{sid}/alone", s["text"], {"target_lang": s["tgt"], "source_lang": s["src"]}
        yield f"{sid}/with", s["text"], benchmark.check_kwargs(s)
    demetr = os.path.join(data, "demetr", "dev.jsonl")
    if os.path.isfile(demetr):
        with open(demetr, encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, 1):
                rec = json.loads(line)
                text = rec.get("perturbed") or ""
                base = {"target_lang": "en", "source_lang": rec.get("lang")}
                did = f"demetr/{line_no}/{rec.get('id')}/{rec.get('perturbation')}"
                yield f"{did}/alone", text, base
                if rec.get("source"):
                    yield f"{did}/with", text, dict(base, source=rec["source"])
    for path in sorted(glob.glob(os.path.join(seed_dir, "*.txt"))):
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        yield f"seed/{os.path.basename(path)}", text, {"filename": os.path.basename(path)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="JSON-lines file to write")
    ap.add_argument("--data", default=ek.DEFAULT_DATA, help="the eval data (default: %(default)s)")
    ap.add_argument("--seed", default=os.path.dirname(ek.DEFAULT_SEED), help="seed stories (default: %(default)s)")
    ap.add_argument("--stories", type=int, default=600, help="WMT stories to sample (default: %(default)s)")
    args = ap.parse_args(argv)
    if not os.path.isdir(os.path.join(args.data, "wmt")):
        print(f"findings_snapshot: no eval data at {args.data}; nothing to do", file=sys.stderr)
        return 0
    import mtcheck

    n_cases = n_findings = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for case, text, kw in cases(args.data, args.seed, args.stories):
            n_cases += 1
            try:
                found = mtcheck.check(text, **kw)
            except Exception as exc:  # a crash is a result too
                out.write(json.dumps({"case": case, "crash": f"{type(exc).__name__}: {exc}"}) + "\n")
                continue
            if not found:
                out.write(json.dumps({"case": case, "finding": None}) + "\n")
            for f in found:
                n_findings += 1
                out.write(json.dumps({"case": case, "finding": finding_record(f)},
                                     ensure_ascii=False, sort_keys=True, default=repr) + "\n")
    print(f"findings_snapshot: {n_cases:,} cases, {n_findings:,} findings -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
