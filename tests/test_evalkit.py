"""Unit tests of the evaluation metric helpers (scripts/evalkit.py) on small fixtures.

No shared evaluation data is needed.
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

SCRIPTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts")
sys.path.insert(0, SCRIPTS)

import evalkit as ek  # noqa: E402


# -- injected_span ------------------------------------------------------------------


@pytest.mark.parametrize(
    "mt, perturbed, span, text",
    [
        # substitution
        ("He met Putin in Geneva.", "He met Obama in Geneva.", (7, 12), "Obama"),
        # insertion
        ("He met Putin.", "He met Putin Putin.", (12, 18), " Putin"),
        # final punctuation removed: pure deletion at the end
        ("It rained.", "It rained", (9, 9), ""),
        # deletion in the middle
        ("The big dog barked.", "The dog barked.", (4, 4), ""),
        # identical texts
        ("Same.", "Same.", (5, 5), ""),
        # change at the very start
        ("Cat sleeps.", "Dog sleeps.", (0, 3), "Dog"),
        # non-ASCII: offsets are code points
        ("Él habló con José.", "Él habló con Josué.", (16, 17), "u"),
    ],
)
def test_injected_span(mt, perturbed, span, text):
    got = ek.injected_span(mt, perturbed)
    assert got == span
    assert perturbed[got[0]:got[1]] == text


def test_injected_span_prefix_and_suffix_do_not_overlap():
    # "aa" -> "aaa": prefix 2 and suffix must not reuse the same characters
    s, e = ek.injected_span("aa", "aaa")
    assert (s, e) == (2, 3)
    s, e = ek.injected_span("aaa", "aa")
    assert s == e == 2


def test_injected_span_codepoints_with_astral_characters():
    mt, pert = "a 😀 b", "a 😀 c"
    assert ek.injected_span(mt, pert) == (4, 5)


# -- overlap -----------------------------------------------------------------------------


def test_spans_overlap_half_open():
    assert ek.spans_overlap((0, 5), (4, 8))
    assert not ek.spans_overlap((0, 5), (5, 8))  # touching is not overlapping
    assert ek.spans_overlap((3, 4), (0, 10))


def test_spans_overlap_empty_spans_touch():
    assert ek.spans_overlap((5, 5), (0, 5))
    assert ek.spans_overlap((0, 5), (5, 5))
    assert ek.spans_overlap((5, 5), (5, 5))
    assert not ek.spans_overlap((6, 6), (0, 5))


def test_hits_injected_deletion_window():
    gap = (9, 9)  # "It rained" with the period deleted at 9
    assert ek.hits_injected((8, 9), gap)  # the character before the gap
    assert ek.hits_injected((9, 10), gap)  # the character after
    assert ek.hits_injected((9, 9), gap)  # a zero-width finding at the gap
    assert ek.hits_injected((3, 9), gap)
    assert not ek.hits_injected((0, 7), gap)
    assert not ek.hits_injected((11, 12), gap)


def test_hits_injected_non_empty():
    assert ek.hits_injected((7, 12), (7, 12))
    assert not ek.hits_injected((0, 7), (7, 12))


# -- character overlap --------------------------------------------------------------------


def test_merge_and_lengths():
    assert ek.merge_spans([(5, 8), (0, 3), (2, 4), (8, 9), (10, 10)]) == [(0, 4), (5, 9)]
    assert ek.span_length([(0, 3), (2, 5)]) == 5
    assert ek.intersection_length([(0, 10)], [(2, 4), (8, 12)]) == 4
    assert ek.intersection_length([(0, 2), (5, 6)], [(2, 5)]) == 0


def test_char_overlap_precision_and_recall():
    # Text: "The the cat sat , on mat" ; flagged "the" (4,7) and " ," (15,17)
    flagged = [(4, 7), (15, 17)]
    gold = {"Fluency/Grammar": [(0, 7)], "Fluency/Punctuation": [(16, 17)], "Accuracy/Mistranslation": [(21, 24)]}
    co = ek.char_overlap(flagged, gold)
    assert co.flagged == 5
    assert co.flagged_in_gold == 4  # "the" + ","
    assert co.precision == pytest.approx(4 / 5)
    assert co.recall("Fluency/Grammar") == pytest.approx(3 / 7)
    assert co.recall("Fluency/Punctuation") == 1.0
    assert co.recall("Accuracy/Mistranslation") == 0.0
    assert co.recall("*") == pytest.approx(4 / 11)
    assert co.recall("Locale convention/Name format") is None


def test_char_overlap_counts_characters_once():
    # Two raters annotate the same span; two findings overlap each other.
    co = ek.char_overlap([(0, 4), (2, 6)], {"Fluency/Spelling": [(0, 3), (0, 3)]})
    assert co.flagged == 6
    assert co.annotated["Fluency/Spelling"] == 3
    assert co.covered["Fluency/Spelling"] == 3
    assert co.precision == pytest.approx(3 / 6)


def test_char_overlap_merge_and_empty():
    a = ek.char_overlap([], {"Fluency/Grammar": [(0, 2)]})
    assert a.precision is None
    assert a.recall("Fluency/Grammar") == 0.0
    b = ek.char_overlap([(0, 2)], {"Fluency/Grammar": [(0, 2)]})
    a.merge(b)
    assert a.recall("Fluency/Grammar") == 0.5
    assert a.precision == 1.0
    d = a.to_dict()
    assert d["recall"]["Fluency/Grammar"] == 0.5 and d["flagged_chars"] == 2


def test_widen_empty():
    assert ek.widen_empty((3, 3), 10) == (2, 4)
    assert ek.widen_empty((0, 0), 10) == (0, 1)
    assert ek.widen_empty((10, 10), 10) == (9, 10)
    assert ek.widen_empty((2, 5), 10) == (2, 5)


# -- rates ---------------------------------------------------------------------------------


def test_per_thousand_and_words():
    assert ek.per_thousand(3, 1500) == pytest.approx(2.0)
    assert ek.per_thousand(0, 10) == 0.0
    assert ek.per_thousand(5, 0) is None
    assert ek.word_count("  Mr. Smith  went\nhome , he said. ") == 7
    assert ek.ratio(1, 0) is None


def test_median_and_stride_sample():
    assert ek.median([3, 1, 2]) == 2
    assert ek.median([4, 1, 2, 3]) == 2.5
    with pytest.raises(ValueError):
        ek.median([])
    items = list(range(100))
    got = ek.stride_sample(items, 0.1)
    assert len(got) == 10 and got[0] == 9 and got[-1] == 99
    assert ek.stride_sample(items, 1.5) == items
    assert ek.stride_sample(items, 0.0001) == [0]  # never empty
    assert ek.stride_sample([], 0.5) == []


# -- stories ---------------------------------------------------------------------------------


def test_group_lines_fixed_size():
    lines = [f"Line {i}." for i in range(60)]
    stories = ek.group_lines(lines, 25)
    assert [len(s.lines) for s in stories] == [25, 25, 10]
    assert stories[1].first_line == 25
    assert stories[0].text.startswith("Line 0.\n\nLine 1.")
    assert stories[2].words == 20


def test_group_lines_by_document():
    lines = ["a", "b", "c", "d", "e"]
    ids = ["d1", "d1", "d2", "d3", "d3"]
    stories = ek.group_lines(lines, 25, ids)
    assert [s.lines for s in stories] == [["a", "b"], ["c"], ["d", "e"]]
    assert [s.key for s in stories] == ["d1", "d2", "d3"]
    assert stories[2].first_line == 3


def test_group_lines_splits_long_documents():
    lines = [str(i) for i in range(80)]
    stories = ek.group_lines(lines, 25, ["doc"] * 80)
    assert sum(len(s.lines) for s in stories) == 80
    assert len(stories) == 3 and all(20 <= len(s.lines) <= 30 for s in stories)
    with pytest.raises(ValueError):
        ek.group_lines(lines, 25, ["doc"])


def test_story_offsets_map_back_to_lines():
    st = ek.Story(10, ["First line.", "", "Third one here."])
    assert st.text == "First line.\n\n\n\nThird one here."
    assert st.offsets == [0, 13, 15]
    pos = st.text.index("Third")
    assert st.line_at(pos) == 2
    assert st.file_line(pos) == 13  # 1-based line in the file
    assert st.file_line(0) == 11
    assert st.text[st.offsets[2]:st.offsets[2] + len(st.lines[2])] == "Third one here."


# -- sentence splitting baseline --------------------------------------------------------------


def test_naive_split():
    assert ek.naive_split("He left. She stayed.") == ["He left.", "She stayed."]
    assert ek.naive_split("Dr. Smith arrived.") == ["Dr.", "Smith arrived."]  # naive: no abbreviations
    assert ek.naive_split("It cost 3.5 million. no split") == ["It cost 3.5 million. no split"]
    assert ek.naive_split("¿Qué? ¡Nada!") == ["¿Qué?", "¡Nada!"]
    assert ek.naive_split("") == []


# -- header and output ---------------------------------------------------------------------------


def test_run_header_outside_git(tmp_path):
    h = ek.run_header(str(tmp_path), repo=str(tmp_path), now=dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.timezone.utc))
    assert h["commit"] == "unknown"
    assert h["date"] == "2024-05-01 12:30 UTC"
    assert h["data"] == str(tmp_path)
    line = ek.header_line(h)
    assert "unknown" in line and str(tmp_path) in line and "2024-05-01" in line


def test_git_commit_in_a_repo(tmp_path):
    try:
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
        subprocess.run(["git", "-C", str(tmp_path), "-c", "user.email=a@b", "-c", "user.name=t", "commit", "-q",
                        "--allow-empty", "-m", "x"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git not available")
    commit = ek.git_commit(str(tmp_path))
    assert commit != "unknown" and len(commit) >= 7
    assert ek.git_dirty(str(tmp_path)) is False


def test_md_table_and_formatting():
    t = ek.md_table(["name", "rate"], [["a|b", "1.5"], ["c", "n/a"]])
    lines = t.splitlines()
    assert lines[0] == "| name | rate |"
    assert lines[1] == "|---|---:|"
    assert ek.md_escape("a|b") == "a\\|b"
    assert ek.fmt_num(None) == "n/a"
    assert ek.fmt_num(0.1234, pct=True) == "12.3%"
    assert ek.fmt_num(12345) == "12,345"
    assert ek.fmt_num(2.0) == "2.00"


def test_machine_info_fields():
    m = ek.machine_info()
    assert set(m) >= {"cores", "memory", "python", "cpu"}
    assert int(m["cores"]) >= 1


# -- the scripts themselves ----------------------------------------------------------------------


def test_perturbation_table():
    import evaluate

    assert evaluate.perturbation_name("critical_id4_codemix") == "codemix"
    assert evaluate.perturbation_name("minor_id28_final_punc_removed") == "final_punc_removed"
    table = evaluate.PERTURBATION_FAMILY
    assert table["codemix"] == "U"
    assert {table[p] for p in ("repeat2", "final_punc_removed", "tokenized", "punc_addition")} == {"P"}
    assert {table[p] for p in ("word_swap", "pos_shift", "function_word", "repeat4")} == {"F"}
    assert {table[p] for p in ("numbers_replaced", "ne_replaced", "ne_removed", "addition", "verb_removed")} == {"S"}
    assert set(table.values()) <= set("UNCPFSRA")


DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "shared", "eval")


@pytest.mark.skipif(not os.path.isdir(DATA), reason="shared evaluation data not present")
def test_evaluate_quick_smoke(tmp_path):
    out = tmp_path / "eval.json"
    p = subprocess.run(
        [sys.executable, os.path.join(SCRIPTS, "evaluate.py"), "--quick", "--only", "seed,splitter", "-j", "1",
         "--json", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert p.returncode == 0, p.stderr
    assert "commit `" in p.stdout and DATA in p.stdout
    import json

    data = json.loads(out.read_text())
    assert data["header"]["data"] == DATA and "splitter" in data


def test_spread_order_is_a_spread_permutation():
    for n in range(0, 40):
        order = ek.spread_order(n)
        assert sorted(order) == list(range(n))
    assert ek.spread_order(8) == [0, 4, 2, 6, 1, 5, 3, 7]
    order = ek.spread_order(100)
    assert max(order[:10]) >= 80 and min(order[:10]) == 0  # the first tenth spans the range


def test_interleave_prefixes_sample_every_group_evenly():
    a = [("a", i) for i in range(10)]
    b = [("b", i) for i in range(40)]
    out = ek.interleave([a, b])
    assert sorted(out) == sorted(a + b)
    prefix = out[:10]
    assert sum(1 for g, _ in prefix if g == "a") == 2
    assert sum(1 for g, _ in prefix if g == "b") == 8
    # the prefix of group b is spread over all of b, not its first items
    assert max(i for g, i in prefix if g == "b") >= 20


@pytest.mark.skipif(not os.path.isdir(DATA), reason="shared evaluation data not present")
def test_compare_speed_smoke():
    repo = os.path.dirname(SCRIPTS)
    p = subprocess.run(
        [sys.executable, os.path.join(SCRIPTS, "compare_speed.py"), repo, repo, "--chunks", "2", "--stride", "300"],
        capture_output=True, text=True, timeout=300,
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.count("words/s") == 2 and "x as fast" in p.stdout
    bad = subprocess.run([sys.executable, os.path.join(SCRIPTS, "compare_speed.py"), repo, "/nonexistent"],
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "/nonexistent" in bad.stderr
