"""The command line: every option and exit code, bad input, fixes and baselines."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from mtcheck import __version__
from mtcheck.cli import main

CLEAN = "Officials met in Geneva on Friday.\n\nThe talks lasted an hour and a half, the ministry said.\n"
DIRTY = (
    "The U.S. delegation arrived on Friday.\n\n"
    "After the meeting, U.S promised a written response to the the demands.\n"
)


def run(args, input=None, cwd=None):
    runner = CliRunner()
    if cwd:
        old = os.getcwd()
        os.chdir(cwd)
    try:
        return runner.invoke(main, args, input=input, catch_exceptions=False)
    finally:
        if cwd:
            os.chdir(old)


@pytest.fixture
def stories(tmp_path):
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "dirty.txt").write_text(DIRTY, encoding="utf-8")
    return tmp_path


def codes_of(output: str) -> list[str]:
    return [f["code"] for f in json.loads(output)]


def test_version():
    r = run(["--version"])
    assert r.exit_code == 0 and __version__ in r.output


def test_clean_exits_zero(stories):
    r = run(["--no-config", str(stories / "clean.txt")])
    assert r.exit_code == 0, r.output
    assert "All checks passed" in r.output


def test_findings_exit_one_with_fail_on_warning(stories):
    path = str(stories / "dirty.txt")
    r = run(["--no-config", "--fail-on", "warning", path])
    assert r.exit_code == 1
    assert f"{path}:3:" in r.output and "P004" in r.output and "P006" in r.output
    assert run(["--no-config", "--fail-on", "warning", "--exit-zero", path]).exit_code == 0


def test_default_fail_on_is_error(stories):
    r = run(["--no-config", "--format", "json", str(stories / "dirty.txt")])
    severities = {f["severity"] for f in json.loads(r.output)}
    assert r.exit_code == (1 if "error" in severities else 0)


def test_select_and_ignore(stories):
    path = str(stories / "dirty.txt")
    assert set(codes_of(run(["--no-config", "--format", "json", "--select", "P006", path]).output)) == {"P006"}
    assert "P006" not in codes_of(run(["--no-config", "--format", "json", "--ignore", "P006", path]).output)
    r = run(["--no-config", "--select", "X99", path])
    assert r.exit_code == 2 and "X99" in r.output


def test_json_contract(stories):
    r = run(["--no-config", "--format", "json", str(stories / "dirty.txt")])
    data = json.loads(r.output)
    source = (stories / "dirty.txt").read_text(encoding="utf-8")
    keys = {"filename", "code", "name", "severity", "message", "start", "end", "line", "column",
            "end_line", "end_column", "text", "suggestions"}
    assert data
    for f in data:
        assert keys <= set(f)
        assert source[f["start"]:f["end"]] == f["text"]
        assert f["severity"] in ("error", "warning", "info")
        for s in f["suggestions"]:
            assert s["applicability"] in ("safe", "unsafe")


@pytest.mark.parametrize("fmt", ["jsonl", "sarif", "github", "rdjson", "junit", "text"])
def test_every_format_parses(stories, fmt):
    r = run(["--no-config", "--format", fmt, "--fail-on", "warning", str(stories / "dirty.txt")])
    assert r.exit_code == 1, r.output
    out = r.output
    if fmt == "jsonl":
        assert all(json.loads(line)["code"] for line in out.splitlines())
    elif fmt in ("sarif", "rdjson"):
        json.loads(out)
    elif fmt == "junit":
        assert ET.fromstring(out).tag == "testsuites"
    elif fmt == "github":
        assert out.startswith("::")


def test_bad_input_one_line_errors_and_others_still_checked(stories):
    (stories / "binary.txt").write_bytes(b"garbage\x00\xff\xfe")
    (stories / "latin1.txt").write_bytes("Bogotá".encode("latin-1"))
    (stories / "empty.txt").write_bytes(b"")
    args = ["--no-config", "--format", "json", str(stories / "missing.txt"), str(stories / "binary.txt"),
            str(stories / "latin1.txt"), str(stories / "empty.txt"), str(stories / "dirty.txt")]
    runner = CliRunner()
    r = runner.invoke(main, args, catch_exceptions=False)
    assert r.exit_code == 2
    err_lines = [line for line in r.stderr.splitlines() if line]
    assert len(err_lines) == 4
    assert any("missing.txt" in line for line in err_lines)
    assert any("empty.txt" in line and "empty" in line for line in err_lines)
    assert any("binary.txt" in line and "binary" in line for line in err_lines)
    assert any("latin1.txt" in line and "byte offset 5" in line for line in err_lines)
    assert "Traceback" not in r.output
    assert "dirty.txt" in r.stdout  # the good file was still reported


def test_size_cap(stories):
    r = run(["--no-config", "--max-file-size", "10", str(stories / "dirty.txt")])
    assert r.exit_code == 2 and "size cap" in r.output
    r = run(["--no-config", "--max-file-size", "1MB", str(stories / "clean.txt")])
    assert r.exit_code == 0


def test_directory_recursion_by_extension(stories):
    sub = stories / "sub"
    sub.mkdir()
    (sub / "story.md").write_text("# Title\n\nThe the cat sat down.\n", encoding="utf-8")
    (sub / "data.csv").write_text("a,b\n")
    r = run(["--no-config", "--format", "json", str(stories)])
    names = {os.path.basename(f["filename"]) for f in json.loads(r.output)}
    assert "story.md" in names and "dirty.txt" in names and "data.csv" not in names


def test_stdin_with_filename():
    r = run(["--no-config", "--format", "json", "--stdin-filename", "wire.md", "-"], input=DIRTY.encode())
    data = json.loads(r.output)
    assert data and all(f["filename"] == "wire.md" for f in data)


def test_fix_writes_and_is_idempotent(stories):
    path = stories / "dirty.txt"
    r = run(["--no-config", "--fix", str(path)])
    fixed = path.read_text(encoding="utf-8")
    assert "U.S. promised" in fixed and "the the" not in fixed
    assert fixed.startswith("The U.S. delegation arrived on Friday.\n\n")
    run(["--no-config", "--fix", str(path)])
    assert path.read_text(encoding="utf-8") == fixed
    assert r.exit_code in (0, 1)


def test_diff_writes_nothing(stories):
    path = stories / "dirty.txt"
    r = run(["--no-config", "--diff", str(path)])
    assert r.exit_code == 1
    assert "-After the meeting, U.S promised" in r.output and "+After the meeting, U.S. promised" in r.output
    assert path.read_text(encoding="utf-8") == DIRTY


def test_baseline_hides_known_and_reports_stale(stories):
    path = stories / "dirty.txt"
    base = stories / "baseline.json"
    run(["--no-config", "--write-baseline", str(base), str(path)])
    assert json.loads(base.read_text())["findings"]
    # An unrelated edit above the findings: they stay hidden.
    path.write_text("A new first paragraph was added.\n\n" + DIRTY, encoding="utf-8")
    r = run(["--no-config", "--format", "json", "--baseline", str(base), str(path)])
    assert json.loads(r.stdout) == [] and r.exit_code == 0
    # Fix the file: the entries no longer match and are reported as stale.
    path.write_text(CLEAN, encoding="utf-8")
    r = run(["--no-config", "--baseline", str(base), str(path)])
    assert "no longer match" in r.stderr
    assert run(["--no-config", "--baseline", str(stories / "nope.json"), str(path)]).exit_code == 2


def test_config_file_and_errors(stories):
    (stories / "mtcheck.toml").write_text('ignore = ["P006"]\n')
    r = run(["--format", "json", "dirty.txt"], cwd=stories)
    assert "P006" not in codes_of(r.output)
    r = run(["--no-config", "--format", "json", "dirty.txt"], cwd=stories)
    assert "P006" in codes_of(r.output)
    (stories / "bad.toml").write_text('colour = "red"\n')
    r = run(["--config", str(stories / "bad.toml"), "dirty.txt"], cwd=stories)
    assert r.exit_code == 2 and "colour" in r.output


def test_statistics_and_quiet(stories):
    r = run(["--no-config", "--statistics", str(stories / "dirty.txt")])
    assert "P006" in r.output and "doubled-word" in r.output
    r = run(["--no-config", "--quiet", str(stories / "dirty.txt")])
    assert "Found" not in r.output and "P006" in r.output


def test_jobs_give_the_same_findings(stories):
    for i in range(10):
        (stories / f"s{i}.txt").write_text(DIRTY, encoding="utf-8")
    one = run(["--no-config", "--format", "json", "-j", "1", str(stories)]).output
    two = run(["--no-config", "--format", "json", "-j", "2", str(stories)]).output
    assert json.loads(one) == json.loads(two)


def test_rules_and_explain():
    r = run(["rules"])
    assert r.exit_code == 0 and "P006" in r.output and "doubled-word" in r.output
    r = run(["explain", "P006"])
    assert r.exit_code == 0 and "doubled-word" in r.output and "Flags:" in r.output
    assert run(["explain", "Z999"]).exit_code == 2


def test_no_paths_is_a_usage_error():
    assert run(["--no-config"]).exit_code == 2


def test_subprocess_console_script_has_no_traceback(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"garbage\x00\xff\xfe")
    p = subprocess.run([sys.executable, "-m", "mtcheck", "--no-config", str(bad)], capture_output=True, text=True)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and str(bad) in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1


def test_large_story_with_cap_raised(tmp_path):
    big = tmp_path / "big.txt"
    para = "The minister said the talks in Geneva were frank and useful, and that more would follow. " * 20
    with open(big, "w", encoding="utf-8") as fh:
        while fh.tell() < 10 * 1024 * 1024:
            fh.write(para + "\n\n")
    r = run(["--no-config", "--select", "P", str(big)])
    assert r.exit_code == 2 and "size cap" in r.output
    r = run(["--no-config", "--select", "P", "--max-file-size", "20MB", "--format", "json", str(big)])
    assert r.exit_code == 0 and json.loads(r.output) == []


def test_unsafe_fixes_apply_more(stories):
    path = stories / "dirty.txt"
    path.write_text('The U.S. team said "we will win.\n', encoding="utf-8")
    safe_only = run(["--no-config", "--diff", str(path)]).output
    with_unsafe = run(["--no-config", "--diff", "--unsafe-fixes", str(path)]).output
    assert len(with_unsafe) >= len(safe_only)


def test_language_options_are_validated(stories):
    path = str(stories / "dirty.txt")
    r = run(["--no-config", "--target-lang", "english", path])
    assert r.exit_code == 2 and "target-lang" in r.output
    assert run(["--no-config", "--target-lang", "en", "--source-lang", "es", path]).exit_code in (0, 1)


def test_color_only_when_asked(stories):
    path = str(stories / "dirty.txt")
    assert "\x1b[" in run(["--no-config", "--color", path]).output
    assert "\x1b[" not in run(["--no-config", "--no-color", path]).output


def test_fix_lands_in_markdown_and_html(tmp_path):
    md = tmp_path / "s.md"
    md.write_text("---\ntitle: x\n---\n# Talks\n\nThe *talks* ended with the the\nsame result, said [U.S.](http://x.org) officials.\n\n"
                  "After that, U.S promised aid.\n\n```\nthe the code\n```\n", encoding="utf-8")
    run(["--no-config", "--fix", str(md)])
    text = md.read_text(encoding="utf-8")
    assert "ended with the\nsame result" in text
    assert "U.S. promised" in text and "the the code" in text and text.startswith("---\ntitle: x\n---\n")
    html = tmp_path / "s.html"
    html.write_text("<html><head><style>p{}</style></head><body><p>Officials &amp; the the aides met.</p>"
                    "<script>var the the;</script></body></html>", encoding="utf-8")
    run(["--no-config", "--fix", str(html)])
    assert html.read_text(encoding="utf-8") == (
        "<html><head><style>p{}</style></head><body><p>Officials &amp; the aides met.</p>"
        "<script>var the the;</script></body></html>")


def test_inline_suppression_in_markdown(tmp_path):
    md = tmp_path / "s.md"
    md.write_text("<!-- mtcheck: ignore[P006] -->\nThe the talks ended.\n\nThe the talks ended.\n", encoding="utf-8")
    data = json.loads(run(["--no-config", "--format", "json", "--select", "P006", str(md)]).output)
    assert [f["line"] for f in data] == [4]
