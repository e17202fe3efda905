"""HTML reader: visible text only, every character mapped back to the file."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mtcheck.document import BODY, CAPTION, HEADLINE, Suppression
from mtcheck.readers import html, read_text

from .test_readers_md import spans_ok, words_ok

STORY = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8"><meta name="description" content="zmeta description">
  <title>Leaders meet in Genève</title>
  <style>p { font-family: "zstyle"; }</style>
  <script>var s = "<p>zscript</p>";</script>
</head>
<body>
  <article>
    <h1>Joe Biden &amp; Putin
        meet</h1>
    <p>GENEVA (AP) &mdash; Joe Biden <b>Y</b> Putin met on <em>Wednesday</em> for
       &#8220;talks&#x201D; at the <a href="https://example.com/zurl">Villa La Grange</a>.</p>
    <!-- an ordinary comment with zhidden words -->
    <p>The café owner said the <code>zcode()</code> venue was closed&nbsp;😀. AT&T agreed.</p>
    <figure><img src="https://example.com/zphoto.jpg" alt="zalt text">
      <figcaption>Photo: EFE</figcaption></figure>
    <ul><li>First item</li><li>Second <i>item</i></li></ul>
    <table><tr><th>City</th><td>Rome</td></tr></table>
    <pre>zpre formatted</pre><noscript>znoscript</noscript><template><p>ztemplate</p></template>
    <p>Line one<br>line two</p>
  </article>
</body>
</html>
"""


def test_story_offsets_round_trip():
    for source in (STORY, STORY.replace("\n", "\r\n")):
        doc = html.read(source, "story.html")
        spans_ok(doc)
        assert words_ok(doc) == len(doc.words)  # no entity inside a word here
        assert doc.format == "html" and doc.source == source


def test_hidden_content_is_absent():
    text = html.read(STORY).text
    assert not re.search(r"z\w+|https|example|<|>|&\w+;", text), re.findall(r"z\w+", text)
    for shown in ("Leaders meet in Genève", "Joe Biden & Putin meet", "Joe Biden Y Putin met on Wednesday",
                  "“talks” at the Villa La Grange.", "café", "closed\xa0😀", "AT&T agreed", "Photo: EFE"):
        assert shown in text, shown
    assert "the venue" in text  # a removed <code> leaves one space
    assert not re.search(r"\s\s", html.read(STORY).block_text(html.read(STORY).blocks[1]))


def test_whitespace_collapses_to_one_space():
    doc = html.read("<p>  Joe   Biden\n  meets\nPutin </p>")
    assert doc.text == "Joe Biden meets\nPutin"  # one character stays itself, a run becomes " "
    spans_ok(doc)
    i = doc.text.index(" Biden")
    assert doc.to_file(i, i + 1) == (8, 11)
    assert not doc.fixable_span(i - 3, i + 6)
    assert doc.fixable_span(0, 3) and doc.fixable_span(i + 1, i + 6)


def test_finding_maps_to_line_and_column():
    doc = html.read(STORY)
    s = doc.text.index(" Y ") + 1
    fs, fe = doc.to_file(s, s + 1)
    line_no = next(i for i, l in enumerate(STORY.splitlines(), 1) if "<b>Y</b>" in l)
    assert doc.line_col(fs) == (line_no, STORY.splitlines()[line_no - 1].index("<b>Y") + 4)
    assert doc.source[fs:fe] == "Y"


def test_blocks_and_kinds():
    doc = html.read(STORY)
    kinds = {doc.block_text(b): b.kind for b in doc.blocks}
    assert kinds["Leaders meet in Genève"] == HEADLINE  # <title> is checked, as a headline
    assert kinds["Joe Biden & Putin meet"] == HEADLINE
    assert kinds["Photo: EFE"] == CAPTION
    assert kinds["First item"] == kinds["Second item"] == kinds["Rome"] == kinds["City"] == BODY
    assert "Line one" in kinds and "line two" in kinds  # <br> separates blocks
    assert all("\n\n" not in doc.block_text(b) for b in doc.blocks)
    h1 = next(b for b in doc.blocks if doc.block_text(b).startswith("Joe Biden &"))
    fs, fe = doc.to_file(h1.start, h1.end)
    assert doc.source[fs:fe] == "Joe Biden &amp; Putin\n        meet"


