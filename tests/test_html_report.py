"""``--format html``: the self-contained report for copy editors (mtcheck.output.html).

Regenerate the golden page with ``MTCHECK_UPDATE_GOLDEN=1 pytest tests/test_html_report.py``
and look at it in a browser before committing the diff.
"""
from __future__ import annotations

import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

import mtcheck
from mtcheck import cli, output
from mtcheck.output import html as html_out
from mtcheck.readers import read_text
from mtcheck.result import FileResult
from mtcheck.rules import Rule, safe, unsafe

GOLDEN = Path(__file__).parent / "golden" / "html"
UPDATE = os.environ.get("MTCHECK_UPDATE_GOLDEN") == "1"

# Rules of the test's own, so the golden page doesn't change when real rules are reworded.
RULES = {
    "U001": Rule("U001", "untranslated-word", "warning", "A source-language word left in the translation.",
                 fix="sometimes"),
    "P004": Rule("P004", "abbreviation-missing-period", "warning", "A dotted abbreviation lost its final period.",
                 fix="always"),
    "P005": Rule("P005", "missing-terminal-punctuation", "warning", "A paragraph has no terminal punctuation.",
                 fix="sometimes"),
    "P006": Rule("P006", "doubled-word", "warning", "A word is repeated.", fix="always"),
    "C001": Rule("C001", "calque", "info", "A calque of the source <phrase> & its \"quotes\"."),
    "S001": Rule("S001", "number-mismatch", "error", "A number differs from the source."),
    "N001": Rule("N001", "name-variant", "error", "One person, two spellings."),
}

A_TEXT = (
    "SUMMIT IN GENEVA 😀\n"
    "\n"
    "GENEVA, 3 Jun (EFE).- A summit between Joe Biden Y Vladimir Putin will take place on 18 June, "
    "the U.S promised.\n"
    "\n"
    "The the talks <b>will</b> last & last, said Jen Psakki\n"
)
B_TEXT = "Officials in Geneva said the talks would resume.\n"


def make(doc, filename, code, needle, suggestions=(), message=None, occurrence=0, insert=False, **extra):
    start = -1
    for _ in range(occurrence + 1):
        start = doc.source.index(needle, start + 1)
    end = start if insert else start + len(needle)
    if insert:
        start = end = start + len(needle)
    line, column = doc.line_col(start)
    end_line, end_column = doc.line_col(end)
    return RULES[code].finding(start, end, message, suggestions, **extra).with_(
        filename=filename, text=doc.source[start:end], line=line, column=column, end_line=end_line,
        end_column=end_column,
    )


def build_results() -> list[FileResult]:
    a = read_text(A_TEXT, "stories/a.txt")
    b = read_text(B_TEXT, "stories/b.txt")
    name = "stories/a.txt"
    findings = [
        make(a, name, "U001", "Y", [safe("and")], "Spanish 'Y' (and) left in English text."),
        make(a, name, "S001", "18", [unsafe("16")], '"18" does not match the source, which has "16" here.',
             source_text="La cumbre entre Joe Biden y Vladimir Putin se celebrará el 16 de junio."),
        make(a, name, "P004", "U.S", [safe("U.S."), unsafe("US")], "“U.S” has lost its final period."),
        make(a, name, "P006", "The the", [safe("The")], "“the” is repeated."),
        # Overlaps the doubled word: the highlight splits, both tooltips show.
        make(a, name, "C001", "the talks", [], "A calque <with> markup & ampersands."),
        make(a, name, "N001", "Psakki", [unsafe("Psaki")], "Spelled “Psaki” elsewhere in the story."),
        # An insertion point: a zero-width finding at the end of the paragraph.
        make(a, name, "P005", "Psakki", [safe(".")], "The paragraph has no terminal punctuation.", insert=True),
    ]
    return [
        FileResult(name, findings, document=a),
        FileResult("stories/b.txt", [], document=b),
        FileResult("stories/bad.txt", [], error="stories/bad.txt: cannot decode as UTF-8 (byte 0xff at offset 12)"),
    ]


def render(results=None, **opts) -> str:
    buf = io.StringIO()
    output.write("html", build_results() if results is None else results, buf, rules=RULES, **opts)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _pinned_version(monkeypatch):
    monkeypatch.setattr(mtcheck, "__version__", "0.0.0-test")


def test_golden():
    got = render()
    path = GOLDEN / "report.html"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(got)
    assert path.exists(), f"missing {path}: run with MTCHECK_UPDATE_GOLDEN=1"
    with open(path, encoding="utf-8", newline="") as fh:
        assert got == fh.read()


# -- structure ----------------------------------------------------------------------


