"""Bytes to text: UTF-8, UTF-8 with BOM, UTF-16 with BOM; anything else is an error.

Never guesses a legacy encoding: silent mojibake is worse than a clear error.
"""
from __future__ import annotations

import codecs
from typing import NamedTuple

from ..errors import InputError


class Decoded(NamedTuple):  # not a frozen dataclass: cheaper to define at start-up
    text: str
    encoding: str  # codec name used to write the file back
    bom: bool


def decode(data: bytes, filename: str) -> Decoded:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", filename, bom=True, offset=3)
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        enc = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        return _strict(data[2:], enc, filename, bom=True, offset=2)
    if b"\x00" in data:
        raise InputError(filename, f"binary file (NUL byte at offset {data.index(0)})")
    return _strict(data, "utf-8", filename, bom=False, offset=0)


def _strict(body: bytes, encoding: str, filename: str, *, bom: bool, offset: int) -> Decoded:
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        where = exc.start + offset
        raise InputError(
            filename,
            f"cannot decode as {encoding.upper()} at byte offset {where} "
            f"(byte 0x{body[exc.start]:02x}); convert the file to UTF-8",
        ) from None
    if "\x00" in text:
        raise InputError(filename, f"binary file (NUL character at offset {text.index(chr(0))})")
    return Decoded(text, encoding, bom)


def encode(text: str, encoding: str, bom: bool) -> bytes:
    """The inverse of :func:`decode`: same codec, same BOM."""
    prefix = b""
    if bom:
        prefix = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}[encoding]
    return prefix + text.encode(encoding)
