"""The reference model: counting, scoring, storage, the shipped default, the scorer service."""
from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from mtcheck import api, lm
from mtcheck.lm import ngram, text as lmtext
from mtcheck.lm.build import NgramCounter
from mtcheck.lm.edits import WordList, edits_at, function_words, repeat_runs
from mtcheck.lm.ngram import ALPHA, BITS, NgramLM, count_stream, merge_counts, pack, positions

A = math.log(ALPHA)


def _corpus_model(sentences, order=3, **kw):
    counter = NgramCounter(order, 16, **kw)
    for s in sentences:
        counter.add(s)
    return counter.model(min_counts=(1,) * order)


# ids: 1 BOS, 2 EOS; words 5..9
SENTS = [[5, 6, 7], [5, 6, 7], [5, 8]]


def test_known_counts_give_known_scores():
    m = _corpus_model(SENTS)
    # unigrams (BOS excluded): 5 x3, 6 x2, 7 x2, 8 x1, EOS x3 -> 11 tokens
    assert m.unigram[5] == pytest.approx(math.log(3 / 11), abs=1e-6)
    assert m.unigram[8] == pytest.approx(math.log(1 / 11), abs=1e-6)
    ids = np.array([1, 5, 6, 7, 2])
    pos = np.arange(5)
    s = m.score(ids, pos)
    assert s[0] == 0.0  # BOS
    # trigram-order model: "<s> 5" is a bigram seen 3 of 3 times after <s>
    assert s[1] == pytest.approx(math.log(3 / 3) + A, abs=1e-3)
    # "<s> 5 6": 2 of the 3 continuations of "<s> 5"
    assert s[2] == pytest.approx(math.log(2 / 3), abs=1e-3)
    assert s[3] == pytest.approx(0.0, abs=1e-3)  # "5 6 7": always
    assert s[4] == pytest.approx(0.0, abs=1e-3)  # "6 7 </s>": always


def test_backoff_multiplies_alpha_per_order():
    m = _corpus_model(SENTS)
    # "8 6" never seen: back off to the unigram of 6, two orders down
    s = m.score(np.array([1, 8, 6]), np.arange(3))
    assert s[2] == pytest.approx(math.log(2 / 11) + 2 * A, abs=1e-3)
    # "<s> 8" unseen as a trigram context but "8" follows nothing else: bigram "<s> 8"? unseen -> unigram
    assert s[1] == pytest.approx(math.log(1 / 11) + 2 * A, abs=1e-3)
    _, orders = m.score(np.array([1, 8, 6]), np.arange(3), orders=True)
    assert list(orders[1:]) == [1, 1]


def test_never_seen_id_gets_a_floor_not_minus_infinity():
    m = _corpus_model(SENTS)
    s = m.score(np.array([1, 13, 2]), np.arange(3))
    assert np.isfinite(s).all()
    assert s[1] < math.log(1 / 11)


def test_pack_puts_the_oldest_id_highest():
    ids = np.array([3, 4, 5], dtype=np.int64)
    assert pack(ids, 3)[2] == (3 << (2 * BITS)) | (4 << BITS) | 5
    assert pack(ids, 2)[1] == (3 << BITS) | 4


def test_positions_restart_per_sentence():
    assert list(positions([3, 2])) == [0, 1, 2, 0, 1]


def test_count_stream_and_merge_agree_with_one_pass():
    ids1 = np.array([1, 5, 6, 2]); ids2 = np.array([1, 5, 7, 2])
    a = count_stream(ids1, positions([4]), 3)
    b = count_stream(ids2, positions([4]), 3)
    both = count_stream(np.concatenate([ids1, ids2]), positions([4, 4]), 3)
    for k in range(3):
        keys, counts = merge_counts(a[k], b[k])
        assert np.array_equal(keys, both[k][0])
        assert np.array_equal(counts, both[k][1])


def test_spilling_to_disk_gives_the_same_model(tmp_path):
    rng = np.random.default_rng(0)
    sents = [list(rng.integers(3, 16, size=rng.integers(2, 12))) for _ in range(400)]
    plain = _corpus_model(sents, order=4)
    spilled = _corpus_model(sents, order=4, chunk_tokens=50, max_in_memory=30, tmpdir=str(tmp_path))
    for k1, k2, l1, l2 in zip(plain.keys, spilled.keys, plain.logp, spilled.logp):
        assert np.array_equal(k1, k2)
        assert np.allclose(l1.astype(float), l2.astype(float))
    assert not list(tmp_path.iterdir())  # the spill files are gone


