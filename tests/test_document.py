"""Document model: blocks, kinds, sentences, tokens and line/column mapping."""
from __future__ import annotations

from hypothesis import given, strategies as st

from mtcheck.document import BODY, CAPTION, DATELINE, HEADLINE, SIGNATURE
from mtcheck.readers import read_text
from mtcheck.segment import split_sentences

STORY = """Baltic states to send missiles to Ukraine

GENEVA (AP) — The meeting lasted an hour and a half. Mr. Lavrov left at 3 p.m. on Friday.

Russian servicemen in position. Photo: Handout / AFP

The U.S. Army said No. 10 was ready. It was not.

INTERNATIONAL WRITING
"""


def test_block_kinds():
    doc = read_text(STORY, "s.txt")
    kinds = [b.kind for b in doc.blocks]
    assert kinds == [HEADLINE, BODY, CAPTION, BODY, SIGNATURE]
    body = doc.blocks[1]
    assert doc.text[body.start:body.body_start].startswith("GENEVA (AP)")


def test_dateline_only_block_and_efe_dateline():
    doc = read_text("MADRID, 3 oct (EFE).-\n\nEl Gobierno aprobó hoy el plan.\n", "s.txt")
    assert doc.blocks[0].kind == DATELINE
    doc = read_text("MADRID, 3 oct (EFE).- El Gobierno aprobó hoy el plan.\n\nOtro párrafo aquí.", "s.txt")
    assert doc.blocks[0].lead_end > doc.blocks[0].start


def test_single_block_is_body():
    doc = read_text("Werth had already won all four tests three weeks ago", "s.txt")
    assert [b.kind for b in doc.blocks] == [BODY]


def test_sentences_are_abbreviation_aware():
    text = "Mr. Smith met Gov. Newsom at 3 p.m. on Friday. The U.S. Army said No. 10 was there. It left."
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Mr. Smith met Gov. Newsom at 3 p.m. on Friday.",
        "The U.S. Army said No. 10 was there.",
        "It left.",
    ]


def test_line_col_and_crlf():
    doc = read_text("First line.\r\nSecond línea here.\r\n", "s.txt")
    i = doc.text.index("línea")
    assert doc.line_col(i) == (2, 8)
    assert doc.line_text(2) == "Second línea here."


@given(st.lists(st.text(alphabet="abc é.\n", min_size=0, max_size=30), max_size=8))
def test_tokens_point_at_their_text(parts):
    text = "\n\n".join(parts)
    doc = read_text(text, "s.txt")
    for t in doc.tokens:
        assert doc.text[t.start:t.end] == t.text
    for b in doc.blocks:
        assert doc.text[b.start:b.end].strip() == doc.text[b.start:b.end]
