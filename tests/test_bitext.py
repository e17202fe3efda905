"""Bilingual inputs: XLIFF 1.2 and 2.0, two-column TSV; offsets into the file; malformed files."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mtcheck import api
from mtcheck.bitext import read_tsv, read_xliff
from mtcheck.cli import main
from mtcheck.errors import InputError
from mtcheck.readers import CHECKED_EXTENSIONS, format_for, read_text

XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="es-ES" target-language="en-GB" datatype="plaintext" original="story.txt">
    <header><note>Ignored: Más de 99 notas.</note></header>
    <body>
      <trans-unit id="1">
        <source>Más de 28.000 muertos en España &amp; Portugal.</source>
        <target>More than 24,000 dead in <g id="b">Spain</g> &amp; Portugal.</target>
        <alt-trans><target>More than 28,000 dead.</target></alt-trans>
      </trans-unit>
      <trans-unit id="2">
        <source>El presidente viajará mañana a Bruselas para reunirse con sus socios europeos.</source>
        <target>El presidente viajará mañana a Bruselas para reunirse con sus socios europeos.</target>
      </trans-unit>
      <trans-unit id="3">
        <source>La reunión <ph id="1">&lt;b&gt;</ph>empezó<ph id="2">&lt;/b&gt;</ph> a las 15.30 horas.</source>
        <target>The meeting <ph id="1">&lt;b&gt;</ph>began<ph id="2">&lt;/b&gt;</ph> at 3:30 p.m.</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""

XLIFF20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="de" trgLang="en">
  <file id="f1">
    <unit id="u1">
      <segment><source>Die zwei Fraktionen warfen Söder vor, zu schweigen.</source>
        <target>The three factions accused Söder of silence.</target></segment>
      <ignorable><source> </source></ignorable>
      <segment><source>Er reagierte am 19. Juli.</source><target>He responded on July <pc id="1">19</pc>.</target></segment>
    </unit>
    <unit id="u2">
      <segment><source>Latenight-Moderator Stephen Colbert begrüßte Thunberg.</source>
        <target>Late night presenter Stephen Colbert welcomed Thunberg<cp hex="0021"/></target></segment>
    </unit>
  </file>
</xliff>
"""


def test_extensions_route_to_the_bilingual_readers():
    assert format_for("a.xlf") == "xliff" and format_for("a.XLIFF") == "xliff" and format_for("a.tsv") == "tsv"
    assert ".xlf" in CHECKED_EXTENSIONS and ".tsv" not in CHECKED_EXTENSIONS


def test_xliff12_target_source_and_languages():
    doc = read_text(XLIFF12, "story.xlf")
    assert doc.text.split("\n\n")[0] == "More than 24,000 dead in Spain & Portugal."
    assert "<b>" not in doc.text and "began at 3:30 p.m." in doc.text
    src = doc.meta["source_doc"]
    assert src.text.startswith("Más de 28.000 muertos en España & Portugal.")
    assert "notas" not in src.text and "28,000 dead." not in doc.text  # header and alt-trans skipped
    assert doc.meta["source_lang"] == "es" and doc.meta["target_lang"] == "en"
    assert len(doc.meta["unit_pairs"]) == 3


def test_xliff12_findings_point_into_the_xml_file():
    found = api.check(XLIFF12, filename="story.xlf", select=["S"])
    by_code = {f.code: f for f in found}
    f = by_code["S001"]
    assert f.text == "24,000"
    line = XLIFF12.splitlines()[f.line - 1]
    assert line[f.column - 1:f.column - 1 + len("24,000")] == "24,000"
    assert XLIFF12[f.start:f.end] == "24,000"
    assert "S007" in by_code  # unit 2 left in Spanish
    entity = [x for x in api.check(XLIFF12, filename="story.xlf", select=["S"]) if "&amp;" in x.text]
    assert entity == [] or all(XLIFF12[x.start:x.end] == x.text for x in entity)


def test_xliff20_segments_inline_codes_and_cp():
    doc = read_xliff(XLIFF20, "s.xlf")
    assert doc.text == ("The three factions accused Söder of silence. He responded on July 19.\n\n"
                        "Late night presenter Stephen Colbert welcomed Thunberg!")
    assert doc.meta["source_lang"] == "de"
    found = api.check(XLIFF20, filename="s.xlf", select=["S001"])
    assert [f.text for f in found] == ["three"]
    assert XLIFF20[found[0].start:found[0].end] == "three"


def test_tsv_reader_and_offsets():
    text = "Más de 28.000 muertos.\tMore than 24,000 dead.\n\nDos personas.\tTwo people.\n"
    doc = read_tsv(text, "p.tsv")
    assert doc.text == "More than 24,000 dead.\n\nTwo people."
    assert doc.meta["source_doc"].text == "Más de 28.000 muertos.\n\nDos personas."
    found = api.check(text, filename="p.tsv", target_lang="en", source_lang="es", select=["S001"])
    assert [(f.text, f.line, f.column) for f in found] == [("24,000", 1, 34)]
    assert text[found[0].start:found[0].end] == "24,000"


@pytest.mark.parametrize("text,needle", [
    ("<xliff version='1.2'><file><body><trans-unit id='1'><source>a</source>", "malformed XLIFF"),
    ("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;'>]>"
     "<xliff version='1.2'><file><body><trans-unit id='1'><source>&lol2;</source></trans-unit></body></file></xliff>",
     "DOCTYPE"),
    ("<root><a>b</a></root>", "not an XLIFF file"),
    ("<xliff version='3.0'><file/></xliff>", "unsupported XLIFF version"),
    ("<xliff version='1.2'><file><body/></file></xliff>", "no translation units"),
    ("", "malformed XLIFF"),
])
def test_malformed_xliff_is_a_one_line_input_error(text, needle):
    with pytest.raises(InputError) as exc:
        read_xliff(text, "bad.xlf")
    assert needle in str(exc.value) and "\n" not in str(exc.value)
    assert str(exc.value).startswith("bad.xlf: ")


@pytest.mark.parametrize("text,needle", [
    ("only one column\n", "line 1: expected 2 tab-separated columns"),
    ("a\tb\n\nc\td\te\n", "line 3: expected 2"),
    ("\n\n", "no rows"),
])
def test_malformed_tsv(text, needle):
    with pytest.raises(InputError) as exc:
        read_tsv(text, "bad.tsv")
    assert needle in str(exc.value) and "\n" not in str(exc.value)


def test_cli_bilingual_file_and_malformed_exit_2(tmp_path):
    good = tmp_path / "story.xlf"
    good.write_text(XLIFF12, encoding="utf-8")
    r = CliRunner().invoke(main, ["--no-config", "--format", "json", "--select", "S001", str(good)])
    assert r.exit_code == 1, r.output  # the wrong number is an error
    assert [f["text"] for f in json.loads(r.stdout)] == ["24,000"]
    bad = tmp_path / "bad.xlf"
    bad.write_text("<xliff version='1.2'><file>", encoding="utf-8")
    r = CliRunner().invoke(main, ["--no-config", str(bad)])
    assert r.exit_code == 2
    assert "bad.xlf" in r.output and "malformed XLIFF" in r.output
    badtsv = tmp_path / "bad.tsv"
    badtsv.write_text("no tabs here\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["--no-config", str(badtsv)])
    assert r.exit_code == 2 and "expected 2 tab-separated columns" in r.output
