"""JUnit XML, for CI dashboards (GitLab, Jenkins) that only understand tests.

Each file is a test case: it passes with no findings, fails once per finding,
and errors when it could not be read.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any, TextIO

from .paths import relative

if TYPE_CHECKING:
    from ..result import FileResult

# Characters XML 1.0 forbids even escaped; wire copy does carry them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """Make ``text`` legal XML, showing forbidden characters as ``\\xNN``."""
    return _INVALID_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def build(results: list[FileResult]) -> ET.Element:
    failing = sum(1 for r in results if r.error is None and r.findings)
    errors = sum(1 for r in results if r.error is not None)
    counts = {"tests": str(len(results)), "failures": str(failing), "errors": str(errors)}
    root = ET.Element("testsuites", name="mtcheck", **counts)
    suite = ET.SubElement(root, "testsuite", name="mtcheck", **counts, skipped="0")
    for r in results:
        path = clean(relative(r.filename))
        case = ET.SubElement(suite, "testcase", classname=path, name=path)
        if r.error is not None:
            ET.SubElement(case, "error", message=clean(r.error), type="error").text = clean(r.error)
            continue
        for f in r.findings:
            failure = ET.SubElement(case, "failure", message=clean(f.message), type=f.code)
            failure.text = clean(f"{path}:{f.line}:{f.column}: {f.code} {f.message}")
    ET.indent(root)
    return root


def write(results: list[FileResult], stream: TextIO, **_: Any) -> None:
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(build(results), encoding="unicode") + "\n")