def test_pruning_keeps_scores_of_what_remains():
    counter = NgramCounter(3, 16)
    for s in SENTS:
        counter.add(s)
    pruned = counter.model(min_counts=(1, 1, 2))
    full = _corpus_model(SENTS)
    assert len(pruned.keys[1]) < len(full.keys[1])
    k = full.keys[1]
    keep = np.isin(k, pruned.keys[1])
    assert np.allclose(full.logp[1][keep].astype(float), pruned.logp[1].astype(float))


def test_save_and_load_round_trip(tmp_path):
    m = _corpus_model(SENTS)
    m.meta["name"] = "tiny"
    m.extras["words"] = np.frombuffer(b"a\nb", dtype=np.uint8)
    path = tmp_path / "m.npz"
    m.save(str(path))
    back = NgramLM.load(str(path))
    assert back.order == 3 and back.vocab_size == 16 and back.meta["name"] == "tiny"
    assert bytes(back.extras["words"]) == b"a\nb"
    ids = np.array([1, 5, 6, 7, 2, 1, 8, 6, 2])
    pos = positions([5, 4])
    assert np.allclose(m.score(ids, pos), back.score(ids, pos))


def test_tokens_keep_offsets_and_normalise():
    text = "Biden’s 18-year-old aide met U.S. envoys in 2021."
    toks = lmtext.tokens(text)
    assert all(text[s:e] == t for s, e, t in toks)
    norm = [lmtext.normalise(t) for _, _, t in toks]
    assert norm[0] == "biden's"
    assert "11-year-old" in norm  # an eighteen-year-old: keeps "an" checkable
    assert "u.s." in norm and "0" in norm
    assert lmtext.normalise("80") == "8" and lmtext.normalise("2,000") == "0"


def test_repeat_runs_compare_raw_tokens():
    assert [(e.start, e.end) for e in repeat_runs(["in", "0", "0", "0"], ["in", "2017", "2017", "2017"])] == [(1, 4)]
    assert list(repeat_runs(["in", "0", "0", "0"], ["in", "2017", "2018", "2019"])) == []
    assert list(repeat_runs(["ha", "ha"])) == []  # two are P006's business
    unit = list(repeat_runs(["(", "gbp", "(", "gbp", "(", "gbp"]))
    assert unit and unit[0].new == ("(", "gbp")


def test_edits_leave_names_alone():
    toks = ["the", "minister", "met", "angela", "merkel"]
    raw = ["The", "minister", "met", "Angela", "Merkel"]
    kinds = {(e.kind, e.start) for e in edits_at(toks, raw, 4, "en", None)}
    assert ("swap", 3) not in kinds and ("swap", 2) not in kinds
    assert "an" in function_words("en")["a"]


def test_word_list_forms_share_a_stem():
    wl = WordList(["important", "importance", "imports", "zebra"], [50, 40, 30, 10])
    assert wl.count("important") == 50 and "zebra" in wl and "zebras" not in wl
    assert wl.forms("importance")[0] == "important"


# -- the shipped model -----------------------------------------------------------

needs_default = pytest.mark.skipif(lm.default_files("en") is None, reason="no default English model")


@needs_default
def test_default_model_prefers_fluent_english():
    m = lm.default_model("en")
    a, b = m.scores(["They signed a major agreement.", "They signed an major agreement."])
    assert a > b
    a, b = m.scores(["More than 300 people died.", "Than more 300 people died."])
    assert a > b


