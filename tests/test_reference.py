"""Reference-aware checks (R): aligned sentence chrF against the story's own distribution."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mtcheck import api
from mtcheck.cli import main
from mtcheck.rules import all_rules

R_RULES = [r for r in all_rules().values() if r.family == "R"]

REF = ("The storm hit the coast of Valencia on Monday. More than 12,000 homes were left without electricity. "
       "Schools will reopen on Thursday, the regional government said. The army helped to clear the roads. "
       "Farmers counted their losses in the orange groves.")
GOOD = ("The storm hit the coast of Valencia on Monday. More than 12,000 homes were left without power. "
        "Schools will reopen on Thursday, the regional government said. The army helped clear the roads. "
        "Farmers counted losses in the orange groves.")
BAD = GOOD.replace("Schools will reopen on Thursday, the regional government said.",
                   "The kids go back to their classes when the week is nearly done, say the bosses.")


@pytest.mark.parametrize("rule,example", [
    pytest.param(r, e, id=f"{r.code}-{i}") for r in R_RULES for i, e in enumerate(r.examples)
])
def test_examples_with_their_reference(rule, example):
    assert example.note.startswith("reference:")
    found = api.check(example.text, target_lang="en", select=[rule.code],
                      reference=example.note[len("reference:"):].strip())
    assert (rule.code in [f.code for f in found]) == example.flags


def test_divergent_sentence_is_info_and_shows_the_reference():
    found = api.check(BAD, target_lang="en", reference=REF, select=["R"])
    assert len(found) == 1
    f = found[0]
    assert f.code == "R001" and f.severity == "info"
    assert f.text.startswith("The kids go back")
    assert "Schools will reopen on Thursday" in f.message


def test_close_translation_is_silent_and_no_reference_no_r():
    assert api.check(GOOD, target_lang="en", reference=REF, select=["R"]) == []
    assert api.check(BAD, target_lang="en", select=["R"]) == []


def test_short_story_is_never_judged():
    assert api.check("Totally different words here.", target_lang="en", reference="The storm hit.",
                     select=["R"]) == []


def test_cli_reference_option(tmp_path):
    (tmp_path / "ref.txt").write_text(REF, encoding="utf-8")
    (tmp_path / "mt.txt").write_text(BAD, encoding="utf-8")
    r = CliRunner().invoke(main, ["--no-config", "--format", "json", "--select", "R", "--target-lang", "en",
                                  "--reference", str(tmp_path / "ref.txt"), str(tmp_path / "mt.txt")])
    assert r.exit_code == 0, r.output
    assert [f["code"] for f in json.loads(r.stdout)] == ["R001"]


def test_the_story_chrf_is_sacrebleus_sentence_chrf():
    import sacrebleu

    found = api.check(BAD, target_lang="en", reference=REF, select=["R"])
    f = found[0]
    ref_sentence = "Schools will reopen on Thursday, the regional government said."
    assert f.extra["reference"] == ref_sentence
    assert f.extra["chrf"] == pytest.approx(round(sacrebleu.sentence_chrf(f.text, [ref_sentence]).score, 2), abs=1e-9)


def test_the_s_and_r_families_share_the_translations_units():
    from mtcheck.readers import read_text
    from mtcheck.api import attach_texts, make_context
    from mtcheck import engine

    doc = read_text(BAD, "<string>", None)
    ctx = make_context(doc, target_lang="en", source_lang="es")
    attach_texts(doc, ctx, "La tormenta azotó la costa de Valencia el lunes. Más de 12.000 hogares se quedaron sin "
                           "luz. Los niños vuelven a clase el jueves. El ejército ayudó. Los agricultores contaron "
                           "sus pérdidas.", REF)
    engine.run(doc, ctx, select=["S", "R"])
    cached = ctx.services["sentence_units"]
    assert len([k for k in cached if k[0] == id(doc.text)]) == 1  # read once, for both
