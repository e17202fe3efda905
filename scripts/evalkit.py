"""Metric helpers shared by ``scripts/evaluate.py`` and ``scripts/benchmark.py``.

Pure functions, no mtcheck import and no data access, so they are unit-tested
on small fixtures in ``tests/test_evalkit.py``. All offsets are code points and
all spans are half-open ``[start, end)``.
"""
from __future__ import annotations

import datetime as _dt
import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

Span = tuple[int, int]

# -- repository paths and the header every report starts with -----------------

SCRIPTS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(SCRIPTS_DIR)
DEFAULT_DATA = os.path.join(os.path.dirname(REPO_ROOT), "shared", "eval")
DEFAULT_SEED = os.path.join(os.path.dirname(REPO_ROOT), "shared", "seed", "geneva_es-en_mt.txt")


def use_repo_checkout() -> None:
    """Make ``import mtcheck`` load this checkout, installed or not."""
    if REPO_ROOT not in sys.path:
        sys.path.insert(0, REPO_ROOT)


def subprocess_env() -> dict[str, str]:
    """Environment for child Pythons that must import this checkout."""
    env = dict(os.environ)
    old = env.get("PYTHONPATH")
    env["PYTHONPATH"] = REPO_ROOT + (os.pathsep + old if old else "")
    return env


def git_commit(repo: str = REPO_ROOT) -> str:
    """``git rev-parse --short HEAD``; "unknown" outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if out.returncode != 0 or not out.stdout.strip():
        return "unknown"
    return out.stdout.strip()


def git_dirty(repo: str = REPO_ROOT) -> bool | None:
    """Whether tracked files differ from HEAD; None outside a git checkout."""
    try:
        st = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if st.returncode != 0:
        return None
    return bool(st.stdout.strip())


def run_header(data_path: str, repo: str = REPO_ROOT, now: _dt.datetime | None = None) -> dict:
    """Commit, data path and date: printed at the top of every report."""
    now = now or _dt.datetime.now(_dt.timezone.utc)
    return {
        "commit": git_commit(repo),
        "dirty": git_dirty(repo),
        "data": os.path.abspath(data_path),
        "date": now.strftime("%Y-%m-%d %H:%M UTC"),
    }


def header_line(header: dict) -> str:
    dirty = " (plus uncommitted changes)" if header.get("dirty") else ""
    return f"commit `{header['commit']}`{dirty} · data `{header['data']}` · {header['date']}"


def machine_info() -> dict[str, str | int]:
    """Cores, memory, Python version and CPU model of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gb = "unknown"
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem_gb = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
                    break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        load = "n/a"
    return {
        "load": load,
        "cores": cores,
        "memory": mem_gb,
        "python": platform.python_version(),
        "cpu": cpu,
        "platform": platform.platform(terse=True),
    }


# -- spans ------------------------------------------------------------------


def injected_span(mt: str, perturbed: str) -> Span:
    """Where ``perturbed`` differs from ``mt``, as a span of ``perturbed``.

    Common prefix, then common suffix (not overlapping the prefix), in code
    points. A pure deletion gives an empty span at the deletion point; equal
    texts give ``(len, len)``.
    """
    n = min(len(mt), len(perturbed))
    p = 0
    while p < n and mt[p] == perturbed[p]:
        p += 1
    s = 0
    while s < n - p and mt[len(mt) - 1 - s] == perturbed[len(perturbed) - 1 - s]:
        s += 1
    return p, len(perturbed) - s


def spans_overlap(a: Span, b: Span) -> bool:
    """Whether two half-open spans share a character.

    An empty span ``(p, p)`` overlaps a span it touches: ``start <= p <= end``.
    """
    (a0, a1), (b0, b1) = a, b
    if a0 == a1 and b0 == b1:
        return a0 == b0
    if a0 == a1:
        return b0 <= a0 <= b1
    if b0 == b1:
        return a0 <= b0 <= a1
    return a0 < b1 and b0 < a1


