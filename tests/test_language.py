"""Whole-text language identification: a function-word vote first, seeded langdetect otherwise."""
from __future__ import annotations

from mtcheck import language

EN = ("The minister said on Friday that the talks with the delegation were useful and that they "
      "will continue next week. It was the first meeting of the two sides since the war began, and "
      "the talks are expected to be long. The government has said that it would not accept a deal "
      "that is not fair to its people, and the opposition was critical of the plan. ") * 2
ES = ("El ministro dijo el viernes que las conversaciones con la delegación fueron útiles y que "
      "continuarán la próxima semana. Fue la primera reunión de las dos partes desde el inicio de la "
      "guerra, y se espera que las negociaciones sean largas según el Gobierno, que también ha dicho "
      "que no aceptará un acuerdo que no sea justo para su pueblo. ") * 2


def test_vote_decides_clear_stories():
    assert language.quick_vote(EN) == "en"
    assert language.quick_vote(ES) == "es"


def test_vote_abstains_on_short_or_mixed_text():
    assert language.quick_vote("Joe Biden Y Vladimir Putin met in Geneva.") is None
    assert language.quick_vote(EN[:300] + ES[:300]) is None


def test_detect_agrees_with_langdetect_and_is_deterministic():
    for text, lang in ((EN, "en"), (ES, "es")):
        probs = language.probabilities(text, language.SUPPORTED)
        assert probs[0][0] == lang
        assert language.detect(text) == lang
    short = "El encuentro duró una hora y media."
    assert language.detect(short) == language.detect(short) == "es"
    assert language.detect("") == "en"