class Page(HTMLParser):
    """Collects ids, references, marks, and the story text as a reader sees it."""

    VOID = {"meta", "br", "link", "img", "input", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.ids: list[str] = []
        self.described: list[str] = []
        self.links: list[str] = []
        self.marks: list[dict] = []
        self.stories: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if "aria-describedby" in a:
            self.described.append(a["aria-describedby"])
        for key in ("href", "src"):
            if key in a:
                (self.external if re.match(r"^(?:[a-z]+:)?//", a[key] or "") else self.links).append(a[key])
        if tag == "link" or (tag == "script" and "src" in a):
            self.external.append(tag)
        if tag == "mark":
            self.marks.append(a)
        if a.get("class") == "story" and tag == "div":
            self.stories.append("")
        if tag not in self.VOID:
            self.stack.append((tag, a))

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        classes = [a.get("class", "") for _, a in self.stack]
        if any(c == "story" for c in classes) and not any(c in ("tip", "ref") for c in classes):
            if not any("insert" in c for c in classes):
                self.stories[-1] += data


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    p.close()
    assert p.stack == [], p.stack
    return p


def test_structure_accessibility_and_no_external_assets():
    page = render()
    p = parse(page)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert len(p.ids) == len(set(p.ids)), "duplicate ids"
    assert set(p.described) <= set(p.ids)
    for link in p.links:
        assert link.startswith("#") and link[1:] in p.ids, link
    assert p.external == []
    assert "url(" not in page and "@import" not in page
    assert p.marks and all(m.get("tabindex") == "0" and m.get("aria-describedby") for m in p.marks)
    assert 'role="tooltip"' in page and "mark.flag:focus>.tip" in page  # shown on focus, not only hover
    assert "@media print" in page
    # Every finding has a row that links to its highlight.
    for n in range(1, 8):
        assert f'href="#f1-{n}"' in page and f'id="f1-{n}"' in page


def test_story_text_is_preserved_and_escaped():
    p = parse(render())
    assert p.stories[0] == A_TEXT
    page = render()
    assert "<b>will</b>" not in page and "&lt;b&gt;will&lt;/b&gt;" in page
    assert "A calque &lt;with&gt; markup &amp; ampersands." in page


def test_source_sentence_and_suggestions_are_shown():
    page = render()
    assert "Source sentence" in page
    assert "La cumbre entre Joe Biden y Vladimir Putin se celebrará el 16 de junio." in page
    assert '<q class="sugg safe">and</q>' in page and '<q class="sugg unsafe">Psaki</q>' in page


def test_severity_classes_and_rule_table():
    page = render()
    assert 'class="flag sev-error"' in page and 'class="flag sev-warning"' in page
    table = page.split('<table class="rules"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == len(RULES) + 1
    assert "A calque of the source &lt;phrase&gt; &amp; its &quot;quotes&quot;." in table or \
           "A calque of the source &lt;phrase&gt; &amp; its \"quotes\"." in table


def test_error_and_clean_files():
    page = render()
    assert "Could not be checked: stories/bad.txt: cannot decode as UTF-8" in page
    assert "No findings." in page
    assert "7 findings (2 errors, 4 warnings, 1 info) in 1 of 3 stories." in page


def test_empty_and_single():
    assert "Nothing was checked." in render([])
    doc = read_text(B_TEXT, "b.txt")
    single = render([FileResult("b.txt", [], document=doc)])
    assert "<title>mtcheck report: b.txt</title>" in single and "No findings: all checks passed." in single


def test_control_characters_are_made_visible():
    doc = read_text("Bell \x07 and the the end.\n", "c.txt")
    i = doc.source.index("the the")
    f = RULES["P006"].finding(i, i + 7, None, [safe("the")]).with_(filename="c.txt", text="the the", line=1,
                                                                   column=i + 1, end_line=1, end_column=i + 8)
    page = render([FileResult("c.txt", [f], document=doc)])
    assert "\x07" not in page and "\u2407" in page


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab <&>\"'\n\té😀")), min_size=0, max_size=40),
    spans=st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45)), max_size=6),
)
def test_any_spans_render_balanced_and_keep_the_text(text, spans):
    doc = read_text(text, "h.txt")
    findings = []
    for s, e in spans:
        s, e = sorted((min(s, len(doc.source)), min(e, len(doc.source))))
        line, col = doc.line_col(s)
        end_line, end_col = doc.line_col(e)
        findings.append(RULES["P006"].finding(s, e, "m").with_(
            filename="h.txt", text=doc.source[s:e], line=line, column=col, end_line=end_line, end_column=end_col))
    page = render([FileResult("h.txt", findings, document=doc)])
    p = parse(page)
    if findings:
        assert p.stories[0] == doc.source.replace("\r\n", "\n").replace("\r", "\n")
        assert len(p.ids) == len(set(p.ids))
        assert set(p.described) <= set(p.ids)


# -- through the command line ----------------------------------------------------------


def test_cli_format_html(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("The talks between the the leaders ended without agreement.\n", encoding="utf-8")
    r = CliRunner().invoke(cli.main, ["--no-config", "--format", "html", "--select", "P006", str(story)])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("<!DOCTYPE html>")
    assert 'data-codes="P006"' in r.output and "doubled-word" in r.output
    p = parse(r.output)
    assert p.stories[0] == story.read_text(encoding="utf-8")


def test_html_is_a_listed_format():
    assert "html" in output.FORMATS and "html" in cli.FORMATS
    assert html_out.source_sentence(RULES["S001"].finding(0, 1, source_text="  Fuente.  ")) == "Fuente."
