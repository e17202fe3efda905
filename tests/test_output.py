"""Golden and unit tests for the output writers (mtcheck.output).

Regenerate the golden files with ``MTCHECK_UPDATE_GOLDEN=1 pytest tests/test_output.py``
and review the diff: every byte of them is a contract with some CI tool.
"""
from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import mtcheck
from mtcheck import output
from mtcheck.finding import Finding
from mtcheck.output import github, paths, positions, sarif, text
from mtcheck.readers import read_text
from mtcheck.result import FileResult
from mtcheck.rules import Rule, flag, ok, safe, unsafe

GOLDEN = Path(__file__).parent / "golden" / "output"
UPDATE = os.environ.get("MTCHECK_UPDATE_GOLDEN") == "1"

RULES = {
    "C001": Rule("C001", "percent-style", "warning", "Percent sign in running copy",
                 description="House style spells out per cent in body copy.", fix="sometimes"),
    "N001": Rule("N001", "exonym", "error", "Place name left in the source language",
                 description="A city is spelt as in the source language, not the English exonym.",
                 fix="sometimes", examples=(flag("Officials in Genf said"), ok("Officials in Geneva said"))),
    "P001": Rule("P001", "straight-quotes", "warning", "Straight quotes in English copy",
                 description="Wire style uses curly quotes.", fix="always", tags=("typography",),
                 examples=(flag('He said "yes".'), ok("He said “yes”."))),
    "P002": Rule("P002", "double-space", "info", "Two spaces between words", fix="always"),
}

A_TEXT = (
    'GENEVA (AP) — Le café 😀 said "hello" to the  press.\n'
    'The minister said it was 50% "very\n'
    'important".\n'
)
B_TEXT = "ZÜRICH (dpa) — Officials in Genf said the talks would resume.\n"
CLEAN_TEXT = "Nothing to see here.\n"


def make(doc, filename: str, code: str, needle: str, suggestions=(), message=None) -> Finding:
    """A finalised finding over the first ``needle`` in ``doc`` (what the engine hands over)."""
    start = doc.source.index(needle)
    end = start + len(needle)
    line, column = doc.line_col(start)
    end_line, end_column = doc.line_col(end)
    return RULES[code].finding(start, end, message, suggestions).with_(
        filename=filename, text=needle, line=line, column=column, end_line=end_line, end_column=end_column
    )


def build_results() -> list[FileResult]:
    a = read_text(A_TEXT, "stories/a.txt")
    b = read_text(B_TEXT, "stories/b.txt")
    clean = read_text(CLEAN_TEXT, "stories/clean.txt")
    a_findings = [
        make(a, "stories/a.txt", "P001", '"hello"', [safe("“hello”")]),
        make(a, "stories/a.txt", "P002", "  ", [safe(" ")]),
        make(a, "stories/a.txt", "C001", "50%", [unsafe("50 per cent")],
             message="Write 50% as “50 per cent”: house style, section 4"),
        make(a, "stories/a.txt", "P001", '"very\nimportant"'),
    ]
    return [
        FileResult("stories/a.txt", a_findings, document=a),
        FileResult("stories/b.txt", [make(b, "stories/b.txt", "N001", "Genf", [unsafe("Geneva")])], document=b),
        FileResult("stories/clean.txt", [], document=clean),
        FileResult("stories/bad.txt", [], error="stories/bad.txt: cannot decode as UTF-8 (byte 0xff at offset 12)"),
    ]


def render(fmt: str, results=None, **opts) -> str:
    buf = io.StringIO()
    output.write(fmt, build_results() if results is None else results, buf, rules=RULES, **opts)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _pinned_version(monkeypatch):
    # Golden SARIF must not change with every release.
    monkeypatch.setattr(mtcheck, "__version__", "0.0.0-test")


GOLDEN_CASES = [
    ("text", "text.txt", {}),
    ("text", "text-color.txt", {"color": True}),
    ("text", "text-no-source.txt", {"show_source": False}),
    ("text", "text-statistics.txt", {"statistics": True}),
    ("json", "json.json", {}),
    ("jsonl", "jsonl.jsonl", {}),
    ("sarif", "sarif.sarif", {}),
    ("github", "github.txt", {}),
    ("rdjson", "rdjson.json", {}),
    ("junit", "junit.xml", {}),
]


