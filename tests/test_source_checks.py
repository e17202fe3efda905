"""Source-aware checks (S): each rule's examples with their source, number parsing, the CLI."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mtcheck import api
from mtcheck.checks import source as S
from mtcheck.cli import main
from mtcheck.numbers import extract, match, word_value
from mtcheck.rules import all_rules

S_RULES = [r for r in all_rules().values() if r.family == "S"]
CASES = [
    pytest.param(rule, ex, id=f"{rule.code}-{'flag' if ex.flags else 'ok'}-{i}")
    for rule in S_RULES
    for i, ex in enumerate(rule.examples)
]


def codes(text, source, code=None, **kw):
    kw.setdefault("target_lang", "en")
    kw.setdefault("source_lang", "es")
    return [f.code for f in api.check(text, source=source, select=[code or "S"], **kw)]


@pytest.mark.parametrize("rule,example", CASES)
def test_examples_with_their_source(rule, example):
    assert example.note.startswith("source:"), "S examples carry their source in the note"
    found = codes(example.text, example.note[len("source:"):].strip(), rule.code,
                  target_lang=example.target_lang, source_lang=example.source_lang)
    assert (rule.code in found) == example.flags, (rule.code, example.text, found)


def test_every_s_rule_has_two_examples_each_way():
    assert len(S_RULES) >= 9
    for r in S_RULES:
        assert sum(e.flags for e in r.examples) >= 2 and sum(not e.flags for e in r.examples) >= 2, r.code


def test_no_source_no_s_findings():
    assert codes("More than 24,000 deaths were recorded.", None) == []


# -- numbers -------------------------------------------------------------------------


def values(text, lang):
    return [sorted(v for v in q.values if isinstance(v, float)) for q in extract(text, lang)]


@pytest.mark.parametrize("src,lang,tgt", [
    ("1.000 personas", "es", "1,000 people"),
    ("1.000 Menschen", "de", "1,000 people"),
    ("1,5 millones", "es", "1.5 million"),
    ("272.000 casos", "es", "272,000 cases"),
    ("a las 15.30 horas", "es", "at 3:30 p.m."),
    ("gegen 3.40 Uhr", "de", "at around 3:40 a.m."),
    ("vers 12 h 00 GMT", "fr", "around 1200 GMT"),
    ("dos personas", "es", "two people"),
    ("dos personas", "es", "2 people"),
    ("zwei Fraktionen", "de", "two factions"),
    ("vingt-cinq ans", "fr", "twenty-five years"),
    ("dreiundzwanzig Tote", "de", "23 dead"),
    ("ventidue anni", "it", "22 years"),
    ("30 %", "fr", "30 percent"),
    ("7 400 demandes", "fr", "7,400 applications"),
    ("dans les années 70", "fr", "in the 1970s"),
    ("am 19. Juli", "de", "on July 19"),
    ("am 12.12. um 19 Uhr", "de", "on December 12 at 7 p.m."),
    ("2,5 Mrd. Euro", "de", "2.5 billion euros"),
])
def test_numbers_agree_across_locales(src, lang, tgt):
    miss_s, miss_t = match(extract(src, lang), extract(tgt, "en"))
    assert not miss_t, (src, tgt, miss_s, miss_t)


@pytest.mark.parametrize("src,lang,tgt", [
    ("28.000 muertos", "es", "24,000 dead"),
    ("272.000 casos", "es", "272 cases"),
    ("a las 15.30 horas", "es", "at 4:30 p.m."),
    ("dos personas", "es", "three people"),
    ("1,5 millones", "es", "15 million"),
    ("Catorce escuelas", "es", "Eleven schools"),
])
def test_numbers_that_differ(src, lang, tgt):
    miss_s, miss_t = match(extract(src, lang), extract(tgt, "en"))
    assert miss_t and miss_s


def test_number_words_and_articles():
    assert word_value("dos", "es") == 2 and word_value("drei", "de") == 3 and word_value("quatre", "fr") == 4
    assert word_value("un", "fr") is None and word_value("ein", "de") is None and word_value("one", "en") is None
    assert word_value("neuf", "fr") is None  # also "new"
    assert values("Otto Ritter", "it") == []  # a name, not "otto" (eight)


def test_number_mismatch_points_at_the_number_and_suggests_the_source():
    text = "More than 24,000 deaths have been recorded in Spain."
    f = api.check(text, target_lang="en", source_lang="de", select=["S001"],
                  source="In Spanien wurden mehr als 28.000 Tote registriert.")
    assert [x.text for x in f] == ["24,000"]
    assert "28.000" in f[0].message and f[0].severity == "error"


def test_a_number_in_a_neighbouring_sentence_is_not_a_mismatch():
    src = "El acto reunió a 300 personas. Hubo discursos y música."
    tgt = "The event brought together people, with 300 in attendance and speeches. There was music."
    assert "S001" not in codes(tgt, src)


# -- names ----------------------------------------------------------------------------


def test_name_missing_and_unsupported_both_ways():
    src = "Latenight-Moderator Stephen Colbert begrüßte Thunberg am Dienstag in seiner Sendung."
    good = "Late night presenter Stephen Colbert welcomed Thunberg to his show on Tuesday."
    bad = "Late night presenter John Oliver welcomed Thunberg to his show on Tuesday."
    assert codes(good, src, source_lang="de") == []
    found = api.check(bad, target_lang="en", source_lang="de", source=src, select=["S"])
    assert {f.code for f in found if f.severity == "warning"} == {"S003", "S004"}
    s004 = [f for f in found if f.code == "S004"][0]
    assert s004.text == "John Oliver"


def test_exonyms_and_spelling_variants_match():
    src = "Als Kind britischer Eltern in Tokio geboren, zog Olivia de Havilland nach Kalifornien."
    tgt = "Born in Tokyo to British parents, Olivia de Havilland moved to California."
    assert codes(tgt, src, source_lang="de") == []


def test_a_name_the_story_names_elsewhere_is_only_information():
    src = "Merkel habló en Berlín. Merkel dijo que Alemania ayudará."
    tgt = "Merkel spoke in Berlin. She said Germany would help."
    found = api.check(tgt, target_lang="en", source_lang="es", source=src, select=["S003"])
    assert all(f.severity == "info" for f in found)


def test_name_heuristics():
    assert S.is_name_like("NASA", "es", "en")
    assert not S.is_name_like("Regierung", "de", "en")
    assert not S.is_name_like("Ministry", "en", "de")
    assert S.fold("Zürich") == "zurich"


# -- untranslated, marks, length, false friends ------------------------------------------


def test_untranslated_segment_both_ways():
    src = "El presidente viajará mañana a Bruselas para reunirse con sus socios europeos."
    assert "S007" in codes(src, src)
    assert "S007" not in codes("The president will travel to Brussels tomorrow to meet his European partners.", src)


def test_quotes_and_brackets():
    src = "El Partido Popular (PP) ganó en Galicia, según «El País»."
    assert "S008" in codes("The Popular Party won in Galicia, according to El País.", src, "S008")
    assert "S008" not in codes("The Popular Party (PP) won in Galicia, according to \"El País\".", src, "S008")


def test_false_friend_needs_the_trigger_in_the_source():
    assert "S010" in codes("The firm actually has 300 staff.", "La empresa tiene actualmente 300 empleados.")
    assert "S010" not in codes("The firm actually has 300 staff.", "En realidad, la empresa tiene 300 empleados.")


def test_omission_flags_the_sentence_before_the_gap():
    src = ("La tormenta azotó la costa el lunes. Más de 12.000 hogares siguen sin electricidad en la provincia "
           "de Valencia, según Iberdrola. Las escuelas reabrirán el jueves, dijeron las autoridades.")
    tgt = "The storm hit the coast on Monday.\n\nSchools will reopen on Thursday, officials said."
    found = api.check(tgt, target_lang="en", source_lang="es", source=src, select=["S005"])
    assert len(found) == 1 and found[0].text == "The storm hit the coast on Monday."
    assert "12.000" in found[0].message


def test_source_language_is_detected_when_not_given():
    src = "Más de 28.000 personas murieron en España durante la pandemia, según el Gobierno."
    found = api.check("More than 24,000 people died in Spain during the pandemic, the government said.",
                      target_lang="en", source=src, select=["S001"])
    assert [f.text for f in found] == ["24,000"]


# -- command line -----------------------------------------------------------------------


def test_cli_source_option(tmp_path):
    (tmp_path / "src.txt").write_text("En España murieron más de 28.000 personas.\n", encoding="utf-8")
    (tmp_path / "mt.txt").write_text("More than 24,000 people died in Spain.\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["--no-config", "--format", "json", "--select", "S", "--source-lang", "es",
                                  "--target-lang", "en", "--source", str(tmp_path / "src.txt"),
                                  str(tmp_path / "mt.txt")])
    assert r.exit_code == 1, r.output  # a wrong number is an error: at the default --fail-on
    assert [f["code"] for f in json.loads(r.stdout)] == ["S001"]


def test_cli_source_needs_exactly_one_story(tmp_path):
    for name in ("a.txt", "b.txt", "src.txt"):
        (tmp_path / name).write_text("Hello.\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["--no-config", "--source", str(tmp_path / "src.txt"), str(tmp_path / "a.txt"),
                                  str(tmp_path / "b.txt")])
    assert r.exit_code == 2
    assert "one story" in r.output


def test_cli_missing_source_file_is_an_input_error(tmp_path):
    (tmp_path / "mt.txt").write_text("Hello.\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["--no-config", "--source", str(tmp_path / "nope.txt"), str(tmp_path / "mt.txt")])
    assert r.exit_code == 2
    assert "no such file" in r.output


# -- numbers: conversions, compounds, ordinals, clock and calendar conventions ------------------------


@pytest.mark.parametrize("src,src_lang,tgt,tgt_lang", [
    ("from a maximum height of 150 feet", "en", "desde una altura máxima de 45 metros", "es"),
    ("work is about 27 miles away", "en", "el trabajo está a más de 40 kilómetros", "es"),
    ("a 6in x 6in painting canvas", "en", "un lienzo de 15cm x 15cm", "es"),
    ("two ounces of paint", "en", "cincuenta gramos de pintura", "es"),
    ("heat signatures 350 yards out", "en", "firmas térmicas a 320 metros", "es"),
    ("it was 100°F in the shade", "en", "hacía 38 °C a la sombra", "es"),
    ("a two-storey city", "en", "una ciudad de dos alturas", "es"),
    ("At 0500 sharp, the company assembled.", "en", "A las 05:00 en punto, la compañía se reunió.", "es"),
    ("vor 10 000 Leuten", "de", "in front of 10,000 people", "en"),
    ("in der Saison 2017/18", "de", "in the 2017/2018 season", "en"),
    ("有25万种开花植物", "zh", "There are 250,000 species of flowering plants", "en"),
    ("la tercera vez", "es", "the 3rd time", "en"),
    ("la subida fue del 11,7 por ciento", "es", "the rise was 11.7 percent", "en"),
])
def test_quantities_a_translator_converts_or_spells_out_agree(src, src_lang, tgt, tgt_lang):
    miss_s, miss_t = match(extract(src, src_lang), extract(tgt, tgt_lang))
    assert not miss_s and not miss_t, (miss_s, miss_t)


def test_conversions_only_bridge_systems_and_ordinals_are_never_reported():
    miss_s, miss_t = match(extract("a 10 km run", "en"), extract("a 11 km run", "en"))
    assert miss_s and miss_t  # the same unit, another number: no tolerance
    miss_s, miss_t = match(extract("150 feet", "en"), extract("80 metros", "es"))
    assert miss_s and miss_t  # a conversion far off
    miss_s, miss_t = match(extract("el tercer día", "es"), extract("on day 5", "en"))
    assert not miss_s and [q.text for q in miss_t] == ["5"]  # "tercer" only ever absorbs


def test_a_converted_measure_in_a_story_is_not_a_mismatch():
    src = "The rabbit fence is sunk 6 inches underground. It should keep rabbits out of the garden."
    tgt = "La cerca para los conejos está clavada 15 cm bajo tierra. Debería mantener a los conejos fuera."
    assert "S001" not in codes(tgt, src, source_lang="en", target_lang="es")


# -- names: exonyms, codes, particles, translators' renderings -------------------------------------


@pytest.mark.parametrize("src,tgt", [
    ("Jochen Kopelke, head of Germany's police union, warned in an interview.",
     "Jochen Kopelke, jefe del sindicato de policías de Alemania, advirtió en una entrevista."),
    ("Now, a new law is to be introduced in England and Wales to exonerate the victims.",
     "Ahora se introducirá una nueva ley en Inglaterra y Gales para absolver a las víctimas."),
    ("The Airbus 320 family, which includes the A321 and the A319neo, has the lowest rate.",
     "La familia del Airbus 320, que incluye el A321 y el 319neo, tiene el índice más bajo."),
    ("Welcome to CSA in Italy. CSA is believed to be an ancient Roman settlement.",
     "Bienvenidos a Cosa, en Italia. Se cree que Cosa es un antiguo asentamiento romano."),
])
def test_names_a_translation_keeps_in_another_form(src, tgt):
    found = api.check(tgt, source=src, source_lang="en", target_lang="es", select=["S003", "S004"])
    assert [f.code for f in found if f.severity != "info"] == []


def test_a_particle_written_joined_still_matches():
    idx = S.TokenIndex("his leader Elzakzaki and his wife", [(0, 33)], "en")
    assert idx.has(S.Name(0, 7, "Zakzaky", "zakzaky"), "es")


def test_an_ordinary_word_opening_an_english_sentence_is_not_a_missing_name():
    src = "Nice and easy. Here is a list of the ingredients that we are going to use today in the kitchen."
    tgt = "Buena y fácil. Aquí tienen la lista de los ingredientes que vamos a usar hoy en la cocina."
    found = api.check(tgt, source=src, source_lang="en", target_lang="es", select=["S003"])
    assert all(f.severity == "info" for f in found)


def test_a_name_the_translation_renders_the_same_way_throughout_is_information():
    src = ("Stumpy gets a stay of coronation.\n\nAnd we're on again. It's take two on Stumpy's crowning.\n\n"
           "Stumpy has been crowned. All hail King Stumpy.")
    tgt = ("A Muñoncito no lo van a coronar aún.\n\nY aquí vamos otra vez. Es el segundo intento de coronar a "
           "Muñoncito.\n\nMuñoncito ha sido coronado. Larga vida al Rey Muñoncito.")
    found = api.check(tgt, source=src, source_lang="en", target_lang="es", select=["S004"])
    assert found and all(f.severity == "info" for f in found)
    # Once, it is still a warning when the name also replaces one of the source's.
    bad = api.check("Late night presenter John Oliver welcomed Thunberg to his show.", target_lang="en",
                    source_lang="de", select=["S004"],
                    source="Latenight-Moderator Stephen Colbert begrüßte Thunberg in seiner Sendung.")
    assert [f.severity for f in bad] == ["warning"]


# -- a source language the length model does not know ----------------------------------------------

ZH_SRC = "部长说会谈很坦率。他们将在3月15日再次会面，届时将有25万人参加。\n\n约翰·史密斯表示同意。"
ZH_TGT = ("The minister said the talks were frank. They will meet again on March 15, when 250,000 people "
          "will attend.\n\nJohn Smith agreed, and a whole clause the source does not have was added here.")


def test_an_uncalibrated_source_language_keeps_numbers_and_drops_length_checks():
    found = api.check(ZH_TGT, source=ZH_SRC, source_lang="zh", target_lang="en", select=["S"])
    assert not [f for f in found if f.severity != "info"]
    assert not {"S004", "S005", "S006", "S009"} & {f.code for f in found}
    wrong = api.check(ZH_TGT.replace("250,000", "350,000"), source=ZH_SRC, source_lang="zh", target_lang="en",
                      select=["S"])
    assert [(f.code, f.text) for f in wrong if f.severity != "info"] == [("S001", "350,000")]


def test_only_calibrated_pairs_get_the_length_model():
    from mtcheck.align import calibrated

    assert calibrated("de", "en") and calibrated("en", "es") and calibrated("en", "en")
    assert not calibrated("zh", "en") and not calibrated("en", "ja") and not calibrated(None, "en")


# -- S011: a word the source cannot explain ---------------------------------------------

_DE_SRC = "Die neuen Forderungen könnten nicht erfüllt werden, sagte das Ministerium am Samstag."


def s011(text, source, lang="de"):
    return [(f.text, f.severity) for f in api.check(text, target_lang="en", source_lang=lang, source=source,
                                                    select=["S011"])]


def test_an_added_adjective_is_flagged():
    found = s011("The new gleeful demands could not be fulfilled, the ministry said on Saturday.", _DE_SRC)
    assert found == [("gleeful", "info")]


def test_an_added_common_adjective_is_not_flagged():
    # Zipf >= 3.0: translators add and drop such words freely, so it is not singled out.
    assert s011("The new atrocious demands could not be fulfilled, the ministry said on Saturday.", _DE_SRC) == []


def test_words_the_dictionary_or_spelling_explains_are_not_flagged():
    # "demands" <- "Forderungen" (dictionary), "ministry" <- "Ministerium" (spelling); a German compound
    # explains its parts ("Wirtschaftsministerium" -> "ministry").
    assert s011("The new demands could not be fulfilled, the ministry said on Saturday.", _DE_SRC) == []
    assert s011("The new demands could not be fulfilled, the economy ministry said on Saturday.",
                "Die neuen Forderungen könnten nicht erfüllt werden, sagte das Wirtschaftsministerium am Samstag.") == []


def test_a_free_rendering_with_several_unexplained_words_is_not_flagged():
    # A paraphrase: several words have no dictionary counterpart, so none is singled out.
    assert s011("The fresh gleeful claims were hastily rejected, the ministry said on Saturday.", _DE_SRC) == []


def test_silent_without_a_dictionary_for_the_pair(monkeypatch):
    from mtcheck import wordlinks

    monkeypatch.setattr(wordlinks, "table", lambda lang: None)
    assert s011("The new gleeful demands could not be fulfilled, the ministry said on Saturday.", _DE_SRC) == []
    # A pair with no table at all (Dutch) stays silent too.
    assert s011("The new gleeful demands could not be met, the ministry said.",
                "De nieuwe eisen konden niet worden ingewilligd, zei het ministerie.", lang="nl") == []


def test_word_links_table_loads_fast_and_links_both_ways():
    import time

    from mtcheck import wordlinks

    wordlinks.table.cache_clear()
    t0 = time.perf_counter()
    assert wordlinks.available("de")
    assert time.perf_counter() - t0 < 1.0  # ~0.1 s here; generous for a loaded CI machine
    assert wordlinks.explained_by("de", "demands", frozenset({"die", "forderungen"})) == "forderungen"
    assert wordlinks.explained_by("de", "ministry", frozenset({"wirtschaftsministerium"}))
    assert wordlinks.english_forms("suddenly")[:2] == ("suddenly", "sudden")