@needs_default
def test_default_model_loads_fast():
    # in a fresh process, numpy and sentencepiece already imported (their import is not the model's)
    code = (
        "import time, numpy, sentencepiece\n"
        "t = time.perf_counter()\n"
        "from mtcheck import lm\n"
        "m = lm.default_model('en'); m.word_list\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # 0.2 s is the target on an idle machine; allow for a busy test runner
    assert float(out.stdout.strip()) < 1.0


@needs_default
def test_scorer_service_is_in_the_context():
    from mtcheck.readers import read_text

    ctx = api.make_context(read_text("The talks ended."), target_lang="en")
    score = ctx.services["lm_score"]
    assert score("The talks ended on Friday.") > score("The talks ended Friday on.")
    his, her = ctx.services["lm_scores"](["She said her plan", "She said his plan"])
    assert isinstance(his, float) and isinstance(her, float)
    assert ctx.services["lm_model"]() is lm.default_model("en")


def test_scorers_hold_their_context_weakly():
    """A context is freed by reference counting when its check returns (no cycle through
    its scorers), on the server's path (engine.run) as on api.check's."""
    import gc
    import weakref

    from mtcheck import engine
    from mtcheck.readers import read_text

    doc = read_text("The talks ended.")
    ctx = api.make_context(doc, target_lang="xx")
    score = ctx.services["lm_score"]
    engine.run(doc, ctx)
    alive = weakref.ref(ctx)
    gc.disable()
    try:
        del ctx
        assert alive() is None
    finally:
        gc.enable()
    with pytest.raises(ReferenceError):
        score("The talks ended.")


def test_no_model_for_a_language_means_no_score():
    from mtcheck.readers import read_text

    ctx = api.make_context(read_text("Der Minister sprach."), target_lang="xx")
    assert ctx.services["lm_score"]("Der Minister sprach.") is None


# -- the word-bigram second opinion ----------------------------------------------------

def _tiny_word_lm():
    import numpy as np

    from mtcheck.lm.words import WordBigramLM

    vocab = ["<s>", "more", "than", "people"]
    uni = np.array([-1.0, -2.0, -2.5, -3.0])  # id 0 scores </s>
    backoff = np.array([-0.5, -0.3, -0.2, -0.1])  # id 0 is <s>
    pairs = {(1, 2): -0.1, (0, 1): -1.0}  # "more than", "<s> more"
    keys = np.array(sorted((a << 16) | b for a, b in pairs), dtype=np.uint32)
    logp = np.array([pairs[(int(k) >> 16, int(k) & 0xFFFF)] for k in keys])
    return WordBigramLM(vocab, uni, backoff, keys, logp)


def test_word_bigrams_known_pairs_and_backoff():
    import math

    wlm = _tiny_word_lm()
    ln10 = math.log(10)
    s = wlm.pair_scores([1, 2, -1, 0], [2, 1, 3, 1])
    assert s[0] == pytest.approx(-0.1 * ln10, abs=1e-6)  # seen: P(than | more)
    assert s[1] == pytest.approx((-0.2 - 2.0) * ln10, abs=1e-6)  # unseen: backoff(than) + P(more)
    assert s[2] == pytest.approx(-3.0 * ln10, abs=1e-6)  # unknown history: the unigram alone
    assert s[3] == pytest.approx(-1.0 * ln10, abs=1e-6)  # "<s> more"
    assert wlm.pair_scores([1], [-1])[0] == pytest.approx((-0.3 - 7.0) * ln10, abs=1e-5)  # unknown word
    assert wlm.sequence_score(["more", "than"]) > wlm.sequence_score(["than", "more"])


def test_word_bigram_table_ships_and_prefers_fluent_order():
    wlm = lm.word_model("en")
    if wlm is None:
        pytest.skip("no word-bigram table")
    assert wlm.sequence_score("more than three hundred".split()) > wlm.sequence_score("than more three hundred".split())
    assert wlm.sequence_score("announced on saturday that".split()) > wlm.sequence_score(
        "announced saturday on that".split())
    assert lm.word_model("xx") is None


def test_chooser_keeps_the_likeliest_replacements_and_both_articles():
    from mtcheck.lm.words import chooser

    wlm = _tiny_word_lm()
    choose = chooser(wlm, keep=1)
    # "more" fits best between "<s>" and "than" in the tiny table
    assert choose(["x", "than"], 0, ("people", "more")) == ("more",)
    assert set(choose(["x", "y"], 0, ("people", "more", "a", "an"))) >= {"a", "an"}
    assert choose(["x"], 0, ("more",)) == ("more",)


def test_choose_many_answers_each_request_as_alone():
    from mtcheck.lm.words import choose_many

    wlm = _tiny_word_lm()
    requests = [(["x", "than"], 0, ("people", "more")), (["x", "y"], 0, ("people", "more", "a", "an")),
                (["x"], 0, ("more",)), (["people", "x", "than"], 1, ("people", "more"))]
    together = choose_many(wlm, requests, keep=1)
    assert together == [choose_many(wlm, [r], keep=1)[0] for r in requests]
    assert together[0] == ("more",) and together[2] == ("more",)


def test_articles_read_numbers_and_skip_labels():
    from mtcheck.lm.edits import article_edits, expected_article

    assert expected_article("1-1") == "a" and expected_article("1:1") == "a"  # "one-one", not "eleven"
    assert expected_article("11,000") == "an" and expected_article("1,100") == "a"
    assert expected_article("18-year-old") == "an" and expected_article("8") == "an"
    # a capital "A" inside a sentence is a label: the A 8 motorway, 1.5 A, Plan A
    raw = ["Races", "on", "the", "A", "8", "rose"]
    assert list(article_edits([t.lower() for t in raw], raw)) == []
    raw = ["They", "found", "a", "8", "mm", "hole"]
    assert [e.new for e in article_edits([t.lower() for t in raw], raw)] == [("an",)]


def _suffixes_present(m: NgramLM) -> bool:
    """Every n-gram's last n - 1 ids are an (n-1)-gram of the table below."""
    for k in range(3, m.order + 1):
        keys, below = m.keys[k - 2], m.keys[k - 3]
        if len(keys) == 0:
            continue
        suffix = keys & ((1 << (BITS * (k - 1))) - 1)
        idx = np.minimum(np.searchsorted(below, suffix), len(below) - 1)
        if len(below) == 0 or not (below[idx] == suffix).all():
            return False
    return True


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_shipped_models_may_be_searched_up_the_orders(lang):
    model = lm.model_for(lang)
    if model is None:
        pytest.skip(f"no {lang} model shipped")
    table = model.tables[0][0]
    assert table.suffix_closed and _suffixes_present(table)
    sents = [lmtext.normalise(t) for _, _, t in lmtext.tokens(
        "The minister said on Friday that the talks would go on, and that nobody knew when.")]
    ids, pos, _ = model.encode([sents, sents[::-1]])
    up = table.score(ids, pos, orders=True)
    table._suffix_closed = False  # the top-down search, for comparison
    try:
        down = table.score(ids, pos, orders=True)
    finally:
        del table._suffix_closed
    assert np.array_equal(up[0], down[0]) and np.array_equal(up[1], down[1])


def test_suffix_closure_is_read_from_the_pruning_thresholds():
    counter = NgramCounter(3, 16)
    for s in SENTS:
        counter.add(s)
    assert counter.model(min_counts=(1, 1, 2), meta={"min_counts": [1, 1, 2]}).suffix_closed
    assert not counter.model(min_counts=(1, 3, 1), meta={"min_counts": [1, 3, 1]}).suffix_closed
    assert not counter.model(min_counts=(1, 1, 1)).suffix_closed  # thresholds unknown: top-down


def _scored(lang: str, *texts: str):
    """The shipped model of ``lang`` (the test skips without one), the texts as
    normalised token lists, and their stream scores."""
    model = lm.model_for(lang)
    if model is None:
        pytest.skip(f"no {lang} model shipped")
    sents = [[lmtext.normalise(t) for _, _, t in lmtext.tokens(x)] for x in texts]
    return model, sents, model.score_stream(sents)


def test_edit_gains_equal_whole_sentence_differences():
    """score_edits rescores only the pieces an edit can change; its gain must be the
    difference of the two whole sentences' scores (edits at the start, middle and end)."""
    from mtcheck.lm.edits import Edit
    from mtcheck.lm.scan import score_edits

    model, sents, stream = _scored(
        "en",
        "The government said on Friday that the talks with the unions would go on next week.",
        "Officials in the capital did not say when the new rules would take effect.",
    )
    jobs = [
        (0, Edit(0, 2, (sents[0][1], sents[0][0]), "swap")),
        (0, Edit(4, 5, ("at",), "function")),
        (0, Edit(6, 7, ("this",), "function")),
        (1, Edit(13, 14, (), "repeat")),
        (1, Edit(12, 14, (sents[1][13], sents[1][12]), "swap")),
        (1, Edit(1, 2, ("of", "the"), "function")),
    ]
    cands = score_edits(model, sents, stream, 0.0, jobs)
    assert [c.edit for c in cands] == [e for _, e in jobs]
    for c, (si, e) in zip(cands, jobs):
        toks = sents[si]
        variant = toks[:e.start] + list(e.new) + toks[e.end:]
        whole = model.logprob_tokens(variant) - model.logprob_tokens(toks)
        assert c.delta == pytest.approx(whole, abs=1e-9)


def test_grouped_choices_score_like_their_edits():
    """A function word's alternatives passed to score_edits as one choice give the
    same candidates, in the same place among the jobs', as the spelt-out edits."""
    from mtcheck.lm.edits import Edit
    from mtcheck.lm.scan import score_edits

    model, sents, stream = _scored(
        "en",
        "The government said on Friday that the talks with the unions would go on next week.",
        "Officials in the capital did not say when the new rules would take effect.",
    )
    jobs = [(0, Edit(0, 2, (sents[0][1], sents[0][0]), "swap")), (1, Edit(12, 14, (sents[1][13], sents[1][12]), "swap"))]
    choices = [(0, 0, 4, ("at", "in", "by")), (1, 1, 1, ("of", "on")), (2, 1, 13, ("this",))]
    spelt = [(0, Edit(4, 5, ("at",), "function")), (0, Edit(4, 5, ("in",), "function")),
             (0, Edit(4, 5, ("by",), "function")), jobs[0], (1, Edit(1, 2, ("of",), "function")),
             (1, Edit(1, 2, ("on",), "function")), jobs[1], (1, Edit(13, 14, ("this",), "function"))]
    for floor in (None, {"swap": -1e9, "function": -5.0}):
        want = score_edits(model, sents, stream, 0.5, spelt, floor)
        got = score_edits(model, sents, stream, 0.5, jobs, floor, choices)
        assert got == want
        assert floor is not None or len(got) == len(spelt)


def test_pair_bounds_never_below_a_score():
    """pair_bounds(prev, cur) is at least the score of cur after prev, whatever came before."""
    model = lm.model_for("es") or lm.model_for("en")
    if model is None:
        pytest.skip("no model shipped")
    table = model.tables[0][0]
    rng = np.random.default_rng(7)
    sents = [[lmtext.normalise(t) for _, _, t in lmtext.tokens(x)] for x in (
        "El gobierno dijo el viernes que las conversaciones con los sindicatos seguirán la semana próxima.",
        "Los funcionarios de la capital no dijeron cuándo entrarán en vigor las nuevas normas.",
        "The government said on Friday that the talks would go on next week.",
    )]
    ids, pos, _ = model.encode(sents)
    # the text as it stands, and its ids shuffled (most pairs then unseen)
    for stream in (ids, rng.permutation(ids)):
        s = table.score(stream, pos)
        inner = (pos >= 1).nonzero()[0]
        b = table.pair_bounds(stream[inner - 1], stream[inner])
        assert np.all(s[inner] <= b)
    # where a pair is in the table, some context reaches the bound (it is the best, not just a bound)
    key = table.keys[0][len(table.keys[0]) // 2]
    prev, cur = int(key >> ngram.BITS), int(key & ngram.MASK)
    assert table.pair_bounds(np.array([prev]), np.array([cur]))[0] >= table.score(np.array([1, prev, cur]), np.array([0, 1, 2]))[2]


def test_bounded_scoring_returns_the_same_candidates():
    """score_edits(bound=True) skips windows that cannot reach the floor and returns the same candidates."""
    from mtcheck.lm.edits import Edit
    from mtcheck.lm.scan import score_edits

    model, sents, stream = _scored(
        "es",
        "El gobierno dijo el viernes que las conversaciones con los sindicatos seguirán la semana próxima.",
        "Los funcionarios capital de la no dijeron cuándo en vigor entrarán las nuevas normas.",
    )
    jobs = [(si, Edit(i, i + 2, (toks[i + 1], toks[i]), "swap")) for si, toks in enumerate(sents)
            for i in range(len(toks) - 1)]
    choices = [(0, si, i, ("de", "en", "con", "por", "para")) for si, toks in enumerate(sents)
               for i, t in enumerate(toks) if t in ("la", "de", "con", "en")]
    for floor in (-1e9, 0.0, 2.0, 5.0):
        min_delta = {"swap": floor, "function": floor}
        want = score_edits(model, sents, stream, 0.0, jobs, min_delta, choices)
        assert score_edits(model, sents, stream, 0.0, jobs, min_delta, choices, bound=True) == want
        if floor == -1e9:
            assert len(want) == len(jobs) + 5 * len(choices)
