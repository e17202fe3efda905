"""C family: the rules files, source-language gating, source triggers, and the seed story."""
from __future__ import annotations

import collections
import time
from pathlib import Path

import pytest

from mtcheck import api, srclang
from mtcheck.checks import calques
from mtcheck.checks.calques import RulesFileError, compile_specs, parse_rules_file, run_rules
from mtcheck.context import Context
from mtcheck.readers import read_text
from mtcheck.rules import all_rules

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "geneva_es-en_mt.txt"
SOURCE_LANGS = ("es", "fr", "pt", "de", "it")


def c_findings(text, *, source_lang=None, target_lang="en", select=("C",)):
    return api.check(text, target_lang=target_lang, source_lang=source_lang, select=list(select))


# -- the rules files ----------------------------------------------------------------------


def test_rules_files_validate_and_compile():
    specs = calques.all_specs()
    for target in calques.RULE_FILES:
        assert calques.ruleset(target) is not None, target
    codes = [s.code for s in specs]
    assert len(codes) == len(set(codes)), [c for c, n in collections.Counter(codes).items() if n > 1]
    names = [s.name for s in specs]
    assert len(names) == len(set(names))
    for s in specs:
        assert s.code.startswith("C") and s.name and s.message and s.patterns, s.code
        assert s.severity in ("warning", "info"), s.code
        assert s.flag and s.ok, s.code
        assert set(s.sources) <= set(calques.SOURCE_LANGS), s.code


def test_every_rule_is_registered_with_its_target_language():
    registry = all_rules()
    for s in calques.all_specs():
        rule = registry[s.code]
        assert rule.target_langs == (s.target,)
        assert "Applies to" in rule.description
        assert len(rule.examples) == len(s.flag) + len(s.ok)


def test_at_least_sixty_rules_and_every_source_language_is_covered():
    en = [s for s in calques.all_specs() if s.target == "en"]
    assert len(en) >= 60
    per_lang = {lang: sum(1 for s in en if lang in s.sources or "any" in s.sources) for lang in SOURCE_LANGS}
    assert all(n >= 20 for n in per_lang.values()), per_lang
    assert any(s.target == "es" for s in calques.all_specs())
    assert any(s.target == "fr" for s in calques.all_specs())


def test_code_ranges_per_target():
    for s in calques.all_specs():
        n = int(s.code[1:])
        assert {"en": n < 200, "es": 200 <= n < 300, "fr": 300 <= n < 400}[s.target], s.code


def test_compiled_json_mirrors_are_fresh():
    for target in calques.RULE_FILES:
        assert calques.cache_is_fresh(target), f"run: python -m mtcheck.checks.calques --build ({target})"


def test_loading_is_cheap():
    best = min(_time(lambda: (calques.load_file.cache_clear(), calques._build_rules())) for _ in range(3))
    assert best < 0.25  # about 10 ms on an idle machine; generous for loaded CI hosts


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


@pytest.mark.parametrize(
    "mutate,needle",
    [
        (lambda r: r.pop("message"), "missing 'message'"),
        (lambda r: r.update(code="X1"), "code must look like"),
        (lambda r: r.update(name="Bad Name"), "kebab-case"),
        (lambda r: r.update(severity="fatal"), "severity"),
        (lambda r: r.update(sources=["xx"]), "sources"),
        (lambda r: r.update(ok=[]), "needs at least one"),
        (lambda r: r.update(fix="maybe"), "fix must be"),
        (lambda r: r.update(surprise=1), "unknown keys"),
        (lambda r: r.update(patterns=["x"]), "exactly one of"),
    ],
)
def test_validation_errors(mutate, needle):
    rule = _rule()
    mutate(rule)
    with pytest.raises(RulesFileError, match=needle):
        parse_rules_file({"rule": [rule]}, "en")


def test_bad_pattern_or_template_is_reported_with_the_code():
    _, specs = parse_rules_file({"rule": [_rule(pattern="[the x:@NOPE]")]}, "en")
    with pytest.raises(RulesFileError, match="C900.*@NOPE"):
        compile_specs(specs, {}, "en")
    _, specs = parse_rules_file({"rule": [_rule(suggest="{nothing}")]}, "en")
    with pytest.raises(RulesFileError, match="C900"):
        compile_specs(specs, {}, "en")


def _rule(**kw):
    r = {
        "code": "C900",
        "name": "test-rule",
        "severity": "warning",
        "sources": ["es"],
        "message": "test '{0}'",
        "pattern": "[the gizmo]",
        "flag": ["the gizmo"],
        "ok": ["a gizmo"],
    }
    r.update(kw)
    return r


# -- gating -------------------------------------------------------------------------------


WEEKDAY = "In response, NATO rejected this Friday the demand raised by Russia."


def _ctx(source_lang=None, *, unknown=False, target="en", source_doc=None):
    ctx = Context(target_lang=target, source_lang=source_lang, source_doc=source_doc)
    if unknown:
        ctx.services[srclang._CACHE_KEY] = None  # inference found nothing
    return ctx


def _codes(text, ctx, rs=None):
    doc = read_text(text, "x.txt", None)
    if rs is None:
        return [f.code for f in calques.check(doc, ctx)]
    return [f.code for f in run_rules(doc, ctx, rs)]


def test_language_gated_rule_runs_only_for_its_source_languages():
    assert "C002" in _codes(WEEKDAY, _ctx("es"))
    assert "C002" in _codes(WEEKDAY, _ctx("fr"))
    assert "C002" not in _codes(WEEKDAY, _ctx("de"))
    assert "C002" not in _codes(WEEKDAY, _ctx(unknown=True))


