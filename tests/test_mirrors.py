"""Start-up shortcuts: the compiled mirrors under corpora/**/compiled, and the
cheaper stand-ins for library calls, must give exactly what they replace."""
from __future__ import annotations

import math

import numpy as np
import pytest

from mtcheck import gazetteer, mirrors
from mtcheck.checks import calques
from mtcheck.lm.ngram import _mapped_npz
from mtcheck.lm.scan import _median
from mtcheck.readers import read_text
from mtcheck.rules import all_rules


def test_mirrors_are_fresh():
    stale = mirrors.stale()
    assert not stale, f"stale mirrors {stale}: run `python -m mtcheck.mirrors`"


def test_mirrors_are_used():
    for target in calques.RULE_FILES:
        assert calques._source(target)[1] is not None, target
    assert gazetteer.builtin()._stored is not None
    assert mirrors.read(gazetteer.PLACES_MIRROR, gazetteer._places_fingerprint()) is not None


def test_a_stale_mirror_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setattr(mirrors.resources, "path", lambda relative: tmp_path / relative)
    (tmp_path / "x.json").write_text(mirrors.dumps("a.tsv:1:00000000", {"k": 1}, "test"), encoding="utf-8")
    assert mirrors.read("x.json", "a.tsv:1:00000000") == {"k": 1}
    assert mirrors.read("x.json", "a.tsv:2:00000000") is None
    assert mirrors.read("missing.json", "a.tsv:1:00000000") is None


def _entry_key(e: gazetteer.NameEntry) -> tuple:
    return (e.canonical, e.variants, e.accept, e.forms, e.note, e.source, e.origin)


def test_gazetteer_views_from_the_mirror_equal_the_built_ones():
    stored = gazetteer.builtin()
    built = gazetteer._parse_names(gazetteer._table_files("names"))
    assert [_entry_key(e) for e in stored.entries] == [_entry_key(e) for e in built.entries]
    si = {id(e): i for i, e in enumerate(stored.entries)}
    bi = {id(e): i for i, e in enumerate(built.entries)}
    for lang in (*gazetteer.NAME_LANGS, "de"):
        a, b = stored.view(lang), built.view(lang)
        assert a.dump(si) == b.dump(bi), lang
        for name in ("exact", "full", "short", "by_last"):  # insertion order too
            assert list(getattr(a, name)) == list(getattr(b, name)), (lang, name)


def test_place_views_from_the_mirror_equal_the_built_ones():
    rows = gazetteer.place_rows()
    assert gazetteer.all_place_names() == gazetteer._all_place_names(rows)
    for lang in gazetteer.PLACE_LANGS:
        a, b = gazetteer.place_view(lang), gazetteer._build_place_view(rows, lang)
        assert (a.lang, a.by_first, a.target_names) == (b.lang, b.by_first, b.target_names), lang
        assert list(a.by_first) == list(b.by_first), lang


@pytest.mark.parametrize("target", calques.RULE_FILES)
def test_rules_from_the_mirror_equal_the_parsed_file(target):
    assert calques._source(target)[1] is not None
    settings, specs = calques.parse_rules_file(calques.read_rules_data(target), target)
    assert calques.load_file(target) == (settings, tuple(specs))


def test_embed_regexes_compile():
    import re

    from mtcheck.checks import artefacts

    for _marker, regex, _label, _sev in artefacts._embed_table():
        re.compile(regex)  # compiled on first use in a story; must not fail there


def _examples(target: str) -> list[str]:
    return [e.text for r in all_rules().values() if r.target_langs == (target,) for e in r.examples]


@pytest.mark.parametrize("target", calques.RULE_FILES)
def test_deferred_patterns_match_like_compiled_ones(target):
    deferred = calques.ruleset(target)
    settings, specs = calques.load_file(target)
    eager = calques.compile_specs(specs, settings, target)
    assert any(not isinstance(e, calques.P.Entry) for e in deferred.matcher.entries)
    assert [e.key for e in deferred.matcher.entries] == [e.key for e in eager.matcher.entries]
    assert [e.anchor for e in deferred.matcher.entries] == [e.anchor for e in eager.matcher.entries]
    for text in _examples(target):
        doc = read_text(text)
        v = calques.P.TokenView(doc.tokens)
        bounds = calques._sentence_bounds(doc, v)
        got = [(e.key, m) for e, m in deferred.matcher.run(v, bounds)]
        want = [(e.key, m) for e, m in eager.matcher.run(v, bounds)]
        assert got == want, text


def test_median_is_numpys_to_the_bit():
    rng = np.random.default_rng(3)
    for n in [1, 2, 3, 4, 5, 100, 101, *rng.integers(1, 500, 300).tolist()]:
        values = rng.normal(5.0, 3.0, n) * rng.choice([1e-3, 1.0, 1e5])
        assert _median(values) == float(np.median(values))
    assert math.isnan(_median(np.array([1.0, float("nan"), 2.0])))


def test_mapped_npz_holds_what_np_load_reads(tmp_path):
    p = tmp_path / "t.npz"
    arrays = {
        "a": np.arange(6, dtype=np.int64).reshape(2, 3),
        "f": np.asfortranarray(np.arange(6, dtype=np.float16).reshape(2, 3)),
        "e": np.zeros(0, dtype=np.uint32),
        "s": np.float32(3.5),
    }
    np.savez(p, **arrays)
    mapped = _mapped_npz(p)
    with np.load(p) as z:
        assert sorted(mapped) == sorted(z.files)
        for name in z.files:
            want = z[name]
            got = mapped[name]
            assert got.dtype == want.dtype and got.shape == want.shape and np.array_equal(got, want), name
            assert got.flags.f_contiguous == want.flags.f_contiguous, name
    np.savez_compressed(tmp_path / "c.npz", a=np.arange(3))
    assert _mapped_npz(tmp_path / "c.npz") is None  # compressed: np.load reads it
