"""N family: names spelled two ways (N001), source-language place names (N002),
non-canonical spellings (N003); the gazetteer, the place tables and the house list."""
from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from mtcheck import api, gazetteer, housenames
from mtcheck.checks import _names_mentions as M
from mtcheck.config import Config
from mtcheck.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "geneva_es-en_mt.txt"


def n_findings(text, lang="en", **kw):
    return [f for f in api.check(text, target_lang=lang, select=["N"], **kw)]


def flagged(text, lang="en", **kw):
    """{flagged text: (code, severity, first suggestion)}"""
    return {f.text: (f.code, f.severity, f.suggestions[0].replacement if f.suggestions else None)
            for f in n_findings(text, lang, **kw)}


# -- one person, two spellings (N001) -----------------------------------------------

@pytest.mark.parametrize(
    "canonical_text,variant_text,expected",
    [
        ("Sergei Lavrov", "Sergey Lavrov", "Sergei Lavrov"),
        ("Antony Blinken", "Anthony Blinken", "Antony Blinken"),
        ("Recep Tayyip Erdogan", "Erdoğan", "Erdogan"),
        ("Mohammed bin Salman", "Muhammad bin Salman", "Mohammed bin Salman"),
        ("Keir Starmer", "Kier Starmer", "Keir Starmer"),
    ],
)
def test_one_person_two_spellings(canonical_text, variant_text, expected):
    text = (f"The minister, {canonical_text}, arrived on Friday for talks. "
            f"Later {variant_text} told reporters the meeting had been useful. "
            f"Officials said {canonical_text} would return next week.")
    got = flagged(text)
    assert got == {variant_text: ("N001", "warning", expected)}


@pytest.mark.parametrize(
    "text",
    [
        "The minister, Sergei Lavrov, arrived on Friday. Later Lavrov told reporters the meeting had been useful.",
        "Antony Blinken arrived in Geneva. Blinken said the talks were frank. Antony Blinken left on Saturday.",
        "President Recep Tayyip Erdogan spoke on Monday. Erdogan said Turkey would not change course.",
        "Crown Prince Mohammed bin Salman hosted the summit. Mohammed bin Salman thanked the guests.",
        "Keir Starmer campaigned in Leeds. Starmer told voters to expect change.",
    ],
)
def test_consistent_stories_stay_silent(text):
    assert n_findings(text) == []


def test_majority_decides_for_people_the_tables_do_not_know():
    text = ("Opposition leader Andrei Sannikov was arrested. Andrei Sannikov had called for protests. "
            "His lawyer said Andrey Sannikov was unwell.")
    assert flagged(text) == {"Andrey Sannikov": ("N001", "warning", "Andrei Sannikov")}
    # A tie: the first spelling wins.
    text = "Andrey Sannikov was arrested on Monday. Andrei Sannikov had called for protests."
    assert flagged(text) == {"Andrei Sannikov": ("N001", "warning", "Andrey Sannikov")}


def test_gazetteer_beats_majority():
    text = ("Sergey Lavrov arrived on Friday. Sergey Lavrov met the press. "
            "Sergei Lavrov left on Saturday.")
    got = flagged(text)
    assert set(got) == {"Sergey Lavrov"}
    assert got["Sergey Lavrov"][2] == "Sergei Lavrov"
    assert len(n_findings(text)) == 2  # one finding on each minority-spelling mention


@pytest.mark.parametrize(
    "text",
    [
        "Joe Biden met reporters while Hunter Biden stayed home. Biden said nothing about his son.",
        "Raúl Castro succeeded Fidel Castro in 2008. Castro retired in 2021.",
        "Donald Tusk spoke to Donald Trump by phone on Tuesday. Tusk said the call went well.",
        "Maria Schmidt and Mario Schmidt run the family bakery. Maria Schmidt said business was good.",
        "Kim Jong Un met Kim Yo Jong. Kim Jong-un said the meeting was fruitful.",
        "Jill Biden and Joe Biden travelled to Delaware.",
    ],
)
def test_different_people_stay_different(text):
    assert n_findings(text) == []


