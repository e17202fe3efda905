"""The web page of `mtcheck serve` and the HTML report, in a real headless browser.

Playwright drives Debian's Chromium (``apt-get install chromium``; playwright's
own browser download is not used). The page is served by a real uvicorn
server on a free 127.0.0.1 port. Skips, saying why, when playwright, a
Chromium binary or the serve extra is missing.
"""
from __future__ import annotations

import importlib.util
import io
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from mtcheck import output, rules as registry
from mtcheck.readers import read_text
from mtcheck.result import FileResult
from tests.conftest import REPO

pytest.importorskip("starlette", reason="the serve extra (starlette) is not installed")
pytest.importorskip("uvicorn", reason="the serve extra (uvicorn) is not installed")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")

CHROMIUM_CANDIDATES = (os.environ.get("MTCHECK_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                       shutil.which("chromium-browser"), shutil.which("google-chrome"))
CHROMIUM = next((c for c in CHROMIUM_CANDIDATES if c and os.access(c, os.X_OK)), None)
if CHROMIUM is None:
    pytest.skip("no Chromium binary (apt-get install chromium, or set MTCHECK_CHROMIUM)", allow_module_level=True)

# The flags a sandboxed, offline root session needs; playwright gives the
# browser a new, empty profile directory of its own.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

STORY = """\
SUMMIT IN GENEVA

GENEVA, 3 Jun (EFE).- Blinken did not rule out a summit between Biden Y Putin in Geneva 😀, the first since the invasion of Ukraine.

The U.S promised that the the talks would cover arms control, a spokeswoman said.
"""


def _load_script():
    name = "mtcheck_load_test"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / "load_test.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def server_url():
    with _load_script().running_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as exc:  # a binary that cannot start here
            pytest.skip(f"Chromium at {CHROMIUM} did not start: {str(exc).splitlines()[0]}")
        yield b
        b.close()


@pytest.fixture
def page(browser, server_url):
    context = browser.new_context(base_url=server_url)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.set_default_timeout(20_000)
    yield pg
    context.close()
    assert errors == [], errors


def run_check(page, text: str = STORY) -> None:
    page.goto("/")
    page.fill("#story", text)
    page.click("#run")
    page.wait_for_selector("#report mark")


def corrected(page) -> str:
    return page.input_value("#corrected")


def test_doubled_word_flow(page):
    run_check(page)
    mark = page.locator('#report mark[data-codes~="P006"]').first
    assert mark.inner_text().startswith("the the")
    card = page.locator('#findings li[data-code="P006"]')
    assert corrected(page) == STORY  # nothing accepted yet
    card.locator("button.reject").click()
    assert "the the talks" in corrected(page)
    card.locator("button.undo").click()
    card.locator("button.accept").first.click()
    assert "promised that the talks" in corrected(page)
    assert page.locator('#report ins.fixed', has_text="the").count() >= 1


def test_biden_y_putin_is_highlighted_and_fixed(page):
    if registry.get("U001") is None:
        pytest.xfail("the U family (U001) is not registered yet")
    run_check(page)
    mark = page.locator('#report mark[data-codes~="U001"]')
    codes = page.eval_on_selector_all("#findings li", "els => els.map(e => e.dataset.code)")
    assert mark.count() == 1, f"no U001 highlight; the page shows {codes}"
    assert mark.inner_text().split("\n")[0] == "Y"
    # The highlight is the "Y" between the two names.
    around = page.evaluate("""m => [m.previousSibling.textContent.slice(-7), m.nextSibling.textContent.slice(0, 7)]""",
                           mark.element_handle())
    assert around == [" Biden ", " Putin "], around
    # Keyboard: focus the highlight, its tooltip shows; Enter jumps to the suggestions.
    mark.focus()
    tip = mark.locator(".tip")
    assert tip.is_visible() and "U001" in tip.inner_text()
    page.keyboard.press("Enter")
    card = page.locator('#findings li[data-code="U001"]')
    assert card.evaluate("el => el === document.activeElement")
    card.locator("button.accept", has_text="and").click()
    text = corrected(page)
    assert "Biden and Putin" in text and " Y " not in text
    assert "😀" in text  # offsets stay right after astral characters
    # Copy the corrected text.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#copy")
    # expect() polls with playwright's own injected script: wait_for_function would evaluate a
    # string in the page, which the page's Content-Security-Policy forbids when it has to poll
    sync_api.expect(page.locator("#copy-status")).to_have_text(re.compile(r"\S"), timeout=20_000)
    status = page.inner_text("#copy-status")
    if status == "Copied.":
        assert "Biden and Putin" in page.evaluate("navigator.clipboard.readText()")
    else:  # headless clipboards vary; the text must then be selected for the user
        assert page.evaluate("document.getSelection().toString() || document.activeElement.id") in ("corrected", text)


def test_accept_all_safe_fixes(page):
    run_check(page)
    page.click("#accept-safe")
    text = corrected(page)
    assert "The U.S. promised that the talks" in text
    if registry.get("U001") is not None:
        assert "Biden and Putin" in text


def test_bad_request_is_shown_not_thrown(page):
    page.goto("/")
    page.click("#run")  # empty story
    assert "Paste a story first" in page.inner_text("#status")


def test_html_report_keyboard_and_print(browser):
    doc = read_text("The talks between the the leaders ended.\n", "story.txt")
    rule = registry.get("P006")
    i = doc.source.index("the the")
    f = rule.finding(i, i + 7, "“the” is repeated.").with_(filename="story.txt", text="the the", line=1,
                                                          column=i + 1, end_line=1, end_column=i + 8)
    buf = io.StringIO()
    output.write("html", [FileResult("story.txt", [f], document=doc)], buf)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.html"
        path.write_text(buf.getvalue(), encoding="utf-8")
        context = browser.new_context(offline=True)  # self-contained: no request leaves the page
        pg = context.new_page()
        requests: list[str] = []
        pg.on("request", lambda r: requests.append(r.url))
        pg.goto(path.as_uri())
        tip = pg.locator("mark.flag .tip").first
        assert not tip.is_visible()
        pg.keyboard.press("Tab")  # the skip link
        pg.keyboard.press("Tab")  # the first highlight
        assert pg.evaluate("document.activeElement.tagName") == "MARK"
        assert tip.is_visible() and "P006" in tip.inner_text()
        pg.keyboard.press("Escape")
        assert not tip.is_visible()
        pg.emulate_media(media="print")
        assert not tip.is_visible()
        assert pg.locator("table.findings").is_visible()
        context.close()
    assert requests == [path.as_uri()]