def test_entities():
    src = "<p>Tom &amp; Jerry &#8220;here&#X201d; caf&eacute; &copy 2024 AT&T &bogus;</p>"
    doc = html.read(src)
    assert doc.text == "Tom & Jerry “here” café © 2024 AT&T &bogus;"
    spans_ok(doc)
    amp = doc.text.index("&")
    assert doc.to_file(amp, amp + 1) == (src.index("&amp;"), src.index("&amp;") + 5)
    assert not doc.fixable_span(amp - 1, amp + 2)
    cafe = doc.text.index("café")
    assert not doc.fixable_span(cafe, cafe + 4)  # across "&eacute;"
    assert doc.to_file(cafe, cafe + 4) == (src.index("caf&"), src.index(" &copy"))
    assert doc.fixable_span(0, 3)
    att = doc.text.index("AT&T")
    assert doc.fixable_span(att, att + 4)
    assert doc.text.endswith("&bogus;") and doc.fixable_span(len(doc.text) - 7, len(doc.text))


def test_skipped_elements_nest_and_tolerate_bad_markup():
    doc = html.read("<div>One<pre>x<code>y</code>z</pre>Two</div><p>Three<p>Four</div></span>Five")
    assert [doc.block_text(b) for b in doc.blocks] == ["One", "Two", "Three", "Four", "Five"]
    assert html.read("").text == "" and html.read("plain words").text == "plain words"


def test_read_text_dispatches_on_extension():
    assert read_text("<h1>Hi &amp; bye</h1>", "a.htm").text == "Hi & bye"
    assert read_text("<h1>Hi</h1>", "a.html").format == "html"


# -- suppressions ----------------------------------------------------------------

def test_ignore_next_block():
    doc = html.read("<p>First.</p><!-- mtcheck: ignore[P001] --><p>Second.</p><p>Third.</p>")
    second = doc.blocks[1]
    assert doc.block_text(second) == "Second."
    assert doc.suppressions == [Suppression(second.start, second.end, ("P001",))]


def test_ignore_inside_block_start_applies_to_that_block():
    doc = html.read("<p><!-- mtcheck: ignore --> First.</p><p>Second.</p>")
    assert doc.suppressions == [Suppression(0, len("First."), ())]


def test_disable_enable_regions():
    doc = html.read(
        "<p>One.</p><!-- mtcheck: disable[T] --><p>Two.</p><!-- mtcheck: enable[T] -->"
        "<p>Three.</p><!-- mtcheck: disable --><p>Four.</p>"
    )
    text = doc.text
    t, every = doc.suppressions
    assert t.codes == ("T",) and text[t.start:t.end].strip() == "Two."
    assert every.codes == () and text[every.start:every.end].strip() == "Four." and every.end == len(text)


# -- property test ---------------------------------------------------------------

WORDS = ["alpha", "Beta", "café", "naïve", "“quoted”", "it’s", "😀", "São", "<b>bold</b>",
         "<a href='http://xurl.example/'>link text</a>", "<code>zcode</code>", "&amp;", "&#8220;",
         "&nbsp;", "<!-- zcomment -->", "<script>zscript('<p>')</script>", "<style>zstyle{}</style>",
         "<img src='zimg.png' alt='zalt'>", "AT&T", "<span class=x>", "</span>"]
SEPARATORS = [" ", " ", "  ", "\n", "\r\n", "\n      ", "\t", "</p>\n<p>", "<br>", "<br/>",
              "\n<h2>", "</h2>", "<li>", "<div>", "</div>", "<td>"]


@st.composite
def html_docs(draw):
    parts = [draw(st.sampled_from(["", "<html><body>", "<title>", "<p>"]))]
    for _ in range(draw(st.integers(1, 40))):
        parts.append(draw(st.sampled_from(WORDS)))
        parts.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(html_docs())
def test_property_every_word_round_trips(source):
    doc = html.read(source)
    spans_ok(doc)
    words_ok(doc)
    for w in doc.words:
        assert doc.fixable_span(w.start, w.end), w
    assert not re.search(r"z(code|comment|script|style|img|alt)|xurl|<|>", doc.text)
    assert "  " not in doc.text
    for b in doc.blocks:
        fs, fe = doc.to_file(b.start, b.end)
        assert 0 <= fs <= fe <= len(source)