def test_any_rules_run_without_a_source_language():
    assert "C008" in _codes("Sweden wants to join the NATO and Finland too.", _ctx(unknown=True))


def test_inferred_source_language_from_an_agency_credit():
    text = "GENEVA (EFE) - " + WEEKDAY + "\n\nThe talks went on until late."
    assert "C002" in [f.code for f in c_findings(text)]


def test_target_language_picks_the_file():
    assert "C201" in _codes("Miles de personas aplicaron para la visa de trabajo.", _ctx(target="es", unknown=True))
    assert "C201" not in _codes("Miles de personas aplicaron para la visa de trabajo.", _ctx(target="en", unknown=True))


def test_default_source_of_spanish_target_is_english():
    # es.toml says default_source = "en": an English-gated rule runs when nobody knows the source.
    assert "C202" in _codes("La reunión tomó lugar en Madrid.", _ctx(target="es", unknown=True))
    assert "C202" not in _codes("La reunión tomó lugar en Madrid.", _ctx("fr", target="es"))


def test_source_trigger_and_source_required():
    data = {"rule": [
        _rule(code="C901", name="needs-trigger", source_trigger=r"\bgizmo\w*", sources=["any"]),
        _rule(code="C902", name="needs-source", source_required=True, sources=["any"]),
    ]}
    settings, specs = parse_rules_file(data, "en")
    rs = compile_specs(specs, settings, "en")
    text = "We bought the gizmo yesterday."
    # No aligned source: the trigger rule runs on the target text alone; the source-required one does not.
    assert _codes(text, _ctx(unknown=True), rs) == ["C901"]
    with_trigger = read_text("Compramos el gizmo ayer.", "src.txt", None)
    without = read_text("Compramos el aparato ayer.", "src.txt", None)
    assert sorted(_codes(text, _ctx(unknown=True, source_doc=with_trigger), rs)) == ["C901", "C902"]
    assert _codes(text, _ctx(unknown=True, source_doc=without), rs) == ["C902"]


def test_rules_keep_to_their_block_kinds():
    # C019 runs in signature blocks; nothing runs inside a photo caption.
    text = "The talks ended.\n\nLavrov said the president Joe Biden would call. Photo: EFE/EPA/MARCIAL TREZZINI\n\nThey left."
    assert "C001" not in [f.code for f in c_findings(text, source_lang="es")]


# -- suggestions ----------------------------------------------------------------------------


def test_safe_fix_and_sentence_initial_capital():
    fs = c_findings("Despite of the rain, the march went ahead.")
    f = next(f for f in fs if f.code == "C074")
    assert f.text == "Despite of" and f.suggestions[0].replacement == "Despite"
    assert f.suggestions[0].applicability == "safe"


def test_suggestion_templates_use_captures():
    fs = c_findings("Talks with the foreign minister Sergei Lavrov lasted two hours.")
    f = next(f for f in fs if f.code == "C001")
    assert f.suggestions[0].replacement == "Foreign Minister Sergei Lavrov"
    fs = c_findings("Thousands of people assisted to the funeral.", source_lang="es")
    f = next(f for f in fs if f.code == "C029")
    assert (f.text, f.suggestions[0].replacement) == ("assisted to", "attended")


# -- the seed story -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_findings():
    if not SEED.is_file():
        pytest.skip("../shared/seed is not beside the repository")
    return c_findings(SEED.read_text(encoding="utf-8"), source_lang="es")


@pytest.mark.parametrize(
    "code,text,suggestion",
    [
        ("C001", "the president Joe Biden", "President Joe Biden"),
        ("C002", "this Friday", "on Friday"),
        ("C004", "its", "his"),
        ("C005", "after meet", "after meeting"),
        ("C006", "what", "that"),
        ("C008", "the NATO", "NATO"),
        ("C015", "the diplomatic entity", "the ministry"),
        ("C017", "US diplomacy", "US diplomats"),
        ("C018", "The truth is that", "In fact,"),
        ("C019", "INTERNATIONAL WRITING", "International Desk"),
        ("C020", "With information from", "With reporting from"),
    ],
)
def test_seed_story_calques(seed_findings, code, text, suggestion):
    hits = [f for f in seed_findings if f.code == code and f.text == text]
    assert hits, f"{code} {text!r} not found"
    assert hits[0].suggestions[0].replacement == suggestion


def test_seed_story_weekday_twice_and_no_false_alarm_on_clean_sentences(seed_findings):
    assert sum(1 for f in seed_findings if f.code == "C002") == 2
    # "announced Friday" (AP style) and "next week" are fine.
    assert not any(f.text in ("Friday", "next week") for f in seed_findings)


# -- precision on professional references (optional: needs ../shared/eval) ---------------


@pytest.mark.parametrize("pair,ref", [("de-en-2022", "ref.A.en"), ("de-en-2021", "ref.B.en")])
def test_few_warnings_on_human_references(pair, ref):
    path = SHARED / "eval" / "wmt" / pair / ref
    if not path.is_file():
        pytest.skip("../shared/eval is not beside the repository")
    lines = path.read_text(encoding="utf-8").splitlines()[:400]
    words = warnings = 0
    for i in range(0, len(lines), 25):
        text = "\n\n".join(lines[i:i + 25])
        words += len(text.split())
        warnings += sum(f.severity == "warning" for f in c_findings(text, source_lang="de"))
    assert 1000 * warnings / words <= 0.5