@pytest.mark.parametrize("fmt,name,opts", GOLDEN_CASES, ids=[c[1] for c in GOLDEN_CASES])
def test_golden(fmt, name, opts):
    got = render(fmt, **opts)
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(got)
    assert path.exists(), f"missing {path}: run with MTCHECK_UPDATE_GOLDEN=1"
    with open(path, encoding="utf-8", newline="") as fh:
        assert got == fh.read()


def test_every_format_dispatches():
    for fmt in output.FORMATS:
        assert render(fmt, results=[]) is not None
    with pytest.raises(ValueError, match="unknown output format"):
        render("xml")


# -- columns -------------------------------------------------------------------

def test_column_conversions():
    # reviewdog's own example: 'a𐐀b', b is at byte column 6.
    assert positions.utf8_column("a𐐀b", 3) == 6
    assert positions.utf16_column("a𐐀b", 3) == 4
    assert positions.utf8_column("café x", 6) == 7
    assert positions.utf16_column("café x", 6) == 6
    assert positions.utf8_column("", 1) == positions.utf16_column("", 1) == 1
    # Exclusive end at the line end, and past it: one unit per missing character.
    assert positions.utf8_column("é", 2) == 3
    assert positions.utf8_column("é", 3) == 4


def test_columns_in_outputs():
    results = build_results()
    hello = results[0].findings[0]
    assert hello.column == 30  # code points: "—", "é" and "😀" count one each
    diag = json.loads(render("rdjson"))["diagnostics"][0]
    assert diag["location"]["range"] == {"start": {"line": 1, "column": 36}, "end": {"line": 1, "column": 43}}
    region = json.loads(render("sarif"))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (31, 38)
    line = results[0].line_text(1)
    assert line.encode("utf-8")[36 - 1:43 - 1].decode() == '"hello"'
    units = line.encode("utf-16-le")
    assert units[2 * (31 - 1):2 * (38 - 1)].decode("utf-16-le") == '"hello"'


# -- escaping ------------------------------------------------------------------

def test_github_escaping():
    assert github.escape_data("50%, a:b\r\nc") == "50%25, a:b%0D%0Ac"
    assert github.escape_property("50%, a:b\r\nc") == "50%25%2C a%3Ab%0D%0Ac"
    assert github.command("warning", "x: 1,\n2", file="a,b:c.txt", line=3) == "::warning file=a%2Cb%3Ac.txt,line=3::x: 1,%0A2"


def test_github_severity_commands():
    out = render("github").splitlines()
    assert [ln.split(" ", 1)[0] for ln in out] == ["::warning", "::notice", "::warning", "::warning", "::error", "::error"]
    assert "title=C001 percent-style::Write 50%25 as “50 per cent”: house style, section 4" in out[2]


def test_junit_cleans_invalid_xml_characters():
    r = FileResult("x.txt", [Finding("A001", "ctrl", "error", "bad \x0b char", 0, 1, line=1, column=1,
                                     end_line=1, end_column=2, filename="x.txt")])
    root = ET.fromstring(render("junit", results=[r]))
    assert root.find("testsuite/testcase/failure").get("message") == "bad \\x0b char"


def test_junit_counts():
    suite = ET.fromstring(render("junit")).find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "2", "1")
    cases = suite.findall("testcase")
    assert [len(c.findall("failure")) for c in cases] == [4, 1, 0, 0]
    assert cases[3].find("error") is not None


# -- json ------------------------------------------------------------------------

CONTRACT = {"filename", "code", "name", "severity", "message", "start", "end", "line", "column",
            "end_line", "end_column", "text", "suggestions"}


def test_json_round_trips():
    data = json.loads(render("json"))
    assert len(data) == 5
    for d in data:
        assert CONTRACT <= set(d)
    assert data[0]["suggestions"] == [{"replacement": "“hello”", "applicability": "safe"}]
    assert data[0]["text"] == '"hello"' and data[0]["filename"] == "stories/a.txt"
    lines = render("jsonl").splitlines()
    assert [json.loads(ln) for ln in lines] == data
    assert json.loads(render("json", results=[])) == []


# -- text ------------------------------------------------------------------------

