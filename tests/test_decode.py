"""Decoding: UTF-8, UTF-8 with BOM, UTF-16 with BOM, and clear errors for the rest."""
from __future__ import annotations

import codecs

import pytest
from hypothesis import given, strategies as st

from mtcheck.errors import InputError
from mtcheck.readers.decode import decode, encode

text_st = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200)


@given(text_st, st.sampled_from([("utf-8", False), ("utf-8", True), ("utf-16-le", True), ("utf-16-be", True)]))
def test_round_trip(text, enc):
    encoding, bom = enc
    data = encode(text, encoding, bom)
    d = decode(data, "f.txt")
    assert d.text == text
    assert encode(d.text, d.encoding, d.bom) == data


def test_bom_variants():
    assert decode(codecs.BOM_UTF8 + "é".encode(), "a").text == "é"
    assert decode(codecs.BOM_UTF16_LE + "é".encode("utf-16-le"), "a").encoding == "utf-16-le"


def test_undecodable_names_file_and_offset():
    with pytest.raises(InputError) as exc:
        decode(b"Bogot\xe1 today", "story.txt")
    msg = str(exc.value)
    assert msg.startswith("story.txt:") and "byte offset 5" in msg and "\n" not in msg


def test_binary_is_an_error():
    with pytest.raises(InputError, match="binary"):
        decode(b"abc\x00def", "x.txt")


def test_empty_is_fine():
    assert decode(b"", "e.txt").text == ""
