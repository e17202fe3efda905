"""The sentence aligner: 1-1 stories, merges, splits, omissions, additions, and its band."""
from __future__ import annotations

import time

from mtcheck.align import Link, align, align_texts, expected_ratio, make_unit

SRC = [
    "El Gobierno aprobó ayer los presupuestos para 2025.",
    "Las cuentas prevén un gasto de 485.000 millones de euros.",
    "La oposición votó en contra y anunció un recurso ante el Tribunal Constitucional.",
    "El ministro de Hacienda defendió la subida de las pensiones.",
    "Según sus cálculos, 9,8 millones de pensionistas cobrarán un 2,8 % más.",
    "Los sindicatos pidieron más inversión en sanidad.",
    "La votación final será el 15 de diciembre en el Senado.",
]
TGT = [
    "The government approved the budget for 2025 yesterday.",
    "The accounts provide for spending of 485 billion euros.",
    "The opposition voted against it and announced an appeal to the Constitutional Court.",
    "The finance minister defended the rise in pensions.",
    "By his calculations, 9.8 million pensioners will receive 2.8% more.",
    "The unions called for more investment in health care.",
    "The final vote will take place in the Senate on December 15.",
]


def shapes(links: list[Link]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(l.src, l.tgt) for l in links]


def test_one_to_one():
    links = align_texts(SRC, TGT, "es", "en")
    assert shapes(links) == [((i,), (i,)) for i in range(len(SRC))]


def test_merge_two_source_sentences_into_one():
    tgt = TGT[:3] + [TGT[3][:-1] + ", and by his calculations 9.8 million pensioners will receive 2.8% more."] + TGT[5:]
    links = align_texts(SRC, tgt, "es", "en")
    assert ((3, 4), (3,)) in shapes(links)
    assert all(l.src and l.tgt for l in links)


def test_split_one_source_sentence_into_two():
    tgt = TGT[:2] + ["The opposition voted against it.", "It announced an appeal to the Constitutional Court."] + TGT[3:]
    links = align_texts(SRC, tgt, "es", "en")
    assert ((2,), (2, 3)) in shapes(links)


def test_omission_is_a_one_to_zero_link():
    tgt = TGT[:4] + TGT[5:]  # the pensions sentence, with its numbers, is gone
    links = align_texts(SRC, tgt, "es", "en")
    assert ((4,), ()) in shapes(links)
    assert sum(1 for l in links if l.shape == (1, 1)) == 6


def test_addition_is_a_zero_to_one_link():
    extra = "Thousands of farmers blocked 300 roads in Andalusia and Extremadura on Tuesday, police in Seville said."
    tgt = TGT[:2] + [extra] + TGT[2:]
    links = align_texts(SRC, tgt, "es", "en")
    assert ((), (2,)) in shapes(links)


def test_numbers_anchor_a_run_of_similar_sentences():
    src = [f"El equipo {c} ganó {n} partidos." for c, n in zip("ABCDEF", (3, 5, 7, 9, 11, 13))]
    tgt = [f"Team {c} won {n} games." for c, n in zip("ABCDEF", (3, 5, 7, 9, 11, 13))]
    del tgt[2]
    links = align_texts(src, tgt, "es", "en")
    assert ((2,), ()) in shapes(links)


def test_a_lone_omission_next_to_an_addition_pairs_up():
    links = align_texts(["Uno dos tres cuatro cinco."], ["Something else entirely, and much longer than the source."],
                        "es", "en")
    assert shapes(links) == [((0,), (0,))]


def test_empty_sides():
    assert align([], []) == []
    assert shapes(align_texts(["Hola."], [], "es", "en")) == [((0,), ())]
    assert shapes(align_texts([], ["Hello."], "es", "en")) == [((), (0,))]


def test_expected_ratio():
    assert expected_ratio("es", "en") < 1 < expected_ratio("en", "es")
    assert expected_ratio("en", "en") == 1.0


def test_band_keeps_long_stories_linear():
    src = SRC * 60
    tgt = TGT * 60
    su = [make_unit(s, "es") for s in src]
    tu = [make_unit(t, "en") for t in tgt]
    t0 = time.perf_counter()
    links = align(su, tu)
    elapsed = time.perf_counter() - t0
    assert len(links) == len(src) and all(l.shape == (1, 1) for l in links)
    assert elapsed < 10  # 420 sentences a side; a full quadratic table would be far slower


# -- the vectorised costs against the plain ones ------------------------------------------------

import random  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mtcheck import align as A  # noqa: E402
from mtcheck.align import Unit  # noqa: E402


def _random_units(rnd, n, names_pool, values_pool):
    out = []
    for _ in range(n):
        nums = [frozenset(rnd.sample(values_pool, rnd.randint(1, 3))) for _ in range(rnd.choice((0, 0, 1, 2, 3)))]
        names = frozenset(rnd.sample(names_pool, rnd.choice((0, 1, 2, 5))))
        marks = (rnd.choice((0, 0, 1)), rnd.choice((0, 0, 0, 1)), rnd.choice((0, 0, 2)))
        out.append(Unit("x" * rnd.randint(1, 200), numbers=nums, names=names, marks=marks))
    return out


