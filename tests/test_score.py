"""`mtcheck score`: parity with sacrebleu's corpus scores, JSON, per-line scores, errors."""
from __future__ import annotations

import json

import pytest
import sacrebleu
from click.testing import CliRunner

from mtcheck import scores
from mtcheck.cli import main

HYP = [
    "The government approved the budget for 2025 yesterday.",
    "The accounts foresee spending of 485 billion euros.",
    "The opposition voted against and announced an appeal.",
    "Unions called for more investment in health.",
    "The vote is on 15 December in the Senate.",
]
REF1 = [
    "Yesterday the government approved the 2025 budget.",
    "The accounts provide for spending of 485 billion euros.",
    "The opposition voted against it and announced an appeal.",
    "The unions called for more investment in health care.",
    "The final vote will be in the Senate on December 15.",
]
REF2 = [
    "The government passed the budget for 2025 on Tuesday.",
    "The budget foresees 485 billion euros of spending.",
    "The opposition voted no and said it would appeal.",
    "Trade unions asked for more health spending.",
    "The Senate votes on December 15.",
]


@pytest.fixture
def files(tmp_path):
    for name, lines in (("hyp.txt", HYP), ("ref1.txt", REF1), ("ref2.txt", REF2)):
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def run(args):
    return CliRunner().invoke(main, args)


@pytest.mark.parametrize("refs", [[REF1], [REF1, REF2]])
@pytest.mark.parametrize("tok", ["13a", "intl", "char"])
def test_parity_with_sacrebleu(refs, tok):
    s = scores.score(HYP, refs, tokenize=tok)
    assert s.bleu == pytest.approx(sacrebleu.corpus_bleu(HYP, refs, tokenize=tok).score)
    assert s.chrf == pytest.approx(sacrebleu.corpus_chrf(HYP, refs).score)
    assert s.chrfpp == pytest.approx(sacrebleu.corpus_chrf(HYP, refs, word_order=2).score)
    assert s.ter == pytest.approx(sacrebleu.corpus_ter(HYP, refs).score)
    assert f"tok:{tok}" in s.signatures["bleu"] and f"nrefs:{len(refs)}" in s.signatures["chrf"]


def test_cli_json_matches_sacrebleu(files):
    r = run(["score", "--format", "json", "-r", str(files / "ref1.txt"), "--reference", str(files / "ref2.txt"),
             str(files / "hyp.txt")])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert set(d) == {"bleu", "chrf", "chrf++", "ter", "signatures"}
    assert d["bleu"] == pytest.approx(sacrebleu.corpus_bleu(HYP, [REF1, REF2]).score)
    assert d["ter"] == pytest.approx(sacrebleu.corpus_ter(HYP, [REF1, REF2]).score)
    assert set(d["signatures"]) == {"bleu", "chrf", "chrf++", "ter"}


def test_cli_text_and_sentences(files):
    r = run(["score", "-r", str(files / "ref1.txt"), "--sentences", str(files / "hyp.txt")])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("BLEU") and "nrefs:1|case:mixed|eff:no|tok:13a" in r.stdout
    r = run(["score", "--format", "json", "-r", str(files / "ref1.txt"), "--sentences", str(files / "hyp.txt")])
    d = json.loads(r.stdout)
    assert len(d["sentences"]) == len(HYP)
    assert d["sentences"][1]["bleu"] == pytest.approx(sacrebleu.sentence_bleu(HYP[1], [REF1[1]]).score, abs=1e-3)
    assert d["sentences"][1]["chrf"] == pytest.approx(sacrebleu.sentence_chrf(HYP[1], [REF1[1]]).score, abs=1e-3)


def test_cli_errors_exit_2(files):
    (files / "short.txt").write_text("one line\n", encoding="utf-8")
    r = run(["score", "-r", str(files / "short.txt"), str(files / "hyp.txt")])
    assert r.exit_code == 2 and "reference 1 has 1 lines but the hypothesis has 5" in r.output
    r = run(["score", "-r", str(files / "missing.txt"), str(files / "hyp.txt")])
    assert r.exit_code == 2 and "no such file" in r.output
    r = run(["score", "--tokenize", "flores200", "-r", str(files / "ref1.txt"), str(files / "hyp.txt")])
    assert r.exit_code == 2
    r = run(["score", str(files / "hyp.txt")])
    assert r.exit_code == 2  # --reference is required


def test_offline_tokenizers_only():
    with pytest.raises(scores.ScoreError):
        scores.score(HYP, [REF1], tokenize="spm")


# -- sentence chrF without sacrebleu's per-call overhead ------------------------------------------

CHRF_PAIRS = list(zip(HYP, REF1)) + list(zip(HYP, REF2)) + [
    ("", "The Senate votes."), ("The Senate votes.", ""), ("", ""), ("a", "a"), ("ab", "abc"), ("a b", "ab"),
    ("x\u00a0y  z\n", "x y z"), ("Ça coûte 3 000 €.", "Cela coûte 3 000 €."),
    ("日本語のテキストです。", "日本語のテキスト。"), ("Привет, мир!", "Привет мир"),
    ("aaaaaaaabaaaaaaa", "aaaaaaaaaaaaaaab"), ("The the the the.", "the The THE the"),
]


def test_chrf_many_equals_sacrebleu_sentence_chrf():
    got = scores.chrf_many(CHRF_PAIRS)
    for (h, r), value in zip(CHRF_PAIRS, got):
        assert value == pytest.approx(sacrebleu.sentence_chrf(h, [r]).score, abs=1e-6), (h, r)
    assert scores.sentence_chrf(HYP[2], REF1[2]) == pytest.approx(sacrebleu.sentence_chrf(HYP[2], [REF1[2]]).score,
                                                                  abs=1e-6)
    assert scores.chrf_many([]) == []


def test_chrf_many_with_a_large_alphabet_falls_back_and_still_agrees():
    # Thousands of distinct characters do not fit the 64-bit n-gram key: the plain computation runs.
    text = "".join(chr(0x4E00 + i) for i in range(3000))
    pairs = [(text[:1500], text[500:2500]), (text[::2], text[::3])] + CHRF_PAIRS[:3]
    for (h, r), value in zip(pairs, scores.chrf_many(pairs)):
        assert value == pytest.approx(sacrebleu.sentence_chrf(h, [r]).score, abs=1e-6)


def test_chrf_many_on_wmt_like_lines():
    import random

    rnd = random.Random(7)
    words = "the of and to a in that is was he for it with as his on be at by government said people year".split()
    pairs = []
    for _ in range(60):
        ref = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 30)))
        hyp = " ".join(w if rnd.random() < 0.7 else rnd.choice(words) for w in ref.split())
        pairs.append((hyp.capitalize() + ".", ref.capitalize() + "."))
    for (h, r), value in zip(pairs, scores.chrf_many(pairs)):
        assert value == pytest.approx(sacrebleu.sentence_chrf(h, [r]).score, abs=1e-6)
