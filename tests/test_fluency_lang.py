"""F (fluency) on Spanish and French target text, with the shipped es/fr piece models."""
from __future__ import annotations

import pytest

from mtcheck import api, lm
from mtcheck.checks import fluency
from mtcheck.lm.edits import function_words

LANGS = ("es", "fr")


def needs(lang: str):
    return pytest.mark.skipif(lm.default_files(lang) is None, reason=f"no default {lang} model")


def f_findings(text: str, lang: str):
    return api.check(text, target_lang=lang, source_lang="en", select=["F"])


# (natural sentence, the same with two adjacent words swapped)
NATURAL = {
    "es": ("El gobierno anunció ayer un nuevo plan para reducir el desempleo en el país.",
           "El gobierno anunció ayer un nuevo plan para el reducir desempleo en el país."),
    "fr": ("Le gouvernement a présenté hier un nouveau plan pour réduire le chômage dans le pays.",
           "Le gouvernement a présenté hier un nouveau plan pour le réduire chômage dans le pays."),
}
# a constructed MT-like error F must flag, and where
FLAGGED = {
    "es": ("Los ministros se reunieron en Bruselas y firmaron un acuerdo sobre los precios de la la la la energía.",
           "la la la la"),
    "fr": ("Les ministres se sont réunis à Bruxelles et ont signé un accord sur les prix de le le le le énergie.",
           "le le le le"),
}
# two words swapped (the models know technical prose best: see corpora/README.md)
SWAPPED = {
    "es": ("Esta opción permite al usuario cambiar configuración la de la red sin reiniciar el sistema.",
           "configuración la", "la configuración"),
    "fr": ("L'utilisateur peut choisir langue la de l'installation sur l'écran d'accueil du système.",
           "langue la", "la langue"),
}
CLEAN = {
    "es": ("Esta opción permite al usuario cambiar la configuración de la red sin reiniciar el sistema. "
           "El presidente dijo que el acuerdo será firmado la próxima semana en Madrid. "
           "Los trabajadores habían llegado a Europa y a Asia antes de la crisis, según el ministerio."),
    "fr": ("L'utilisateur peut choisir la langue de l'installation sur l'écran d'accueil du système. "
           "Le président a déclaré que l'accord sera signé la semaine prochaine à Paris. "
           "Les salariés étaient arrivés en Europe avant la crise, selon le ministère du Travail."),
}


@pytest.mark.parametrize("lang", LANGS)
def test_model_loads(lang):
    if lm.default_files(lang) is None:
        pytest.skip(f"no default {lang} model")
    m = lm.default_model(lang)
    assert m is not None and m.lang == lang
    assert 5000 <= m.tokeniser.vocab_size <= 8000
    assert m.meta["lang"] == lang and m.meta["sources"]
    assert lm.word_model(lang) is None  # no word-bigram table: the piece gain alone decides


@pytest.mark.parametrize("lang", LANGS)
def test_natural_beats_swapped(lang):
    if lm.default_files(lang) is None:
        pytest.skip(f"no default {lang} model")
    good, bad = NATURAL[lang]
    m = lm.default_model(lang)
    assert m.logprob(good) > m.logprob(bad) + 3.0


@pytest.mark.parametrize("lang", LANGS)
def test_flags_constructed_errors(lang):
    if lm.default_files(lang) is None:
        pytest.skip(f"no default {lang} model")
    text, span = FLAGGED[lang]
    fs = f_findings(text, lang)
    assert [f.code for f in fs] == ["F001"]
    assert span in fs[0].text and fs[0].suggestions[0].applicability == "unsafe"
    text, span, rewrite = SWAPPED[lang]
    fs = f_findings(text, lang)
    assert [(f.code, f.text, f.suggestions[0].replacement) for f in fs] == [("F001", span, rewrite)]


@pytest.mark.parametrize("lang", LANGS)
def test_quiet_on_clean(lang):
    if lm.default_files(lang) is None:
        pytest.skip(f"no default {lang} model")
    assert f_findings(CLEAN[lang], lang) == []
    assert f_findings(NATURAL[lang][0], lang) == []


@needs("es")
def test_spanish_gets_no_english_article_edits():
    # Spanish "a" is a preposition: "a"/"an" edits are English only.
    assert all(f.to_dict()["suggestions"][0]["replacement"] != "an"
               for f in f_findings("Viajó a Europa, a Asia y a Oceanía en un año.", "es"))


def test_function_classes():
    es, fr = function_words("es"), function_words("fr")
    assert "la" in es["el"] and "por" in es["de"] and "o" in es["y"]
    assert "la" in fr["le"] and "à" in fr["de"] and "ou" in fr["et"]
    assert "el" not in fr and "der" not in es
    # replaced only within articles, prepositions, conjunctions and pronouns
    choose = fluency._class_chooser("es")
    assert choose([(["habían"], 0, es["habían"])]) == [()]
    assert "la" in choose([(["el"], 0, es["el"])])[0]
