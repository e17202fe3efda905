"""The token-pattern matcher behind corpora/rules/: syntax, classes, runs, captures, templates, offsets."""
from __future__ import annotations

import pytest

from mtcheck import patterns as P
from mtcheck.patterns import ClassTable, Entry, Matcher, PatternError, TokenView, compile_pattern, gerund, render

TABLE = ClassTable.from_data(
    {
        "WEEKDAY": {"words": ["Monday", "Friday"]},
        "TITLE": {"words": ["president", "minister"]},
        "PAST": {"case": "lower", "suffixes": ["ed"], "min_len": 4, "words": ["was", "met"], "exclude": ["need"]},
        "PAST_EVENT": {"include": ["PAST"], "case": "lower", "exclude": ["scheduled"]},
        "ORG": {"case": "exact", "words": ["NATO", "Nato"]},
        "CAPWORD": {"case": "cap", "words": ["geneva"]},
        "NAME_STOP": {"words": ["The", "Friday", "President"]},
        "NAME_PARTICLE": {"words": ["da", "de"]},
    }
)


def spans(pattern: str, text: str, table: ClassTable = TABLE) -> list[str]:
    """The flagged texts of every match of ``pattern`` in ``text``."""
    v = TokenView.from_text(text)
    pat = compile_pattern(pattern, table)
    return [text[v.starts[m.flag_start]:v.ends[m.flag_end - 1]] for m in pat.search(v)]


# -- literals, alternatives, quantifiers -------------------------------------------------


def test_a_group_match_leaves_no_cyclic_garbage():
    """Matching a group frees everything it made by reference counting (no function that
    refers to itself), so a story's matches never wait for the cyclic garbage collector."""
    import gc

    gc.collect()
    gc.disable()
    try:
        assert spans("( in the frame | as part ) of", "as part of it, in the frame of it") == ["as part of", "in the frame of"]
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_lower_case_literal_matches_any_case():
    assert spans("the truth", "The truth is. THE TRUTH. the truth") == ["The truth", "THE TRUTH", "the truth"]


def test_capitalised_or_equals_literal_is_exact_case():
    assert spans("NATO", "NATO and Nato and nato") == ["NATO"]
    assert spans("=president", "President and president") == ["president"]


def test_token_alternatives_and_optional_items():
    assert spans("its|their wife", "its wife, their wife, his wife") == ["its wife", "their wife"]
    assert spans("its late? wife", "its wife and its late wife") == ["its wife", "its late wife"]


def test_bounded_repetition_and_negation():
    assert spans("was !and|but{0,3} there", "It was all over there. It was and there.") == ["was all over there"]
    with pytest.raises(PatternError):
        compile_pattern("a{1,30}", TABLE)


def test_groups_with_sequence_alternatives():
    assert spans("( in the frame | as part ) of", "as part of it, in the frame of it") == ["as part of", "in the frame of"]


def test_escaped_syntax_characters_are_literals():
    assert spans(r"\( Photo", "Lavrov (Photo: EFE)") == ["(Photo"]
    assert spans(r"what \?", "So what?") == ["what?"]


def test_sentence_anchors():
    assert spans("^ The truth", "The truth hurts. And the truth is out.") == ["The truth"]
    assert spans("the end $", "This is the end.") == ["the end"]
    assert spans("the end $", "Not the end of it.") == []
    # "$" allows closing punctuation after it.
    assert spans("the end $", "This is “the end.”") == ["the end"]


# -- classes ---------------------------------------------------------------------------------


def test_class_words_suffixes_exclusions_and_includes():
    assert spans("@PAST this", "They rejected this, met this, need this, Rejected this") == ["rejected this", "met this"]
    assert spans("@PAST_EVENT this", "scheduled this, announced this") == ["announced this"]


def test_class_exclude_can_name_another_class():
    table = ClassTable.from_data({"STOP": {"words": ["Hotel"]}, "FIRST": {"case": "cap", "suffixes": [""], "exclude": ["@STOP"]}})
    assert spans("@FIRST x", "Joe x, Hotel x, joe x", table) == ["Joe x"]


def test_class_case_modes():
    assert spans("@ORG", "NATO, Nato, nato") == ["NATO", "Nato"]
    assert spans("@CAPWORD", "Geneva, geneva") == ["Geneva"]


def test_builtin_classes():
    assert spans("@UPPER @PUNCT", "INTERNATIONAL , writing .") == ["INTERNATIONAL ,"]
    assert spans("the @CAP", "the Hague and the hague") == ["the Hague"]


def test_unknown_class_and_shadowing_are_errors():
    with pytest.raises(PatternError):
        compile_pattern("@NOPE", TABLE)
    with pytest.raises(PatternError):
        ClassTable.from_data({"NAME": {"words": ["x"]}})
    with pytest.raises(PatternError):
        ClassTable.from_data({"A": {"include": ["A"]}})


# -- runs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,name",
    [
        ("the president Joe Biden said", "Joe Biden"),
        ("the president John F. Kennedy said", "John F. Kennedy"),
        ("the president Luiz Inácio Lula da Silva said", "Luiz Inácio Lula da Silva"),
        ("the president Biden Friday said", "Biden"),
    ],
)
def test_name_run_is_maximal(text, name):
    v = TokenView.from_text(text)
    m = next(compile_pattern("the @TITLE n:@NAME", TABLE).search(v))
    a, b = m.captures["n"]
    assert text[v.starts[a]:v.ends[b - 1]] == name


def test_name_run_needs_a_capitalised_word_not_in_name_stop():
    assert spans("the @TITLE @NAME", "the president said") == []
    assert spans("the @TITLE @NAME", "the president Friday") == []