def test_a_surname_alone_attaches_to_its_full_name():
    text = "Russian Foreign Minister Sergei Lavrov arrived. The talks, Lawrow said, were frank."
    assert flagged(text) == {"Lawrow": ("N001", "warning", "Lavrov")}
    text = "Tim Zimmermann won the race. Afterwards, Zimmerman said he was happy."
    assert flagged(text) == {"Zimmerman": ("N001", "warning", "Zimmermann")}
    # Two people share the surname: a lone surname stays unattached.
    assert n_findings("Joe Biden and Hunter Biden arrived. Later, Bidden said hello.") == []


def test_a_misspelt_given_name_before_a_known_short_form():
    text = ("Mohammad Javad Zarif said on Tuesday that talks would continue. Mohammad Javad Zarif left. "
            "According to Moammad Javad Zarif, the plan has support.")
    assert flagged(text) == {"Moammad Javad Zarif": ("N001", "warning", "Mohammad Javad Zarif")}
    # Alone, it is a near miss: a note, not a warning.
    assert flagged("Rezep Tayyip Erdogan said so.") == {"Rezep Tayyip Erdogan": ("N003", "info", "Recep Tayyip Erdogan")}
    # A word before a known name that does not spell its given name stays out of the span.
    assert n_findings("Hezbollah Hassan Nasrallah said so. Nasrallah added more.") == []


def test_spanish_and_french_targets_use_agency_spellings():
    es = "El canciller ruso, Serguéi Lavrov, llegó a Ginebra. Sergei Lavrov dijo que las conversaciones fueron francas."
    assert flagged(es, "es") == {"Sergei Lavrov": ("N001", "warning", "Serguéi Lavrov")}
    fr = "Le ministre Sergueï Lavrov est arrivé. Sergei Lavrov a déclaré que les discussions étaient franches."
    assert flagged(fr, "fr") == {"Sergei Lavrov": ("N001", "warning", "Sergueï Lavrov")}
    assert n_findings("Vladimir Poutine a rencontré Emmanuel Macron.", "fr") == []


# -- non-canonical spellings (N003) ----------------------------------------------------

def test_listed_variant_is_a_warning_and_near_miss_is_info():
    assert flagged("Anthony Blinken said the United States would respond.") == {
        "Anthony Blinken": ("N003", "warning", "Antony Blinken")}
    assert flagged("Wladimir Putin said Russia had no plans.") == {
        "Wladimir Putin": ("N003", "warning", "Vladimir Putin")}
    assert flagged("Netanjahu said the protests would not stop him.") == {
        "Netanjahu": ("N003", "warning", "Netanyahu")}
    assert flagged("Secretary of State Antonny Blinken met reporters.") == {
        "Antonny Blinken": ("N003", "info", "Antony Blinken")}


def test_accepted_spellings_stay_silent():
    for text in ("Sergey Lavrov said the talks were frank.", "Tayyip Erdoğan spoke on Monday.",
                 "Volodymyr Zelenskyy thanked the allies.", "Hunter Biden did not attend."):
        assert n_findings(text) == [], text
    # Spanish agency spelling in Spanish copy.
    assert n_findings("Serguéi Lavrov dijo que las conversaciones fueron francas.", "es") == []


# -- places (N002) ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "foreign,english",
    [("Londres", "London"), ("Moscú", "Moscow"), ("Varsovia", "Warsaw"), ("Bruselas", "Brussels"),
     ("Nueva York", "New York"), ("Múnich", "Munich"), ("La Haya", "The Hague"), ("Moskau", "Moscow"),
     ("Varsovie", "Warsaw"), ("Lisboa", "Lisbon")],
)
def test_source_language_place_names_in_english(foreign, english):
    text = f"The delegation arrived in {foreign} on Monday."
    assert flagged(text) == {foreign: ("N002", "warning", english)}
    assert n_findings(f"The delegation arrived in {english} on Monday.") == []


@pytest.mark.parametrize(
    "lang,text,name,expected",
    [
        ("es", "La reunión en London terminó sin acuerdo.", "London", "Londres"),
        ("es", "El tribunal de The Hague decidirá la próxima semana.", "The Hague", "La Haya"),
        ("fr", "Le tribunal de The Hague rendra sa décision lundi.", "The Hague", "La Haye"),
        ("fr", "La réunion à London s'est terminée sans accord.", "London", "Londres"),
    ],
)
def test_english_place_names_in_spanish_and_french(lang, text, name, expected):
    assert flagged(text, lang) == {name: ("N002", "warning", expected)}