def _group(units, row, n):
    for k in (1, 2, 3):
        if row < n - k + 1:
            return units[row:row + k]
        row -= n - k + 1
    raise IndexError(row)


def test_vectorised_anchor_costs_equal_the_plain_ones_even_past_64_bits():
    rnd = random.Random(3)
    names_pool = [f"n{i}" for i in range(150)]  # more shared names and values than one 64-bit word
    values_pool = [float(i) for i in range(150)]
    for _ in range(5):
        su = _random_units(rnd, 30, names_pool, values_pool)
        tu = _random_units(rnd, 28, names_pool, values_pool)
        vals = set().union(*(v for u in su for v in u.numbers)) & set().union(*(v for u in tu for v in u.numbers))
        names = frozenset().union(*(u.names for u in su)) & frozenset().union(*(u.names for u in tu))
        for kmax in (2, 3):
            S = A._Side(su, {v: i for i, v in enumerate(vals)}, {k: i for i, k in enumerate(names)}, kmax)
            T = A._Side(tu, {v: i for i, v in enumerate(vals)}, {k: i for i, k in enumerate(names)}, kmax)
            a = np.array([rnd.randrange(len(S.length)) for _ in range(300)])
            b = np.array([rnd.randrange(len(T.length)) for _ in range(300)])
            got = A._anchor_costs(S, T, a, b)
            for x, y, g in zip(a, b, got):
                assert g == pytest.approx(A._anchor_cost(_group(su, int(x), 30), _group(tu, int(y), 28)), abs=1e-9)


def test_vectorised_length_costs_follow_gale_church():
    rnd = random.Random(5)
    l1 = np.array([rnd.randint(0, 500) for _ in range(2000)])
    l2 = np.array([rnd.randint(0, 500) for _ in range(2000)])
    for ratio in (0.9, 1.0, 1.12):
        got = A._length_costs(l1, l2, ratio)
        want = [A._length_cost(int(x), int(y), ratio) for x, y in zip(l1, l2)]
        assert max(abs(g - w) for g, w in zip(got, want)) < 1e-5


def test_a_sentence_split_in_three_is_one_bead():
    tgt = TGT[:2] + ["The opposition voted against it.", "It announced an appeal.",
                     "The appeal goes to the Constitutional Court."] + TGT[3:]
    links = align_texts(SRC, tgt, "es", "en")
    assert ((2,), (2, 3, 4)) in shapes(links)
    assert all(l.src and l.tgt for l in links)


def test_the_diagonal_shortcut_agrees_with_the_programme():
    su = [make_unit(s, "es") for s in SRC]
    tu = [make_unit(t, "en") for t in TGT]
    assert shapes(align(su, tu)) == shapes(align(su, tu, band=len(SRC)))  # a fixed band: no shortcut


def test_the_band_widens_for_a_long_omission():
    rnd = random.Random(11)
    words_es = "el gobierno dijo que la ciudad tiene nuevos planes para el puerto y las escuelas".split()
    words_en = "the government said that the city has new plans for the port and the schools".split()
    src, tgt = [], []
    for i in range(40):
        k = rnd.randint(4, 14)
        src.append(" ".join(rnd.choice(words_es) for _ in range(k)).capitalize() + f" {1000 + 37 * i} personas.")
        tgt.append(" ".join(rnd.choice(words_en) for _ in range(k)).capitalize() + f" {1000 + 37 * i} people.")
    del tgt[10:22]  # twelve sentences in a row are missing: far outside the first band
    su, tu = [make_unit(s, "es") for s in src], [make_unit(t, "en") for t in tgt]
    calls = []
    band = A._align_band

    def spy(S, T, centres, width, *rest):
        calls.append(width)
        return band(S, T, centres, width, *rest)

    A._align_band = spy
    try:
        links = align(su, tu, prior_ratio=0.9)
    finally:
        A._align_band = band
    assert len(calls) > 1  # the first band was too narrow and grew
    assert shapes(links) == shapes(align(su, tu, prior_ratio=0.9, band=len(src)))  # the full table's answer
    assert sum(len(l.src) for l in links if not l.tgt) >= 8


def test_story_units_read_a_whole_story_like_single_sentences():
    text = "  ".join(SRC)
    spans, pos = [], 0
    for s in SRC:
        spans.append((pos, pos + len(s)))
        pos += len(s) + 2
    _, units = A.story_units(text, spans, "es")
    for u, s in zip(units, SRC):
        one = make_unit(s, "es")
        assert (u.text, u.length, u.numbers, u.names, u.marks) == (one.text, one.length, one.numbers, one.names,
                                                                   one.marks)
    light = A.make_units(text, spans, "es", light=True)  # digits as written, for one language
    assert light[1].numbers == [frozenset({"485.000"})] and light[1].names == units[1].names


def test_fold_text_is_fold_word_by_word():
    text = "Zürich, Straße, Ærø, Ĳssel, naïve café — Łódź ﬁnal Ὀδυσσεύς"
    assert A.fold_text(text).split() == [A.fold(w) for w in text.split()]
