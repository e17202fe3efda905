"""P family (punctuation and typography): rule examples, the seed story, quotes
across paragraphs, French spacing, offsets and fixes."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from mtcheck.checks import punctuation
from mtcheck.context import Context
from mtcheck.readers import read_text

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "geneva_es-en_mt.txt"
SERIOUS = ("warning", "error")


def run(text: str, lang: str = "en"):
    doc = read_text(text, "story.txt")
    return doc, list(punctuation.check(doc, Context(target_lang=lang)))


def spans(text: str, lang: str = "en", *, code: str | None = None, serious: bool = False):
    doc, findings = run(text, lang)
    return [(f.code, doc.text[f.start:f.end]) for f in findings
            if (code is None or f.code == code) and (not serious or f.severity in SERIOUS)]


def apply_first_safe(text: str, finding) -> str:
    repl = next(s.replacement for s in finding.suggestions if s.applicability == "safe")
    return text[:finding.start] + repl + text[finding.end:]


# -- the registry ----------------------------------------------------------------

EXAMPLES = [
    pytest.param(rule, ex, id=f"{rule.code}-{'flag' if ex.flags else 'ok'}-{i}")
    for rule in punctuation.RULES
    for i, ex in enumerate(rule.examples)
]


@pytest.mark.parametrize("rule,example", EXAMPLES)
def test_rule_examples(rule, example):
    doc = read_text(example.text, "example.txt")
    codes = [f.code for f in punctuation.check(doc, Context(target_lang=example.target_lang))]
    if example.flags:
        assert rule.code in codes, f"{rule.code} should flag {example.text!r}"
    else:
        assert rule.code not in codes, f"{rule.code} should not flag {example.text!r}"


def test_rules_are_the_p_family_with_two_examples_of_each_kind():
    codes = [r.code for r in punctuation.RULES]
    assert codes == [f"P{i:03d}" for i in range(1, 12)]
    for rule in punctuation.RULES:
        assert rule.name == rule.name.lower() and " " not in rule.name
        assert sum(e.flags for e in rule.examples) >= 2, rule.code
        assert sum(not e.flags for e in rule.examples) >= 2, rule.code


def test_findings_carry_the_rule_and_stay_inside_the_text():
    text = "So far , the the talks in BogotÃ¡ (NATO went on ."
    doc, findings = run(text)
    assert {f.code for f in findings} >= {"P002", "P006", "P007", "P011"}
    for f in findings:
        assert 0 <= f.start < f.end <= len(doc.text)
        assert f.name == next(r.name for r in punctuation.RULES if r.code == f.code)
        assert f.message.endswith(".")


# -- the seed story --------------------------------------------------------------


@pytest.fixture
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip("../shared/seed is not beside the repository")
    return SEED.read_text(encoding="utf-8")


def test_seed_flags_exactly_the_known_problems(seed_text):
    doc, findings = run(seed_text)
    serious = [f for f in findings if f.severity in SERIOUS]
    got = {(f.code, doc.text[f.start:f.end], doc.text[f.end:f.end + 12]) for f in serious}
    assert got == {
        ("P004", "U.S", " promised a "),          # U.S promised
        ("P001", "“", "the calm the"),            # so that “the calm the emotions.
        ("P003", "“", "said the dip"),            # Romania “said the diplomatic entity.
        ("P005", "proposes", "\n\nIn an unpr"),   # ... the binding document what it proposes
    }, got


def test_seed_suggestions(seed_text):
    doc, findings = run(seed_text)
    by_code = {f.code: f for f in findings if f.severity in SERIOUS}
    us = by_code["P004"]
    assert doc.text[us.start:us.end] == "U.S"
    # The story writes "US" elsewhere: that style first, the dotted form also safe.
    assert [(s.replacement, s.applicability) for s in us.suggestions] == [("US", "safe"), ("U.S.", "safe")]
    quote = by_code["P003"]
    assert [(s.replacement, s.applicability) for s in quote.suggestions] == [("”", "safe")]
    assert by_code["P001"].suggestions == ()


# -- quotes ------------------------------------------------------------------------


def test_quotation_running_over_paragraphs_is_not_an_error():
    text = ("“The first paragraph of the statement runs on without a closing quote.\n\n"
            "“The second paragraph carries on and finally closes it,” the minister said.")
    assert spans(text, code="P001") == []


def test_sentence_split_over_two_lines_pairs_its_quotes():
    text = ("“Especially the hygiene conditions at the work place must be checked.\n\n"
            "And that obviously did not happen.”")
    assert spans(text, code="P001") == []


def test_quotation_split_with_quote_free_paragraphs_between():
    text = ("“Funding does not come easily to us at the current time.\n\n"
            "We are examining every option open to us.\n\n"
            "We will meet our statutory remit,” said the chairman.")
    assert spans(text, code="P001") == []


def test_a_caption_between_paragraphs_ends_the_quotation():
    text = ("He said the talks were needed so that “the calm the emotions.\n\n"
            "Russian servicemen in position. Photo: Handout / AFP\n\n"
            "“It is about the withdrawal of foreign forces,” said the ministry.")
    assert spans(text, code="P001") == [("P001", "“")]


def test_next_paragraph_without_opening_quote_does_not_continue_it():
    text = ("“We agreed that we will be presented with written responses, said Lavrov.\n\n"
            "The meeting lasted an hour and a half.\n\n"
            "Russia came to the table without wanting to give in.\n\n"
            "Washington believes an incursion is increasingly likely.\n\n"
            "Blinken did not rule out a summit.")
    assert spans(text, code="P001", serious=True) == [("P001", "“")]


def test_apostrophes_are_not_closing_quotes():
    text = "“Russia’s demands would create first-class members,” the players’ union said of ‘Moscow’s’ plan."
    assert spans(text, code="P001") == []
    assert spans(text, code="P003") == []


def test_misdirected_quotes_offsets_and_fix():
    text = "Blinken called the meeting ”frank and substantial” on Friday."
    doc, findings = run(text)
    (f,) = [f for f in findings if f.code == "P003"]
    assert (f.start, f.end) == (27, 28) and doc.text[f.start:f.end] == "”"
    assert apply_first_safe(text, f) == "Blinken called the meeting “frank and substantial” on Friday."


def test_orphan_closing_quote_after_a_quotation_is_only_info():
    text = "The best news is that it is stable,” the president of the island council said."
    doc, findings = run(text)
    (f,) = [f for f in findings if f.code == "P001"]
    assert f.severity == "info"
    text = "The ministry called the new demands” impossible to meet."
    assert [f.severity for f in run(text)[1] if f.code == "P001"] == ["warning"]


def test_german_quotes_and_reversed_guillemets():
    text = "The chancellor spoke of „real progress“ and of »Smart Stone« lamps."
    doc, findings = run(text)
    fixes = [(doc.text[f.start:f.end], f.suggestions[0].replacement) for f in findings if f.code == "P009"]
    assert fixes == [("„", "“"), ("“", "”"), ("»", "“"), ("«", "”")]
    assert not [f for f in findings if f.code in ("P001", "P003")]


# -- French and Spanish --------------------------------------------------------------


def test_french_spacing_is_correct_french():
    text = "Le ministre a-t-il raison ? Il a répondu : « Non » ; puis il est parti !"
    assert spans(text, "fr") == []


def test_french_still_flags_space_before_comma_and_period():
    assert spans("Le ministre , lui, est parti .", "fr", code="P007") == [("P007", " ,"), ("P007", " .")]


def test_french_spacing_in_english_is_flagged():
    text = "The minister asked\u00a0: who will pay\u00a0?"
    found = spans(text, code="P007")
    assert found == [("P007", "\u00a0:"), ("P007", "\u00a0?")]
    doc, findings = run(text)
    assert "French-style" in findings[0].message


def test_guillemets_and_inverted_marks_belong_to_spanish():
    assert spans("El ministro habló de «progresos». ¿Quién pagará? ¡Nadie!", "es") == []
    assert spans("The minister spoke of «progress». ¿Who will pay?", "en", code="P009") == [
        ("P009", "«"), ("P009", "»"), ("P009", "¿")]


def test_spanish_number_formats_follow_the_story():
    mixed = "La inflación fue de 1.5 por ciento y llegaron 25.000 turistas, con un alza de 3,7 %."
    assert [f.severity for f in run(mixed, "es")[1] if f.code == "P010"] == ["warning"]
    regional = "La inflación fue de 1.5 por ciento y llegaron 25,000 turistas."
    assert [f.severity for f in run(regional, "es")[1] if f.code == "P010"] == ["info", "info"]


# -- the other rules ---------------------------------------------------------------------


@pytest.mark.parametrize("text,flagged,fixed", [
    ("Deaths were registered in Spain Spain.", "Spain Spain", "Deaths were registered in Spain."),
    ("It is the flagship of the parks (SANParks) (SANParks).", "(SANParks) (SANParks)",
     "It is the flagship of the parks (SANParks)."),
    ("The law came into force in 2017 2017.", "2017 2017", "The law came into force in 2017."),
])
def test_doubled_word_offsets_and_fix(text, flagged, fixed):
    doc, findings = run(text)
    (f,) = [f for f in findings if f.code == "P006"]
    assert doc.text[f.start:f.end] == flagged
    assert apply_first_safe(text, f) == fixed


@pytest.mark.parametrize("text", [
    "The scores were 1 1 2 3 in the four rounds.",
    "He took care of two daughters (3 1/2 and 1 1/2 years old).",
    "Lo paso justo por encima de la la… del borde.",
    "It went to a tie break at 6-6 6-6 in the final set.",
    "He had had enough.\n\nEnough was said.",
])
def test_doubled_word_leaves_legitimate_repeats(text):
    assert spans(text, code="P006") == []


def test_tokenized_text_offsets_and_fixes():
    text = "Prime Minister Markus Söder ( CSU ) said they do n't know ."
    doc, findings = run(text)
    got = [(doc.text[f.start:f.end], f.suggestions[0].replacement) for f in findings if f.code == "P007"]
    assert got == [("( ", "("), (" )", ")"), (" n't", "n't"), (" .", ".")]
    for f in sorted((f for f in findings if f.code == "P007"), key=lambda f: -f.start):
        text = apply_first_safe(text, f)
    assert text == "Prime Minister Markus Söder (CSU) said they don't know."


def test_spaced_straight_quotes_are_tokenized():
    found = spans('Authorities expect a slowdown as " Hanna " moves inland.', code="P007")
    assert found == [("P007", '" '), ("P007", ' "')]


def test_missing_terminal_punctuation_in_one_block_document():
    text = "The Ministry of Economy announced on Saturday that the new demands could not be met"
    doc, findings = run(text)
    (f,) = [f for f in findings if f.code == "P005"]
    assert doc.text[f.start:f.end] == "met" and f.severity == "warning"
    assert apply_first_safe(text, f) == text + "."


def test_headlines_captions_and_signatures_need_no_period():
    text = ("Baltic states to send anti-tank missiles to Ukraine\n\n"
            "Estonia, Latvia and Lithuania said on Friday they would send missiles.\n\n"
            "Russian servicemen in position. Photo: Handout / AFP\n\n"
            "*With information from EFE and AFP")
    assert spans(text, code="P005") == []


def test_paragraph_ending_in_a_quote_without_period():
    text = 'He said the foam had fallen "after the time of our concern"'
    doc, findings = run(text)
    (f,) = [f for f in findings if f.code == "P005"]
    assert doc.text[f.start:f.end] == '"' and f.severity == "warning"


def test_abbreviation_follows_the_story_style():
    text = "The U.S. envoy arrived. Later the U.S promised aid."
    doc, findings = run(text)
    (f,) = [f for f in findings if f.code == "P004"]
    assert doc.text[f.start:f.end] == "U.S"
    assert [(s.replacement, s.applicability) for s in f.suggestions] == [("U.S.", "safe")]
    assert spans("The US envoy met the U.S. and U.K. delegations.", code="P004") == []


def test_repeated_spaces():
    assert spans("An  hour.  Then more.", code="P008") == [("P008", "  "), ("P008", "  ")]
    assert spans("Name    Age    City    Team", code="P008") == []  # a table laid out with spaces
    doc, findings = run("It lasted an hour.  They met again.")
    assert [f.severity for f in findings if f.code == "P008"] == ["info"]


@pytest.mark.parametrize("text,fixed", [
    ("The talks in BogotÃ¡ ended.", "The talks in Bogotá ended."),
    ("He called it â€œfrankâ€\x9d talks.", "He called it “frank” talks."),
    ("The peso fell in SÃƒÂ£o Paulo.", "The peso fell in São Paulo."),
])
def test_mojibake_repair(text, fixed):
    doc, findings = run(text)
    found = sorted((f for f in findings if f.code == "P011"), key=lambda f: -f.start)
    assert found and all(f.suggestions[0].applicability == "safe" for f in found)
    for f in found:
        text = apply_first_safe(text, f)
    assert text == fixed
    assert not [f for f in findings if f.code == "P009"]  # the ¡ in Ã¡ is not Spanish typography


def test_number_formats_in_english():
    text = ("The fund gets 2,4 billion euros, 272.000 infections and 1.200.000 tests were counted, "
            "version 3.500 shipped at 12.30 p.m. and 3.5 percent grew.")
    doc, findings = run(text)
    got = [(doc.text[f.start:f.end], f.suggestions[0].replacement, f.suggestions[0].applicability)
           for f in findings if f.code == "P010"]
    assert got == [("2,4", "2.4", "safe"), ("272.000", "272,000", "unsafe"), ("1.200.000", "1,200,000", "safe")]


def test_check_is_repeatable_and_fast():
    if not SEED.is_file():
        pytest.skip("../shared/seed is not beside the repository")
    text = SEED.read_text(encoding="utf-8") * 20
    doc = read_text(text, "big.txt")
    ctx = Context()
    first = list(punctuation.check(doc, ctx))
    t0 = time.perf_counter()
    second = list(punctuation.check(doc, ctx))
    elapsed = time.perf_counter() - t0
    assert first == second
    # Generous: the family runs at several hundred thousand words a second.
    assert doc.word_count / elapsed > 30_000


def test_spaces_before_marks_are_the_forward_matches():
    """The reversed-text search finds what a forward search for blanks before a mark finds."""
    import random
    import re

    forward = re.compile(rf"{punctuation._HS}(?=[,.;:!?)\]}}%])")
    rnd = random.Random(7)
    alphabet = " \t\u00a0\u202f\u2009,.;:!?)]}%a(\n"
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        assert punctuation._spaces_before_marks(text) == [m.span() for m in forward.finditer(text)], repr(text)