def test_num_run_takes_separators():
    v = TokenView.from_text("a 3,000.5 % of it")
    m = next(compile_pattern("a n:@NUM % of", TABLE).search(v))
    a, b = m.captures["n"]
    assert "a 3,000.5 % of it"[v.starts[a]:v.ends[b - 1]] == "3,000.5"


def test_runs_may_alternate_with_words_but_not_be_negated():
    assert spans("( @NUM | 1er ) mars", "le 5 mars et le 1er mars") == ["5 mars", "1er mars"]
    assert spans("@NUM|1er mars", "le 5 mars et le 1er mars") == ["5 mars", "1er mars"]
    with pytest.raises(PatternError):
        compile_pattern("!@NAME", TABLE)


# -- captures, flagged spans, offsets -----------------------------------------------------


def test_flagged_span_excludes_context_and_offsets_are_exact():
    text = "NATO rejected this Friday the demand."
    v = TokenView.from_text(text)
    m = next(compile_pattern("@PAST [this d:@WEEKDAY]", TABLE).search(v))
    start, end = v.starts[m.flag_start], v.ends[m.flag_end - 1]
    assert (start, end) == (14, 25) and text[start:end] == "this Friday"
    assert m.captures["d"] == (m.flag_end - 1, m.flag_end)


def test_capture_of_a_group_and_of_an_absent_optional():
    v = TokenView.from_text("the foreign minister Sergei Lavrov")
    pat = compile_pattern("[the t:( foreign? @TITLE ) n:@NAME x:ok?]", TABLE)
    m = next(pat.search(v))
    assert m.captures["t"] == (1, 3)
    assert "x" not in m.captures
    assert pat.captures == {"t", "n", "x"}


def test_marks_must_pair_at_top_level():
    with pytest.raises(PatternError):
        compile_pattern("[the end", TABLE)
    with pytest.raises(PatternError):
        compile_pattern("the ) end", TABLE)
    with pytest.raises(PatternError):
        compile_pattern("( a | b", TABLE)


# -- the indexed multi-pattern matcher ----------------------------------------------------


def _run(entries, text):
    v = TokenView.from_text(text)
    return [(e.key, text[v.starts[m.flag_start]:v.ends[m.flag_end - 1]]) for e, m in Matcher(entries).run(v, lambda i: (0, v.n))]


def test_matcher_runs_many_patterns_and_respects_lookarounds():
    entries = [
        Entry("A", compile_pattern("[the org:@ORG]", TABLE), not_after=(compile_pattern("summit", TABLE),)),
        Entry("B", compile_pattern("[assured] that", TABLE), not_before=(compile_pattern("was|rest", TABLE),)),
    ]
    text = "He assured that the NATO would act; rest assured that the NATO summit opens; she was assured that"
    assert _run(entries, text) == [("A", "the NATO"), ("B", "assured")]


def test_matcher_needs_an_anchor():
    with pytest.raises(PatternError):
        Matcher([Entry("X", compile_pattern("@NAME @CAP", TABLE))])


def test_anchor_prefers_rare_words_and_group_first_sets():
    pat = compile_pattern(", [what] caused", TABLE)
    assert pat.anchor == frozenset({"what"})  # not the comma
    pat = compile_pattern("[a n:@NUM] ( % | percent | per cent ) of", TABLE)
    assert pat.anchor == frozenset({"%", "percent", "per"})
    assert pat.anchor_offsets == (2, P.NUM_RUN_MAX + 1)


def test_matches_stay_inside_the_sentence_bounds():
    text = "He met the president. Joe Biden left."
    v = TokenView.from_text(text)
    entry = Entry("A", compile_pattern("the @TITLE @NAME", TABLE))
    # The whole text as one sentence: "Joe Biden" is after a period, not adjacent; no match either way.
    assert list(Matcher([entry]).run(v, lambda i: (0, v.n))) == []
    text = "He met the president Joe Biden"
    v = TokenView.from_text(text)
    assert len(list(Matcher([entry]).run(v, lambda i: (0, 4)))) == 0  # sentence cut before the name
    assert len(list(Matcher([entry]).run(v, lambda i: (0, v.n)))) == 1


def test_matches_of_one_pattern_do_not_overlap():
    assert _run([Entry("A", compile_pattern("the the", TABLE))], "the the the the") == [("A", "the the"), ("A", "the the")]


# -- templates --------------------------------------------------------------------------------


def test_render_transforms():
    vals = {"t": "secretary of state", "n": "Antony Blinken", "v": "assisted", "x": "MEET"}
    assert render("{t|title} {n}", vals) == "Secretary of State Antony Blinken"
    assert render("{v|sub:assist:attend}", vals) == "attended"
    assert render("{x|lower|ing}", vals) == "meeting"
    assert render("{{literal}} {n|upper}", vals) == "{literal} ANTONY BLINKEN"
    assert render("{v|sub:Assist:Help}", {"v": "Assisted"}) == "Helped"
    assert render("{missing} x", vals) == " x"


def test_template_checks():
    P.check_template("{a|cap} {0}", {"a"})
    with pytest.raises(PatternError):
        P.check_template("{b}", {"a"})
    with pytest.raises(PatternError):
        P.check_template("{a|shout}", {"a"})
    with pytest.raises(PatternError):
        P.check_template("{a", {"a"})


@pytest.mark.parametrize(
    "verb,ing",
    [("meet", "meeting"), ("sign", "signing"), ("make", "making"), ("stop", "stopping"), ("see", "seeing"),
     ("die", "dying"), ("visit", "visiting"), ("fix", "fixing"), ("be", "being"), ("Meet", "Meeting")],
)
def test_gerund(verb, ing):
    assert gerund(verb) == ing


def test_gerund_exceptions_table():
    assert gerund("admit", {"admit": "admitting"}) == "admitting"