@pytest.mark.parametrize(
    "text,lang",
    [
        ("The delegation flew from La Paz to Los Angeles, then to São Paulo and Buenos Aires.", "en"),
        ("Roma communities in Hungary face discrimination.", "en"),
        ("He played for Bayern München and TSV 1860 München.", "en"),
        ("She works for Banco do Brasil in Rio de Janeiro.", "en"),
        ("Leyó a Jack London y el New York Times.", "es"),
        ("La reunión en Londres terminó sin acuerdo.", "es"),
        ("Según Public Health England, la situación mejora.", "es"),
        ("Hoy visitamos Rotterdam y Ámsterdam.", "es"),
    ],
)
def test_place_names_that_are_right(text, lang):
    assert [f for f in n_findings(text, lang) if f.code == "N002"] == []


def test_ambiguous_place_names_need_a_locative_word():
    assert flagged("The minister flew to Mosca on Monday.") == {"Mosca": ("N002", "warning", "Moscow")}
    assert n_findings("Mosca scored twice for the visitors.") == []


def test_possessive_place_name():
    assert flagged("Alemania's economy shrank in the third quarter.") == {"Alemania": ("N002", "warning", "Germany")}


def test_dateline_in_capitals():
    got = flagged("MOSCÚ (EFE) - The Kremlin said on Friday that talks would continue.")
    assert got == {"MOSCÚ": ("N002", "warning", "MOSCOW")}


# -- house list ---------------------------------------------------------------------------------

def test_house_list_wins_over_the_gazetteer(tmp_path):
    names = tmp_path / "house.tsv"
    names.write_text(
        "# our style\ncanonical\tvariants\taccept\n"
        "Sergey Lavrov\tSergei Lavrov|Serguei Lavrov\tLavrov\n"
        "Anthony Blinken\n",
        encoding="utf-8",
    )
    config = Config(names_file=str(names))
    text = "Sergei Lavrov arrived on Friday. Sergei Lavrov met the press. Sergey Lavrov left on Saturday."
    found = api.check(text, target_lang="en", select=["N"], config=config)
    assert {(f.text, f.suggestions[0].replacement) for f in found} == {("Sergei Lavrov", "Sergey Lavrov")}
    assert len(found) == 2 and all("house list" in f.message for f in found)
    assert found[0].fixable  # the house list's spelling is safe to apply
    # A row with only a canonical form: accepted as it is.
    assert api.check("Anthony Blinken said nothing.", target_lang="en", select=["N"], config=config) == []
    # Without the house list the gazetteer decides.
    assert {f.suggestions[0].replacement for f in api.check(text, target_lang="en", select=["N"])} == {"Sergei Lavrov"}


def test_a_learned_house_list_keeps_the_gazetteer_variants(tmp_path):
    names = tmp_path / "learned.tsv"
    names.write_text("canonical\tvariants\taccept\tnote\nSergey Lavrov\t\t\tarchive count 50\n", encoding="utf-8")
    config = Config(names_file=str(names))
    found = api.check("Sergej Lawrow said the talks were frank.", target_lang="en", select=["N"], config=config)
    assert [(f.code, f.suggestions[0].replacement) for f in found] == [("N003", "Sergey Lavrov")]
    found = api.check("Sergei Lavrov met the press. Sergey Lavrov left.", target_lang="en", select=["N"], config=config)
    assert [(f.text, f.suggestions[0].replacement) for f in found] == [("Sergei Lavrov", "Sergey Lavrov")]


def test_house_list_in_spanish_can_insist_on_accents(tmp_path):
    names = tmp_path / "casa.tsv"
    names.write_text("Serguéi Lavrov\tSerguei Lavrov\n", encoding="utf-8")
    config = Config(names_file=str(names))
    found = api.check("Serguei Lavrov dijo que las conversaciones fueron francas.", target_lang="es",
                      select=["N"], config=config)
    assert [(f.code, f.text, f.suggestions[0].replacement) for f in found] == [("N003", "Serguei Lavrov", "Serguéi Lavrov")]
    # The gazetteer alone leaves a missing accent in Spanish copy to house style.
    assert api.check("Serguei Lavrov dijo que las conversaciones fueron francas.", target_lang="es", select=["N"]) == []


def test_house_list_relative_to_the_config_root(tmp_path):
    (tmp_path / "names.tsv").write_text("Sergey Lavrov\tSergei Lavrov\n", encoding="utf-8")
    config = Config(names_file="names.tsv", root=str(tmp_path))
    found = api.check("Sergei Lavrov said so.", target_lang="en", select=["N"], config=config)
    assert [(f.code, f.suggestions[0].replacement) for f in found] == [("N003", "Sergey Lavrov")]


