"""U family: untranslated source language (issue 4)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from mtcheck import api, lexicon, srclang
from mtcheck.api import make_context
from mtcheck.checks import untranslated
from mtcheck.readers import read_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "geneva_es-en_mt.txt"


def u(text: str, source: str | None = None, target: str = "en", codes=("U",)):
    return api.check(text, target_lang=target, source_lang=source, select=list(codes))


def flagged_texts(text: str, source: str | None = None, target: str = "en", code: str = "U001") -> list[str]:
    return [f.text for f in u(text, source, target) if f.code == code]


# -- the issue's examples, both ways, per language pair --------------------------------------

ISSUE_FLAGS = [
    # (text, source, target, the span that must be flagged)
    ("A summit between Joe Biden Y Vladimir Putin was not ruled out.", "es", "en", "Y"),
    ("Talks between Macron et Meloni ended without agreement.", "fr", "en", "et"),
    ("Merz und Starmer agreed on a joint statement.", "de", "en", "und"),
    ("Talks between Lula e Xi lasted two hours.", "pt", "en", "e"),
    ("The leaders del G7 met in Hiroshima.", "es", "en", "del"),
    ("El primer ministro arrived in Rome on Monday.", "es", "en", "El primer ministro"),
    ("The ministra said the plan would go ahead.", "es", "en", "ministra"),
    ("La reunión between los dos líderes duró dos horas.", "en", "es", "between"),
    ("La réunion between les deux dirigeants a duré deux heures.", "en", "fr", "between"),
    ("Talks between Renzi e Macron ended late.", "it", "en", "e"),
]


@pytest.mark.parametrize("text,source,target,span", ISSUE_FLAGS)
def test_issue_examples_flag(text, source, target, span):
    assert span in flagged_texts(text, source, target)


@pytest.mark.parametrize("text,source,target,span", ISSUE_FLAGS)
def test_issue_examples_flag_without_source_language(text, source, target, span):
    assert span in flagged_texts(text, None, target)


ISSUE_SILENT = [
    ("Simone de Beauvoir wrote The Second Sex.", "fr", "en"),
    ("The ceremony took place at the Palacio de la Moneda.", "es", "en"),
    ("He flew from Las Vegas to La Paz on Friday.", "es", "en"),
    ("The interview appeared in Le Figaro and Der Spiegel.", "fr", "en"),
    ("The interview appeared in Der Spiegel on Saturday.", "de", "en"),
    ("The exhibition on Leonardo da Vinci opened in Milan.", "it", "en"),
    ("The coach, Mark van Bommel, was sacked.", "de", "en"),
    ("Ursula von der Leyen spoke in Brussels.", "de", "en"),
    ("He was president de jure but not de facto.", "es", "en"),
    ("The law is not illegal per se, the court said.", "fr", "en"),
    ("The study by Smith et al. was published in 2020.", "fr", "en"),
    ("Critics called it a coup d'état and a fait accompli.", "fr", "en"),
    ("Its position vis-à-vis Russia has hardened.", "fr", "en"),
    ("The fiesta went on until dawn.", "es", "en"),
    ("The UN, NATO and the EU condemned the attack.", "es", "en"),
    ("President Luiz Inácio Lula da Silva spoke at the Palácio do Planalto.", "pt", "en"),
    ("Prime Minister Giorgia Meloni of Fratelli d'Italia met the press.", "it", "en"),
    ("The Assemblée nationale rejected the motion.", "fr", "en"),
    ("Argentina's Juntos por el Cambio coalition won in Buenos Aires.", "es", "en"),
    ("El show de marketing atrajo a miles de fans.", "en", "es"),
    ("Le week-end de shopping a attiré des milliers de fans.", "en", "fr"),
    ("El secretario dijo a The New York Times que la reunión fue franca.", "en", "es"),
    ("Ortega y Gasset and Ramón y Cajal are buried in Madrid.", "es", "en"),
]


@pytest.mark.parametrize("text,source,target", ISSUE_SILENT)
def test_issue_examples_silent(text, source, target):
    assert [f for f in u(text, source, target) if f.severity != "info"] == []


@pytest.mark.parametrize("text,source,target", ISSUE_SILENT)
def test_issue_examples_silent_without_source_language(text, source, target):
    assert [f for f in u(text, None, target) if f.severity != "info"] == []


# -- name particles and conjunctions ------------------------------------------------------------


def test_conjunction_between_names_is_a_safe_fix_and_names_the_language():
    (f,) = u("Blinken did not rule out a summit between Joe Biden Y Vladimir Putin.", "es")
    assert f.code == "U001" and f.text == "Y"
    assert f.message == "Spanish 'Y' (and) left in English text."
    assert [(s.replacement, s.applicability) for s in f.suggestions] == [("and", "safe")]


def test_particle_before_an_acronym_is_not_a_name_particle():
    (f,) = u("The leaders del G7 met in Hiroshima.", "es")
    assert f.text == "del" and f.suggestions[0].replacement == "of the"
    assert f.suggestions[0].applicability == "unsafe"


def test_source_language_institution_name_keeps_its_conjunction():
    assert u("The researcher of the foundation Wissenschaft und Politik spoke.", "de") == []


def test_initials_are_not_conjunctions():
    assert u("The firm was founded by John Y Smith in 1990.", "es") == []


# -- sentences and quotations ---------------------------------------------------------------------


def test_whole_sentence_is_one_finding():
    text = "The talks lasted two hours. El ministro dijo que la reunión fue muy productiva para ambos países."
    fs = u(text, "es")
    assert [f.code for f in fs] == ["U002"]
    assert fs[0].text.startswith("El ministro") and fs[0].severity == "error"
    assert fs[0].message == "Sentence left in Spanish in English text."


def test_quoted_speech_in_the_source_language_is_info():
    fs = u("“No vamos a negociar bajo presión”, said the minister on Tuesday.", "es")
    assert [(f.code, f.severity) for f in fs] == [("U003", "info")]
    assert fs[0].text == "No vamos a negociar bajo presión"


def test_quoted_title_is_silent():
    assert u("The minister told “Corriere della Sera” the talks were productive.", "it") == []


def test_stray_word_inside_an_english_quote_is_a_word_finding():
    fs = u('"We will never see it acabe," he said.', "es")
    assert [(f.code, f.text) for f in fs] == [("U001", "acabe")]


# -- German capitalised nouns -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,span",
    [
        ("Heil said that a strict law came into force for the Fleisch industry in 2017.", "Fleisch"),
        ("Green started again in 1996 with a Gruppe of musician friends.", "Gruppe"),
        ("According to the United Nationen, Bangladesh is hard hit.", "Nationen"),
        ("Bisher, more than 272,000 infections have been registered in Spain.", "Bisher"),
    ],
)
def test_german_nouns_left_in_english(text, span):
    assert span in flagged_texts(text, "de")


@pytest.mark.parametrize(
    "text",
    [
        "Drivers were caught near Kirchheim unter Teck and in Freital.",
        "The city of Freital cancelled the festival.",
        "Borussia Dortmund director Carsten Cramer told “Tagesspiegel” about the plans.",
        "Seehofer’s intention is to strengthen the law.",
        "The boom in floating hotels on the Rhein and Mosel continues.",
        "The woman was on the Bundesstraße 83 on her way home.",
    ],
)
def test_german_names_stay_silent(text):
    assert u(text, "de") == []


# -- offsets, determinism, source inference ---------------------------------------------------------


def test_offsets_point_at_the_word():
    text = "Intro line.\n\nThe two men agreed: a summit between Joe Biden Y Vladimir Putin, según the ministry."
    doc = read_text(text, "<s>", None)
    fs = api.check_document(doc, target_lang="en", source_lang="es", select=["U"])
    assert fs
    for f in fs:
        assert doc.text[f.start:f.end] == f.text
    assert {f.text for f in fs} == {"Y", "según"}


def test_output_is_deterministic():
    text = SAMPLE_MIXED
    runs = [[f.to_dict() for f in u(text, None)] for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    assert runs[0]


SAMPLE_MIXED = (
    "Blinken did not rule out a summit between Joe Biden Y Vladimir Putin.\n\n"
    "Los dos ministros se reunieron en Ginebra durante más de una hora.\n\n"
    "The leaders del G7 will meet again."
)


def test_source_language_is_inferred_from_the_words_and_shared():
    doc = read_text(SAMPLE_MIXED, "<s>", None)
    ctx = make_context(doc, target_lang="en")
    assert srclang.source_language(doc, ctx) == "es"
    assert untranslated.evidence(doc, ctx)["es"] > 0


def test_agency_credit_and_word_evidence_agree():
    doc = read_text("MADRID (EFE) - The talks between Sánchez y Feijóo ended.", "<s>", None)
    ctx = make_context(doc, target_lang="en")
    assert srclang.source_language(doc, ctx) == "es"


def test_clean_english_is_silent_without_a_source_language():
    text = (
        "The meeting lasted an hour and a half. The diplomats will meet next week with a view to continuing "
        "the dialogue. Washington believes a Russian incursion into Ukraine is increasingly likely, with tens of "
        "thousands of troops deployed near its pro-Western neighbour. The fiesta in Pamplona drew crowds."
    )
    assert u(text, None) == []


def test_unsupported_target_language_is_silent():
    assert u("Der Minister sagte, das Treffen sei produktiv gewesen.", "de", target="ja") == []


# -- data ---------------------------------------------------------------------------------------------


def test_frequency_table_loads_fast_and_reads_right():
    lexicon._table.cache_clear()
    lexicon._cache.clear()
    t = time.perf_counter()
    lexicon._table()
    assert time.perf_counter() - t < 1.0  # issue target 0.1 s; generous for loaded CI machines
    assert lexicon.zipf("y", "es") > 7 and lexicon.zipf("y", "en") < 5.5
    assert lexicon.zipf("diámetro", "es") >= 3.5 and lexicon.zipf("diámetro", "en") == 0
    assert lexicon.zipf("Straße", "de") > 5  # case-folded as wordfreq stores it
    assert lexicon.zipf("zzqxjv", "en") == 0


def test_batched_frequency_lookups_read_like_single_ones():
    words = ["y", "diámetro", "Straße", "zzqxjv", "the", "l’homme", "d'", "Ministerio", "école", ""]
    lexicon._cache.clear()
    batched = lexicon.raw_many([lexicon._normalise(w) for w in words])  # it takes normalised words
    lexicon._cache.clear()
    assert batched == [lexicon.raw(w) for w in words]


def test_bilingual_lexicons_parse():
    for pair in ("es-en", "fr-en", "pt-en", "de-en", "it-en", "en-es", "en-fr"):
        src, tgt = pair.split("-")
        lex = lexicon.bilingual(src, tgt)
        assert len(lex) > 50, pair
        assert all(e.translations for e in lex.values()), pair
    assert lexicon.bilingual("es", "en")[("y",)].translations[0] == "and"
    assert "conj" in lexicon.bilingual("de", "en")[("und",)].tags


# -- the seed story -------------------------------------------------------------------------------------


def test_seed_story():
    if not SEED.is_file():
        pytest.skip("../shared/seed is not beside the repository")
    fs = api.check_path(str(SEED), select=["U"], target_lang="en").findings
    warn = [f for f in fs if f.severity != "info"]
    assert [(f.code, f.text) for f in warn] == [("U001", "Y")]
    assert [(s.replacement, s.applicability) for s in warn[0].suggestions] == [("and", "safe")]


def test_conjunction_between_two_surnames_after_between():
    from mtcheck import api

    found = api.check("Blinken did not rule out a summit between Biden Y Putin in the spring.", target_lang="en")
    assert [(f.code, f.text, f.suggestions[0].replacement, f.suggestions[0].applicability) for f in found
            if f.code == "U001"] == [("U001", "Y", "and", "safe")]
    assert not [f for f in api.check("Harry S Truman met John Y Smith in Washington.", target_lang="en")
                if f.code.startswith("U")]