def hits_injected(finding: Span, injected: Span) -> bool:
    """DEMETR hit test: the finding overlaps the injected span.

    For a pure deletion (empty injected span at ``pos``) a finding counts when
    it touches ``[pos-1, pos+1]``: the character before or after the gap.
    """
    s, e = injected
    if s == e:
        return spans_overlap(finding, (max(0, s - 1), s + 1))
    return spans_overlap(finding, injected)


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Union of spans as sorted, disjoint, non-empty spans."""
    out: list[list[int]] = []
    for s, e in sorted(sp for sp in spans if sp[1] > sp[0]):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1][1] = e
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def span_length(spans: Iterable[Span]) -> int:
    """Number of characters covered by the union of ``spans``."""
    return sum(e - s for s, e in merge_spans(spans))


def intersection_length(a: Iterable[Span], b: Iterable[Span]) -> int:
    """Characters covered by both unions."""
    ma, mb = merge_spans(a), merge_spans(b)
    i = j = total = 0
    while i < len(ma) and j < len(mb):
        s = max(ma[i][0], mb[j][0])
        e = min(ma[i][1], mb[j][1])
        if e > s:
            total += e - s
        if ma[i][1] < mb[j][1]:
            i += 1
        else:
            j += 1
    return total


def widen_empty(span: Span, length: int) -> Span:
    """A zero-width finding (an insertion point) as the characters either side of it."""
    s, e = span
    if s < e:
        return max(0, s), min(length, e)
    return max(0, s - 1), min(length, s + 1)


@dataclass
class CharOverlap:
    """Character-overlap counts of flagged spans against annotated error spans.

    precision = ``flagged_in_gold / flagged``: flagged characters that lie inside
    any annotated error span, over all flagged characters.
    recall[cat] = ``covered[cat] / annotated[cat]``: characters annotated with
    that category that some finding covers, over all characters of that category.
    Characters are counted once per segment (unions), whatever the number of
    raters or findings on them.
    """

    flagged: int = 0
    flagged_in_gold: int = 0
    annotated: dict[str, int] = field(default_factory=dict)
    covered: dict[str, int] = field(default_factory=dict)
    # Flagged characters inside spans of each category (a flagged character
    # inside two categories counts for both).
    flagged_in: dict[str, int] = field(default_factory=dict)

    def add(self, flagged: Iterable[Span], gold: dict[str, Sequence[Span]]) -> None:
        """One segment: ``flagged`` spans and annotated spans by category, same offsets."""
        flagged = merge_spans(flagged)
        all_gold = merge_spans(sp for spans in gold.values() for sp in spans)
        self.flagged += span_length(flagged)
        self.flagged_in_gold += intersection_length(flagged, all_gold)
        for cat, spans in gold.items():
            merged = merge_spans(spans)
            if not merged:
                continue
            self.annotated[cat] = self.annotated.get(cat, 0) + span_length(merged)
            hit = intersection_length(flagged, merged)
            self.covered[cat] = self.covered.get(cat, 0) + hit
            self.flagged_in[cat] = self.flagged_in.get(cat, 0) + hit
        # Recall over all categories together, each character counted once.
        self.annotated["*"] = self.annotated.get("*", 0) + span_length(all_gold)
        self.covered["*"] = self.covered.get("*", 0) + intersection_length(flagged, all_gold)

    def merge(self, other: "CharOverlap") -> None:
        self.flagged += other.flagged
        self.flagged_in_gold += other.flagged_in_gold
        for mine, theirs in ((self.annotated, other.annotated), (self.covered, other.covered), (self.flagged_in, other.flagged_in)):
            for k, v in theirs.items():
                mine[k] = mine.get(k, 0) + v

    @property
    def precision(self) -> float | None:
        return ratio(self.flagged_in_gold, self.flagged)

    def recall(self, category: str = "*") -> float | None:
        return ratio(self.covered.get(category, 0), self.annotated.get(category, 0))

    def to_dict(self) -> dict:
        return {
            "flagged_chars": self.flagged,
            "flagged_chars_in_errors": self.flagged_in_gold,
            "precision": self.precision,
            "annotated_chars": dict(self.annotated),
            "covered_chars": dict(self.covered),
            "recall": {k: self.recall(k) for k in self.annotated},
        }


def char_overlap(flagged: Iterable[Span], gold: dict[str, Sequence[Span]]) -> CharOverlap:
    """Precision/recall counts for one segment (see :class:`CharOverlap`)."""
    co = CharOverlap()
    co.add(flagged, gold)
    return co


# -- rates ------------------------------------------------------------------


def ratio(num: float, den: float) -> float | None:
    """``num / den``; None when there is nothing to divide by."""
    return num / den if den else None


def per_thousand(count: float, words: int) -> float | None:
    """Findings per 1,000 words; None for no words."""
    return count * 1000.0 / words if words else None


def word_count(text: str) -> int:
    """Words are white-space tokens."""
    return len(text.split())


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of nothing")
    v = sorted(values)
    mid = len(v) // 2
    return v[mid] if len(v) % 2 else (v[mid - 1] + v[mid]) / 2


def stride_sample(items: Sequence, fraction: float) -> list:
    """A deterministic, evenly spread ``fraction`` of ``items`` (at least one when any)."""
    if fraction >= 1 or not items:
        return list(items)
    fraction = max(fraction, 0.0)
    out = [x for i, x in enumerate(items) if int((i + 1) * fraction) > int(i * fraction)]
    return out or [items[0]]


def spread_order(n: int) -> list[int]:
    """A permutation of ``range(n)`` whose every prefix is spread over the whole range (bit-reversal order).

    >>> spread_order(8)
    [0, 4, 2, 6, 1, 5, 3, 7]
    """
    if n <= 1:
        return list(range(n))
    bits = (n - 1).bit_length()
    out = []
    for k in range(1 << bits):
        r = int(format(k, f"0{bits}b")[::-1], 2)
        if r < n:
            out.append(r)
    return out


def interleave(groups: Sequence[Sequence]) -> list:
    """All items of all groups, in an order whose every prefix is a fair sample.

    Within a group items come in :func:`spread_order` (a prefix covers the
    whole group, not its beginning); across groups they are merged by relative
    rank, so any prefix holds about the same share of every group. A run cut
    short by a time budget then still samples each group, and each part of
    each group, evenly.
    """
    keyed = []
    for g, items in enumerate(groups):
        n = len(items)
        for rank, i in enumerate(spread_order(n)):
            keyed.append(((rank + 0.5) / n, g, rank, items[i]))
    keyed.sort(key=lambda k: k[:3])
    return [k[3] for k in keyed]


# -- stories ------------------------------------------------------------------

STORY_SEPARATOR = "\n\n"


@dataclass
class Story:
    """Consecutive lines of a line-aligned file checked as one multi-paragraph text."""

    first_line: int  # 0-based index of the first line in the file
    lines: list[str]
    key: str = ""
    text: str = field(init=False)
    offsets: list[int] = field(init=False)  # offset of each line in ``text``

    def __post_init__(self) -> None:
        self.offsets = []
        pos = 0
        for line in self.lines:
            self.offsets.append(pos)
            pos += len(line) + len(STORY_SEPARATOR)
        self.text = STORY_SEPARATOR.join(self.lines)

    @property
    def words(self) -> int:
        return word_count(self.text)

    def line_at(self, offset: int) -> int:
        """0-based index within the story of the line holding ``offset``."""
        lo, hi = 0, len(self.offsets) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.offsets[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def file_line(self, offset: int) -> int:
        """1-based line number in the original file."""
        return self.first_line + self.line_at(offset) + 1


def group_lines(lines: Sequence[str], size: int = 25, doc_ids: Sequence[str] | None = None) -> list[Story]:
    """Group consecutive lines into stories.

    Without ``doc_ids``: chunks of ``size`` lines (the last one may be shorter).
    With ``doc_ids`` (one per line): one story per run of equal consecutive ids;
    a document longer than ``2 * size`` lines is cut into near-equal pieces of
    about ``size`` lines.
    """
    if size < 1:
        raise ValueError("size must be positive")
    if doc_ids is not None and len(doc_ids) != len(lines):
        raise ValueError(f"{len(doc_ids)} document ids for {len(lines)} lines")
    runs: list[tuple[int, int, str]] = []
    if doc_ids is None:
        for s in range(0, len(lines), size):
            runs.append((s, min(len(lines), s + size), ""))
    else:
        s = 0
        for i in range(1, len(lines) + 1):
            if i == len(lines) or doc_ids[i] != doc_ids[s]:
                n = i - s
                pieces = 1 if n <= 2 * size else round(n / size)
                for k in range(pieces):
                    a = s + n * k // pieces
                    b = s + n * (k + 1) // pieces
                    runs.append((a, b, doc_ids[s]))
                s = i
    return [Story(a, list(lines[a:b]), key) for a, b, key in runs if b > a]


# -- sentence splitting baseline ----------------------------------------------

_NAIVE_BOUNDARY = re.compile(r"[.!?]+(?=\s+[A-ZÀ-ÖØ-ÞÁÉÍÓÚÑ¿¡])")


def naive_split(text: str) -> list[str]:
    """Split after every run of ``.!?`` followed by white space and a capital."""
    out, pos = [], 0
    for m in _NAIVE_BOUNDARY.finditer(text):
        out.append(text[pos:m.end()].strip())
        pos = m.end()
    out.append(text[pos:].strip())
    return [s for s in out if s]


# -- output -------------------------------------------------------------------


def fmt_num(value, digits: int = 2, pct: bool = False) -> str:
    """Cells: "n/a" for None, percentages with one decimal, numbers with ``digits``."""
    if value is None:
        return "n/a"
    if pct:
        return f"{100 * value:.1f}%"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.{digits}f}"
    return str(value)


def md_escape(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("`", "'")


def md_table(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    """A GitHub-flavoured markdown table; numeric-looking columns right-aligned."""
    rows = [[str(c) for c in r] for r in rows]
    align = []
    for i, _ in enumerate(headers):
        cells = [r[i] for r in rows if i < len(r)]
        numeric = bool(cells) and all(re.fullmatch(r"[-+]?[\d,.]+%?|n/a|—|-", c) for c in cells)
        align.append("---:" if numeric else "---")
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    for r in rows:
        out.append("| " + " | ".join(r) + " |")
    return "\n".join(out)


def chunks(items: Sequence, n: int) -> Iterator[Sequence]:
    for i in range(0, len(items), n):
        yield items[i:i + n]