def test_bad_house_list_is_a_config_error_naming_the_file(tmp_path):
    missing = tmp_path / "nope.tsv"
    with pytest.raises(ConfigError, match="nope.tsv"):
        api.check("Text.", config=Config(names_file=str(missing)))
    bad = tmp_path / "bad.tsv"
    bad.write_text("canonical\tvariants\tcolour\nX Y\t\t\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.tsv.*line 1.*colour"):
        api.check("Text.", config=Config(names_file=str(bad)))
    dup = tmp_path / "dup.tsv"
    dup.write_text("Sergey Lavrov\tSergei Lavrov\nSergei Lavrov\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"dup\.tsv: line 2"):
        api.check("Text.", config=Config(names_file=str(dup)))
    binary = tmp_path / "bin.tsv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match="bin.tsv"):
        api.check("Text.", config=Config(names_file=str(binary)))
    result = api.check_path(__file__, config=Config(names_file=str(missing)))
    assert result.error and "nope.tsv" in result.error


# -- the seed story ---------------------------------------------------------------------

def test_seed_story():
    if not SEED.is_file():
        pytest.skip("../shared/seed is not beside the repository")
    text = SEED.read_text(encoding="utf-8")
    found = [f for f in api.check(text, target_lang="en", select=["N"]) if f.severity != "info"]
    got = {(f.code, f.text, f.suggestions[0].replacement) for f in found}
    assert ("N001", "Sergey Lavrov", "Sergei Lavrov") in got
    assert ("N001", "Anthony Blinken", "Antony Blinken") in got
    assert len(found) == 2, found


# -- offsets ------------------------------------------------------------------------------

def test_offsets_point_at_the_name():
    text = "Crónica — “Sergei Lavrov” llegó.\n\nEl lunes, Sergey Lavrov habló en Londres."
    for f in api.check(text, target_lang="en", select=["N"]):
        assert text[f.start:f.end] == f.text
    found = {f.text: f for f in api.check(text, target_lang="en", select=["N"])}
    f = found["Sergey Lavrov"]
    assert (f.line, f.column) == (3, text.splitlines()[2].index("Sergey") + 1)
    assert found["Londres"].start == text.index("Londres")


def test_offsets_through_markup():
    src = "# Talks\n\n**Sergei Lavrov** met *Antony Blinken*. Later Sergey Lavrov spoke in [Londres](https://x.y).\n"
    found = api.check(src, filename="story.md", target_lang="en", select=["N"])
    assert {f.text for f in found} == {"Sergey Lavrov", "Londres"}
    for f in found:
        assert src[f.start:f.end] == f.text


def test_possessive_and_titles_are_outside_the_span():
    text = "Foreign Minister Sergei Lavrov arrived. Foreign Minister Sergey Lavrov's aide spoke."
    [f] = n_findings(text)
    assert f.text == "Sergey Lavrov"


# -- same-name test ----------------------------------------------------------------------------

@pytest.mark.parametrize("a,b", [("Sergei", "Sergey"), ("Erdogan", "Erdoğan"), ("Mohammed", "Muhammad"),
                                 ("Keir", "Kier"), ("Anthony", "Antony"), ("Zelensky", "Zelenskyy"),
                                 ("Khodorkovsky", "Hodorkovsky"), ("Aleksandr", "Alexandr"), ("Ulf", "Ufl"),
                                 ("Saddam", "Saddma"), ("Hakan", "Hakna")])
def test_same_word(a, b):
    assert M.same_word(a, b)


@pytest.mark.parametrize("a,b", [("Joe", "Hunter"), ("Raúl", "Fidel"), ("Tusk", "Trump"), ("Maria", "Mario"),
                                 ("Jon", "Jan"), ("Ina", "Ian"), ("Daniel", "Daniela"),
                                 ("Ivan", "Ivana"), ("Biden", "Bidens"), ("Hall", "Halle"), ("Paris", "Presse"),
                                 ("Kreuznach", "Kreuznacher")])
def test_different_words(a, b):
    assert not M.same_word(a, b)


# -- the tables ---------------------------------------------------------------------------------

def test_every_gazetteer_entry_parses_and_every_variant_resolves():
    table = gazetteer.builtin()
    assert len(table) >= 400
    for e in table.entries:
        assert e.canonical and e.canonical == e.canonical.strip(), e.origin
        assert e.note, f"{e.origin}: every entry says who it is"
    for lang in gazetteer.NAME_LANGS:
        view = table.view(lang)
        assert len(view.entries) == len(table.entries), "two gazetteer entries share a spelling"
        for e in table.entries:
            for form in e.accepted_for(lang):
                if " " in gazetteer.name_key(form):
                    assert view.lookup(form) == (e, True), (lang, e.origin, form)
                else:
                    assert (e, True) in view.lookup_short(form), (lang, e.origin, form)
            for form in e.variants_for(lang):
                if " " in gazetteer.name_key(form):
                    assert view.lookup(form) == (e, False), (lang, e.origin, form)
                else:
                    assert (e, False) in view.lookup_short(form), (lang, e.origin, form)


def test_gazetteer_sources_are_noted():
    for path in sorted(gazetteer.resources.path("names").glob("*.tsv")):
        head = path.read_text(encoding="utf-8").splitlines()[:8]
        assert any("Source:" in line for line in head), path.name


def test_table_format_without_header_and_with_house_columns():
    entries = gazetteer.parse_table("Sergey Lavrov\tSergei Lavrov|Serguei Lavrov\tLavrov\n\n# comment\nJohn Doe\n")
    assert [e.canonical for e in entries] == ["Sergey Lavrov", "John Doe"]
    assert entries[0].variants == ("Sergei Lavrov", "Serguei Lavrov") and entries[0].accept == ("Lavrov",)
    entries = gazetteer.parse_table("canonical\tes\tnote\nSergei Lavrov\tSerguéi Lavrov\tminister\n")
    assert entries[0].canonical_for("es") == "Serguéi Lavrov" and entries[0].note == "minister"
    assert "Serguéi Lavrov" in entries[0].variants_for("en")
    with pytest.raises(gazetteer.TableError):
        gazetteer.parse_table("\tonly variants\n")


def test_house_list_file_round_trips_what_learn_would_write(tmp_path):
    rows = [("Volodymyr Zelensky", ["Volodymyr Zelenskyy", "Vladimir Zelensky"], ["Zelensky"])]
    text = "canonical\tvariants\taccept\n" + "".join(f"{c}\t{'|'.join(v)}\t{'|'.join(a)}\n" for c, v, a in rows)
    p = tmp_path / "learned.tsv"
    p.write_text(text, encoding="utf-8")
    table = housenames.load(str(p))
    assert table.entries[0].variants == ("Volodymyr Zelenskyy", "Vladimir Zelensky")
    assert housenames.load(str(p)) is table  # cached until the file changes


def test_place_tables_are_small_and_attributed():
    total = 0
    for folder in ("names", "places"):
        for p in gazetteer.resources.path(folder).glob("*.tsv"):
            total += p.stat().st_size
    assert total < 2_000_000
    head = gazetteer.resources.path("places/countries.tsv").read_text(encoding="utf-8")[:600]
    assert "CLDR" in head and "Unicode" in head


@pytest.mark.skipif(importlib.util.find_spec("babel") is None, reason="babel is a build-time tool")
def test_countries_table_is_up_to_date():
    spec = importlib.util.spec_from_file_location("build_places", REPO / "scripts" / "build_places.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.build() == (REPO / "corpora" / "places" / "countries.tsv").read_text(encoding="utf-8")


# -- the injection measurement ----------------------------------------------------------------------

def test_injection_run_on_a_small_fixture(tmp_path):
    spec = importlib.util.spec_from_file_location("names_injection", REPO / "scripts" / "names_injection.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rng = random.Random(1)
    d = tmp_path / "wmt" / "de-en-2021"
    d.mkdir(parents=True)
    lines = [f"Line {i} of a story about the weather in Munich and the roads near Cologne." for i in range(60)]
    (d / "ref.A.en").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = mod.run(str(tmp_path))
    assert res["injected"] >= 2 and 0.0 <= res["recall"] <= 1.0
    assert res["clean"]["de-en-2021/ref.A.en"]["warnings"] == 0
    assert mod.run(str(tmp_path)) ["recall"] == res["recall"]  # seeded
    assert mod._slip("Sergei", rng) != "Sergei"