def test_text_colour_only_when_asked():
    assert "\x1b[" not in render("text")
    coloured = render("text", color=True)
    assert "\x1b[1mstories/a.txt\x1b[0m" in coloured
    assert "\x1b[1m\x1b[31mN001\x1b[0m" in coloured  # error: red
    assert "\x1b[1m\x1b[36mP002\x1b[0m" in coloured  # info: cyan


def test_text_all_clear_and_errors():
    results = build_results()
    assert render("text", results=[results[2]]) == "All checks passed!\n"
    assert render("text", results=[results[2], results[3]]) == "No findings.\n1 file could not be checked.\n"
    assert render("text", results=[results[2]], fixed=2) == "Fixed 2 findings.\nAll checks passed!\n"


def test_text_quiet_drops_summary():
    results = build_results()
    assert render("text", results=[results[2]], quiet=True) == ""
    out = render("text", show_source=False, quiet=True)
    assert out.splitlines()[-1].startswith("stories/b.txt:1:29: N001")


def test_text_underline_alignment():
    assert text.underline("ab😀cd", 4, 6) == ("    ", 2)  # emoji is two cells wide
    assert text.underline("\tab", 2, 3) == ("\t", 1)
    assert text.underline("abc", 2, 99) == (" ", 2)  # past the line end: clip
    assert text.underline("abc", 4, 4) == ("   ", 1)  # zero width at the end: one caret


# -- SARIF -----------------------------------------------------------------------

# A hand-written subset of the SARIF 2.1.0 schema: what GitHub code scanning needs.
_REGION = {"type": "object", "required": ["startLine"], "properties": {
    k: {"type": "integer", "minimum": 1} for k in ("startLine", "startColumn", "endLine", "endColumn")}}
_ARTIFACT = {"type": "object", "required": ["uri"], "properties": {"uri": {"type": "string"}, "uriBaseId": {"type": "string"}}}
_MESSAGE = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
_TEXT = _MESSAGE
SARIF_SCHEMA = {
    "type": "object", "required": ["$schema", "version", "runs"],
    "properties": {
        "version": {"enum": ["2.1.0"]},
        "$schema": {"type": "string"},
        "runs": {"type": "array", "items": {
            "type": "object", "required": ["tool", "results"],
            "properties": {
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name", "rules"],
                    "properties": {
                        "name": {"type": "string"}, "version": {"type": "string"},
                        "informationUri": {"type": "string"},
                        "rules": {"type": "array", "items": {
                            "type": "object", "required": ["id", "shortDescription"],
                            "properties": {
                                "id": {"type": "string"}, "name": {"type": "string"},
                                "shortDescription": _TEXT, "fullDescription": _TEXT,
                                "help": {"type": "object", "required": ["text"],
                                         "properties": {"text": {"type": "string"}, "markdown": {"type": "string"}}},
                                "defaultConfiguration": {"type": "object", "properties": {
                                    "level": {"enum": ["none", "note", "warning", "error"]}}},
                                "properties": {"type": "object", "properties": {
                                    "tags": {"type": "array", "items": {"type": "string"}}}},
                            }}},
                    }}}},
                "invocations": {"type": "array", "items": {
                    "type": "object", "required": ["executionSuccessful"],
                    "properties": {"executionSuccessful": {"type": "boolean"}}}},
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["message", "ruleId", "locations"],
                    "properties": {
                        "ruleId": {"type": "string"}, "ruleIndex": {"type": "integer", "minimum": 0},
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "message": _MESSAGE,
                        "locations": {"type": "array", "items": {"type": "object", "required": ["physicalLocation"],
                            "properties": {"physicalLocation": {
                                "type": "object", "required": ["artifactLocation", "region"],
                                "properties": {"artifactLocation": _ARTIFACT, "region": _REGION}}}}},
                        "partialFingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
                        "fixes": {"type": "array", "items": {
                            "type": "object", "required": ["artifactChanges"],
                            "properties": {"description": _MESSAGE, "artifactChanges": {"type": "array", "items": {
                                "type": "object", "required": ["artifactLocation", "replacements"],
                                "properties": {"artifactLocation": _ARTIFACT, "replacements": {"type": "array", "items": {
                                    "type": "object", "required": ["deletedRegion"],
                                    "properties": {"deletedRegion": _REGION, "insertedContent": {
                                        "type": "object", "properties": {"text": {"type": "string"}}}}}}}}}}}},
                    }}},
            }}},
    },
}
_TYPES = {"object": dict, "array": list, "string": str, "integer": int, "boolean": bool}


