"""Markdown reader: prose only, every character mapped back to the file."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mtcheck.document import BODY, CAPTION, HEADLINE, Document, Suppression
from mtcheck.readers import md, read_text

STORY = """---
title: Front matter *title*
tags: [secret-tag]
---
# Joe Biden & **Putin** meet in Genève

GENEVA (AP) -- Joe Biden **Y** Putin met on *Wednesday* for “talks” at the [Villa La Grange](https://example.com/villa-url "Villa title").
The café owner said the `code span` was &amp; remained closed 😀.

<!-- an ordinary comment with hidden words -->
Officials met at the \\*old\\* lakeside villa.  
They left at noon.

```python
print("fenced code")
```

    indented code block

- First item about the summit
- Second item with <!-- inline comment --> an ![alt picture](https://example.com/photo-url.jpg) image

> Quoted remark from an aide, naïve but sincere.

Photo: EFE

| City | Country |
|------|---------|
| Rome | Italy |
| Rome | Rome |

Setext headline here
--------------------

Reporting by Jane Doe. Visit <https://example.com/autolink-url> for more.
"""


def spans_ok(doc: Document) -> None:
    """Every equal-length segment is a verbatim copy of the file."""
    for seg in doc.offset_map.segments:
        plain = doc.text[seg.plain_start : seg.plain_start + seg.plain_len]
        assert 0 <= seg.file_start <= seg.file_start + seg.file_len <= len(doc.source)
        if seg.plain_len == seg.file_len:
            assert doc.source[seg.file_start : seg.file_start + seg.file_len] == plain, seg


def words_ok(doc: Document) -> int:
    """Every fixable word maps to itself in the file; returns how many were checked."""
    n = 0
    for w in doc.words:
        fs, fe = doc.to_file(w.start, w.end)
        assert 0 <= fs <= fe <= len(doc.source)
        if doc.fixable_span(w.start, w.end):
            assert doc.source[fs:fe] == w.text, (w, doc.source[fs:fe])
            n += 1
    return n


def test_story_offsets_round_trip():
    for source in (STORY, STORY.replace("\n", "\r\n")):
        doc = md.read(source, "story.md")
        spans_ok(doc)
        assert words_ok(doc) == len(doc.words)  # no entity inside a word here
        assert doc.format == "md" and doc.source == source


def test_skipped_content_is_absent():
    text = md.read(STORY).text
    for hidden in ("title", "secret", "fenced", "print", "indented code", "code span", "url",
                   "https", "example.com", "Villa title", "alt picture", "hidden words",
                   "inline comment", "**", "`", "[", "](", "<!--", "|"):
        assert hidden not in text, hidden
    for shown in ("Joe Biden Y Putin met on Wednesday", "Villa La Grange", "“talks”", "café",
                  "was & remained closed 😀", "the *old* lakeside", "naïve", "Rome", "Italy",
                  "Setext headline here", "Visit for more."):
        assert shown in text, shown
    # Removing a code span or an image leaves one space, not two.
    assert "  " not in text


def test_finding_maps_to_line_and_column():
    doc = md.read(STORY)
    s = doc.text.index(" Y ") + 1
    fs, fe = doc.to_file(s, s + 1)
    line = doc.source.splitlines()[6]
    assert line.startswith("GENEVA (AP) -- Joe Biden **Y**")
    assert doc.line_col(fs) == (7, line.index("Y") + 1)
    assert doc.source[fs:fe] == "Y"


def test_blocks_and_kinds():
    doc = md.read(STORY)
    kinds = {doc.block_text(b): b.kind for b in doc.blocks}
    assert kinds["Joe Biden & Putin meet in Genève"] == HEADLINE
    assert kinds["Setext headline here"] == HEADLINE
    assert kinds["First item about the summit"] == BODY  # list items are never headlines
    assert kinds["Rome"] == BODY
    assert kinds["Photo: EFE"] == CAPTION
    assert "Officials met at the *old* lakeside villa.\nThey left at noon." in kinds
    assert all("\n\n" not in doc.block_text(b) for b in doc.blocks)
    # Each block maps inside the file region of its own markdown block.
    para = next(b for b in doc.blocks if doc.block_text(b).startswith("Officials"))
    fs, fe = doc.to_file(para.start, para.end)
    assert doc.source[fs:fe] == "Officials met at the \\*old\\* lakeside villa.  \nThey left at noon."


def test_breaks_map_to_line_breaks():
    doc = md.read("One line\r\nnext line  \r\nafter hard break\\\nlast\n")
    assert doc.text == "One line\nnext line\nafter hard break\nlast"
    spans_ok(doc)
    first = doc.text.index("\n")
    assert doc.to_file(first, first + 1) == (8, 10)  # "\n" came from "\r\n"
    assert not doc.fixable_span(first, first + 1)
    lf = md.read("a b\nc d\n")
    assert lf.text == "a b\nc d" and lf.fixable_span(0, 7)


def test_entities_and_escapes():
    doc = md.read("Tom &amp; Jerry &#8220;here&#8221; \\_not em\\_ AT&T\n")
    assert doc.text == "Tom & Jerry “here” _not em_ AT&T"
    spans_ok(doc)
    amp = doc.text.index("&")
    assert doc.to_file(amp, amp + 1) == (4, 9)
    assert not doc.fixable_span(amp - 1, amp + 2)  # across the entity
    assert doc.fixable_span(0, 3) and doc.fixable_span(amp + 2, amp + 7)
    quote = doc.text.index("“")
    assert doc.to_file(quote, doc.text.index("”") + 1) == (16, 34)
    # A literal "&" that is no entity is ordinary text.
    att = doc.text.index("AT&T")
    assert doc.fixable_span(att, att + 4)


def test_front_matter_toml_and_unclosed():
    doc = md.read("+++\ntitle = \"x\"\n+++\n\nBody text.\n")
    assert doc.text == "Body text."
    assert doc.line_col(doc.to_file(0, 4)[0]) == (5, 1)
    # Without a closing line it is no front matter: "---" is a thematic break.
    assert md.read("---\nJust text.\n").text == "Just text."


def test_table_cells_with_same_text_map_to_their_own_cell():
    doc = md.read("| a | a |\n|---|---|\n| b a | a |\n")
    spans_ok(doc)
    starts = [doc.to_file(b.start, b.end)[0] for b in doc.blocks]
    assert [doc.block_text(b) for b in doc.blocks] == ["a", "a", "b a", "a"]
    assert starts == [2, 6, 22, 28]


def test_atx_heading_with_hashes_in_text():
    doc = md.read("# # Five #\n")
    assert doc.text == "# Five"
    assert doc.to_file(0, 6) == (2, 8)


def test_nested_containers():
    src = "> - quoted item\n>   continued\n>\n> > deeper *quote*\n\n1. First\n\n   Second para\n"
    doc = md.read(src)
    spans_ok(doc)
    assert [doc.block_text(b) for b in doc.blocks] == [
        "quoted item\ncontinued", "deeper quote", "First", "Second para"]
    assert words_ok(doc) == len(doc.words)


def test_html_block_is_skipped():
    doc = md.read("<div class=\"ad\">\nBuy now\n</div>\n\nReal text.\n")
    assert doc.text == "Real text."


def test_read_text_dispatches_on_extension():
    assert read_text("# Hi *there*\n", "story.md").format == "md"
    assert read_text("# Hi *there*\n", "story.markdown").text == "Hi there"


# -- suppressions --------------------------------------------------------------

def test_ignore_next_block():
    doc = md.read("First para.\n\n<!-- mtcheck: ignore[p001, T2] -->\nSecond para.\n\nThird para.\n")
    second = next(b for b in doc.blocks if doc.block_text(b) == "Second para.")
    assert doc.suppressions == [Suppression(second.start, second.end, ("P001", "T2"))]


def test_bare_ignore_and_inline_comment():
    doc = md.read("Alpha <!-- mtcheck: ignore --> beta.\n\nGamma.\n")
    gamma = doc.blocks[1]
    assert doc.text == "Alpha beta.\n\nGamma."
    assert doc.suppressions == [Suppression(gamma.start, gamma.end, ())]


def test_disable_enable_regions():
    src = ("One.\n\n<!-- mtcheck: disable[P001,P002] -->\n\nTwo.\n\nThree.\n\n"
           "<!-- mtcheck: enable[P001] -->\n\nFour.\n\n<!-- mtcheck: enable -->\n\n"
           "Five.\n\n<!--mtcheck:disable-->\n\nSix.\n")
    doc = md.read(src)
    text = doc.text
    two, four, six = text.index("Two"), text.index("Four"), text.index("Six")
    by_codes = {s.codes: s for s in doc.suppressions}
    p1, p2, every = by_codes[("P001",)], by_codes[("P002",)], by_codes[()]
    assert p1.start <= two and p1.end <= four and p1.end > text.index("Three")
    assert p2.start <= two and p2.end > four and p2.end <= text.index("Five")
    assert every.start <= six and every.end == len(text)
    assert "One" not in text[p1.start:p1.end]


def test_malformed_directives_are_ignored():
    doc = md.read("<!-- mtcheck ignore -->\n\nText.\n\n<!-- mtcheck: frobnicate -->\n\nMore.\n")
    assert doc.suppressions == []


# -- property test ---------------------------------------------------------------

WORDS = ["alpha", "Beta", "café", "naïve", "Genève", "“quoted”", "it’s", "ümlaut", "😀", "São",
         "*em*", "**strong**", "_under_", "[link text](http://xurl.example/a)", "`zcode`",
         "&amp;", "&#8220;", "\\*", "<!-- zcomment -->", "<b>", "x&y", "![zalt](zimg.png)"]
SEPARATORS = [" ", " ", " ", "\n", "\r\n", "  \n", "\n\n", "\r\n\r\n", "\n\n# ", "\n\n## ",
              "\n\n- ", "\n\n> ", "\n\n1. ", "\n\n```\nzfence\n```\n\n", "\n\n    indented\n\n"]


@st.composite
def markdown_docs(draw):
    parts = [draw(st.sampled_from(["", "# ", "---\nzfront: 1\n---\n", "> "]))]
    for _ in range(draw(st.integers(1, 40))):
        parts.append(draw(st.sampled_from(WORDS)))
        parts.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(markdown_docs())
def test_property_every_word_round_trips(source):
    doc = md.read(source)
    spans_ok(doc)
    words_ok(doc)
    for w in doc.words:
        # Fragments are space-separated, so no word straddles markup or an entity.
        assert doc.fixable_span(w.start, w.end), w
    assert not re.search(r"z(code|fence|comment|alt|img|front)|xurl", doc.text)
    for b in doc.blocks:
        fs, fe = doc.to_file(b.start, b.end)
        assert 0 <= fs <= fe <= len(source)
