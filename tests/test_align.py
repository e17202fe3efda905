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