def validate(value, schema, where="$"):
    """Enough of JSON Schema for the subset above: type, enum, required, properties, items, minimum."""
    if "type" in schema:
        t = _TYPES[schema["type"]]
        assert isinstance(value, t) and not (t is int and isinstance(value, bool)), f"{where}: not {schema['type']}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if "minimum" in schema:
        assert value >= schema["minimum"], f"{where}: {value} < {schema['minimum']}"
    for key in schema.get("required", ()):
        assert key in value, f"{where}: missing {key}"
    for key, sub in schema.get("properties", {}).items():
        if key in value:
            validate(value[key], sub, f"{where}.{key}")
    if "additionalProperties" in schema:
        for key, v in value.items():
            validate(v, schema["additionalProperties"], f"{where}.{key}")
    if "items" in schema:
        for i, item in enumerate(value):
            validate(item, schema["items"], f"{where}[{i}]")


def test_sarif_structure():
    log = json.loads(render("sarif"))
    validate(log, SARIF_SCHEMA)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    assert run["tool"]["driver"]["version"] == "0.0.0-test"
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        assert uri.startswith("stories/") and "\\" not in uri
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        reg = loc["region"]
        assert (reg["endLine"], reg["endColumn"]) >= (reg["startLine"], reg["startColumn"])
    levels = [r["level"] for r in run["results"]]
    assert levels == ["warning", "note", "warning", "warning", "error"]
    assert "fixes" not in run["results"][3] and len(run["results"][0]["fixes"]) == 1
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].startswith("stories/bad.txt")


def test_sarif_adds_descriptors_for_unregistered_codes():
    r = FileResult("x.txt", [Finding("S001", "s", "warning", "m", 0, 1, line=1, column=1, end_line=1, end_column=2)])
    log = sarif.build([r], {})
    validate(log, SARIF_SCHEMA)
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["id"] == "S001"


def test_sarif_fingerprints_stable_and_line_independent():
    first = sarif.build(build_results(), RULES)
    second = sarif.build(build_results(), RULES)
    fps = [r["partialFingerprints"]["mtcheck/v1"] for r in first["runs"][0]["results"]]
    assert fps == [r["partialFingerprints"]["mtcheck/v1"] for r in second["runs"][0]["results"]]
    assert len(set(fps)) == len(fps)
    # Adding a paragraph above moves the line, not the fingerprint.
    shifted = "New lead paragraph.\n\n" + B_TEXT
    doc = read_text(shifted, "stories/b.txt")
    moved = sarif.build([FileResult("stories/b.txt", [make(doc, "stories/b.txt", "N001", "Genf")], document=doc)], RULES)
    assert moved["runs"][0]["results"][0]["partialFingerprints"] == first["runs"][0]["results"][4]["partialFingerprints"]


def test_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert paths.relative("./stories/a.txt") == "stories/a.txt"
    assert paths.relative(str(tmp_path / "stories" / "a.txt")) == "stories/a.txt"
    assert paths.relative("<stdin>") == "<stdin>"
    outside = tmp_path.parent / "elsewhere" / "z.txt"
    assert paths.sarif_location(str(outside)) == {"uri": outside.as_uri()}
    assert paths.sarif_location("stories/c d.txt") == {"uri": "stories/c%20d.txt", "uriBaseId": "%SRCROOT%"}
    assert paths.sarif_location("../up.txt")["uri"].startswith("file://")


def test_text_shows_a_window_of_a_very_long_line():
    # A story with no line breaks: each finding shows the span with context, not the whole text.
    long = "word " * 2000 + 'and "hello" again ' + "word " * 2000 + "\n"
    doc = read_text(long, "stories/long.txt")
    f = make(doc, "stories/long.txt", "P001", '"hello"', [safe("“hello”")])
    out = render("text", [FileResult("stories/long.txt", [f], document=doc)])
    shown = [line for line in out.splitlines() if line.startswith("1 |")][0]
    carets = [line for line in out.splitlines() if "^" in line][0]
    assert len(shown) < text.MAX_SHOWN + 20 and shown.count("…") == 2
    col = carets.index("^")
    assert shown[col:col + len('"hello"')] == '"hello"'
    assert text.clip("short", 2, 4) == ("short", 2, 4)
