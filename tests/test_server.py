"""`mtcheck serve`: the HTTP API, its limits and errors, the page at /, and a loopback load test.

Unit tests use starlette's TestClient; the load test runs a real uvicorn server
on a free 127.0.0.1 port (scripts/load_test.py, which also prints the figures).
"""
from __future__ import annotations

import importlib.util
import json
import re
import sys
import threading
import time
import warnings

import pytest

pytest.importorskip("starlette", reason="the serve extra (starlette) is not installed")
pytest.importorskip("uvicorn", reason="the serve extra (uvicorn) is not installed")
pytest.importorskip("httpx", reason="starlette's TestClient needs httpx")

from click.testing import CliRunner  # noqa: E402
with warnings.catch_warnings():  # starlette 1.x prefers httpx2; httpx still works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

import mtcheck  # noqa: E402
from mtcheck import cli, rules as registry, server  # noqa: E402
from mtcheck.errors import InputError  # noqa: E402
from mtcheck.server import CheckParams, Settings, create_app, parse_params  # noqa: E402
from tests.conftest import REPO  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient` is deprecated")

STORY = """\
SUMMIT IN GENEVA

GENEVA, 3 Jun (EFE).- The White House announced on Monday a summit between Joe Biden Y Vladimir Putin in Geneva, the first since the invasion of Ukraine.

The U.S promised that the the talks would cover arms control and cyber security, a spokeswoman said.
"""
HAS_U001 = registry.get("U001") is not None


def _load_script():
    if "mtcheck_load_test" in sys.modules:
        return sys.modules["mtcheck_load_test"]
    spec = importlib.util.spec_from_file_location("mtcheck_load_test", REPO / "scripts" / "load_test.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def client():
    """One warmed-up app for the module: warm-up loads every table once."""
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as c:
        yield c


def make_client(**kw) -> TestClient:
    check = kw.pop("check", None)
    return TestClient(create_app(Settings(warm=False, **kw), check=check), raise_server_exceptions=False)


def post(c: TestClient, payload=None, **kw):
    if payload is not None:
        kw["content"] = json.dumps(payload)
    kw.setdefault("headers", {"Content-Type": "application/json"})
    return c.post("/v1/check", **kw)


def assert_error(r, status: int, *needles: str) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in r.text and 'File "' not in r.text
    for needle in needles:
        assert needle in body["error"], body["error"]
    return body["error"]


# -- the API ---------------------------------------------------------------------


def test_health(client):
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["version"] == mtcheck.__version__
    assert body["ready"] is True and body["warm_up_seconds"] is not None  # models loaded at start-up


def test_rules(client):
    r = client.get("/v1/rules")
    assert r.status_code == 200
    rules = r.json()["rules"]
    codes = [x["code"] for x in rules]
    assert codes == sorted(registry.all_rules())
    p006 = next(x for x in rules if x["code"] == "P006")
    assert p006["name"] == "doubled-word" and p006["severity"] == "warning" and p006["fixable"] is True
    assert {"summary", "description", "family", "target_langs"} <= set(p006)


def test_check_response_shape_matches_the_json_contract(client):
    r = post(client, {"text": STORY, "target_lang": "en"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"findings", "language", "summary"}
    expected = [f.to_dict() for f in mtcheck.check(STORY, target_lang="en")]
    for f in expected:
        f["filename"] = server.REQUEST_NAME
    assert body["findings"] == expected  # the same objects as --format json
    for f in body["findings"]:
        assert STORY[f["start"]:f["end"]] == f["text"]
    counts = {s: sum(1 for f in body["findings"] if f["severity"] == s) for s in ("error", "warning", "info")}
    assert body["summary"] == {**counts, "words": body["summary"]["words"]}
    assert 40 < body["summary"]["words"] <= len(re.findall(r"\w+", STORY))
    assert body["language"]["target"] == "en"
    assert body["language"]["origin"]["target"] == "option"


def test_check_flags_the_story(client):
    body = post(client, {"text": STORY}).json()
    by_code = {f["code"]: f for f in body["findings"]}
    assert by_code["P006"]["text"] == "the the"
    assert by_code["P006"]["suggestions"][0] == {"replacement": "the", "applicability": "safe"}
    assert by_code["P004"]["text"] == "U.S"
    assert body["language"]["target"] == "en"  # detected
    assert body["language"]["origin"]["target"] == "detected"
    if not HAS_U001:
        pytest.xfail("the U family is not registered yet")
    assert by_code["U001"]["text"] == "Y"
    assert by_code["U001"]["suggestions"][0]["replacement"] == "and"
    assert body["language"]["source"] == "es"  # inferred from the EFE credit and the "Y"


def test_select_and_ignore(client):
    only = post(client, {"text": STORY, "select": ["P006"]}).json()["findings"]
    assert {f["code"] for f in only} == {"P006"}
    comma = post(client, {"text": STORY, "ignore": "P004, P006"}).json()["findings"]
    assert not {"P004", "P006"} & {f["code"] for f in comma}
    assert post(client, {"text": STORY, "select": ["p"]}).status_code == 200  # case-insensitive


def test_formats(client):
    md = "# Summit\n\nThe **talks** between the the leaders ended.\n"
    body = post(client, {"text": md, "format": "md", "select": ["P006"]}).json()
    (f,) = body["findings"]
    assert md[f["start"]:f["end"]] == "the the"
    html = "<p>The talks between the the leaders ended.</p>"
    (f,) = post(client, {"text": html, "format": "html", "select": ["P006"]}).json()["findings"]
    assert html[f["start"]:f["end"]] == "the the"


def test_empty_text_is_fine(client):
    body = post(client, {"text": ""}).json()
    assert body["findings"] == [] and body["summary"]["words"] == 0


@pytest.mark.skipif(not server.SUPPORTS["source"], reason="this mtcheck.api.check takes no source")
def test_source_aware(client):
    source = "La cumbre entre Joe Biden y Vladimir Putin se celebrará el 16 de junio en Ginebra.\n"
    text = "The summit between Joe Biden and Vladimir Putin will take place on 18 June in Geneva.\n"
    body = post(client, {"text": text, "source": source, "target_lang": "en"}).json()
    assert body["language"]["source"] == "es"
    expected = [f.to_dict() for f in mtcheck.check(text, target_lang="en", source=source)]
    assert [f["code"] for f in body["findings"]] == [f["code"] for f in expected]
    if registry.get("S001") is not None:
        assert any(f["code"] == "S001" and f["text"] == "18" for f in body["findings"])


def test_text_is_never_a_path(client, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("The the minister said.\n", encoding="utf-8")
    body = post(client, {"text": str(story), "select": ["P006"]}).json()
    assert body["findings"] == []  # the path was checked as text, the file never read
    assert_error(post(client, {"text": "x", "path": str(story)}), 400, "unknown field")


# -- errors and limits ---------------------------------------------------------------


@pytest.mark.parametrize("payload,needle", [
    ({}, "'text' is required"),
    ({"text": 5}, "'text' must be a string"),
    ({"text": None}, "'text' must be a string"),
    ({"text": "x", "target_lang": "english"}, "target_lang"),
    ({"text": "x", "source_lang": 7}, "source_lang"),
    ({"text": "x", "select": ["X9"]}, "'select'"),
    ({"text": "x", "ignore": {"P": 1}}, "'ignore'"),
    ({"text": "x", "select": [1]}, "'select'"),
    ({"text": "x", "format": "pdf"}, "'format'"),
    ({"text": "x", "source": 3}, "'source'"),
    ({"text": "x", "reference": ["a"]}, "'reference'"),
    ({"text": "x", "colour": "red"}, "unknown field 'colour'"),
    ([1, 2], "JSON object"),
    ("just a string", "JSON object"),
])
def test_bad_parameters_are_400(client, payload, needle):
    assert_error(post(client, payload), 400, needle)


@pytest.mark.parametrize("raw,needle", [
    (b"{not json", "not valid JSON"),
    (b'{"text": "unterminated', "not valid JSON"),
    (b"", "empty"),
    (b"\xff\xfe\x00garbage", "JSON"),
    (b"[" * 100000 + b"]" * 100000, "JSON"),
])
def test_bad_json_is_400(client, raw, needle):
    assert_error(post(client, content=raw), 400, needle)


def test_body_limit_default_is_1mb(client):
    assert Settings().max_body == 1024 * 1024
    big = json.dumps({"text": "word " * 220_000})  # > 1 MB
    assert len(big) > 1024 * 1024
    assert_error(post(client, content=big), 413, "1 MB")


def test_body_limit_is_enforced_without_content_length():
    c = make_client(max_body=1000)
    ok = post(c, {"text": "The the minister said. " * 20, "select": ["P006"]})
    assert ok.status_code == 200, ok.text

    def chunks():
        for _ in range(30):
            yield b'{"text": "' + b"a" * 50 + b'"'  # never valid, but never read that far either

    r = c.post("/v1/check", content=chunks(), headers={"Content-Type": "application/json"})
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert_error(r, 413, "1,000 bytes")
    assert_error(post(c, {"text": "x" * 2000}), 413)


def test_time_budget_gives_503_and_the_server_keeps_answering():
    release = threading.Event()

    def slow(params: CheckParams, config=None) -> dict:
        release.wait(5)
        return server.run_check(params, config)

    c = make_client(timeout=0.3, check=slow)
    t0 = time.monotonic()
    r = post(c, {"text": "The the end."})
    assert time.monotonic() - t0 < 3
    assert_error(r, 503, "time budget", "0.3 s")
    assert r.headers.get("retry-after")
    assert c.get("/health").status_code == 200  # the event loop is free while checks run
    release.set()


def test_queued_checks_past_their_budget_never_run():
    started = []
    gate = threading.Event()

    def slow(params, config=None):
        started.append(params.text)
        gate.wait(5)
        return {"findings": [], "language": {}, "summary": {}}

    c = make_client(timeout=0.3, threads=1, check=slow)
    results = []
    threads = [threading.Thread(target=lambda t=t: results.append(post(c, {"text": t}))) for t in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    gate.set()
    time.sleep(0.2)
    assert sorted(r.status_code for r in results) == [503, 503]
    assert len(started) == 1  # the second waited past its budget and was dropped, not run


def test_runaway_checks_are_stopped_and_free_their_worker():
    spins = []
    stopped = threading.Event()

    def runaway(params, config=None):
        if params.text != "runaway":
            return server.run_check(params, config)
        try:
            while True:  # pure Python: stoppable between bytecodes
                spins.append(1)
                sum(range(1000))
        except BaseException:
            stopped.set()
            raise

    c = make_client(timeout=0.3, threads=1, check=runaway)
    assert_error(post(c, {"text": "runaway"}), 503, "time budget")
    assert stopped.wait(5), "the runaway check was not stopped"
    n = len(spins)
    time.sleep(0.2)
    assert len(spins) == n  # no longer burning the CPU
    r = post(c, {"text": "The the end.", "select": ["P006"]})  # the only worker is free again
    assert r.status_code == 200 and r.json()["findings"][0]["code"] == "P006"


def test_internal_errors_are_500_without_a_trace():
    def broken(params, config=None):
        raise KeyError("secret internals")

    r = post(make_client(check=broken), {"text": "x"})
    message = assert_error(r, 500, "internal error")
    assert "secret" not in message


def test_input_errors_are_400():
    def bad(params, config=None):
        raise InputError("<request>", "cannot parse it")

    assert_error(post(make_client(check=bad), {"text": "x"}), 400, "cannot parse it")


def test_unknown_routes_and_methods_are_json():
    c = make_client()
    assert_error(c.get("/v1/nothing"), 404, "not found")
    assert_error(c.get("/v1/check"), 405, "method not allowed")
    assert_error(c.delete("/health"), 405)


def test_bad_content_length_is_400():
    c = make_client(max_body=100)
    r = c.post("/v1/check", content=b"{}", headers={"Content-Length": "2"})
    assert r.status_code == 400


# -- the page ------------------------------------------------------------------------


def test_page_is_served_self_contained():
    c = make_client()
    page = c.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    for path, kind in (("/app.js", "javascript"), ("/style.css", "text/css")):
        r = c.get(path)
        assert r.status_code == 200 and kind in r.headers["content-type"]
    for path in ("/", "/app.js", "/style.css"):
        text = c.get(path).text
        assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", text), path
        assert "@import" not in text and "url(" not in text, path
    html = page.text
    for ident in ("story", "run", "report", "findings", "corrected", "copy"):
        assert f'id="{ident}"' in html
    assert 'fetch("v1/check"' in c.get("/app.js").text


def test_static_files_never_touch_the_file_system(monkeypatch):
    c = make_client()
    monkeypatch.setattr("builtins.open", lambda *a, **k: (_ for _ in ()).throw(AssertionError("opened a file")))
    assert c.get("/").status_code == 200
    assert_error(c.get("/../setup.cfg"), 404)
    assert_error(c.get("/web/index.html"), 404)


# -- the command line ------------------------------------------------------------------


def test_serve_defaults_and_options(monkeypatch):
    calls = []
    monkeypatch.setattr(server, "serve", lambda host, port, settings, **kw: calls.append((host, port, settings, kw)))
    r = CliRunner().invoke(cli.main, ["serve"])
    assert r.exit_code == 0, r.output
    host, port, settings, kw = calls[-1]
    assert (host, port) == ("127.0.0.1", 8000)  # loopback by default
    assert settings.max_body == 1024 * 1024 and settings.timeout == 10.0 and kw["workers"] == 1
    r = CliRunner().invoke(cli.main, ["serve", "--host", "0.0.0.0", "--port", "9000", "--max-body", "2MB",
                                      "--timeout", "2.5", "--workers", "3"])
    assert r.exit_code == 0, r.output
    host, port, settings, kw = calls[-1]
    assert (host, port, settings.max_body, settings.timeout) == ("0.0.0.0", 9000, 2 * 1024 * 1024, 2.5)
    assert kw["workers"] == 3


def test_worker_processes_get_the_settings(monkeypatch, tmp_path):
    cfg = tmp_path / "mtcheck.toml"
    cfg.write_text('ignore = ["P006"]\n', encoding="utf-8")
    monkeypatch.setenv(server.SETTINGS_ENV, json.dumps({"max_body": 500, "timeout": 1.5, "config_path": str(cfg)}))
    app = server.app_from_env()
    settings = app.state.settings
    assert (settings.max_body, settings.timeout) == (500, 1.5) and "P006" in settings.config.ignore
    c = TestClient(app, raise_server_exceptions=False)
    assert_error(post(c, {"text": "x" * 600}), 413)


def test_serve_bad_options_exit_2():
    r = CliRunner().invoke(cli.main, ["serve", "--max-body", "huge"])
    assert r.exit_code == 2 and "--max-body" in r.output
    r = CliRunner().invoke(cli.main, ["serve", "--port", "70000"])
    assert r.exit_code == 2


def test_serve_without_the_extra_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn -> ImportError
    r = CliRunner().invoke(cli.main, ["serve"])
    assert r.exit_code == 2
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "pip install 'mtcheck[serve]'" in lines[0], r.output


def test_parse_params_normalises():
    p = parse_params(b'{"text": "x", "target_lang": "EN", "select": "p006, U", "source_lang": null}')
    assert p.target_lang == "en" and p.source_lang is None and p.select == ("P006", "U") and p.format == "txt"


# -- load ----------------------------------------------------------------------------


def test_load_50_concurrent_requests_on_loopback():
    load = _load_script()
    with load.running_server() as url:
        assert url.startswith("http://127.0.0.1:")
        report = load.run_load(url, text=STORY, requests=50, concurrency=50)
    print("\n" + report.format())
    assert report.errors == [] and report.ok == 50
    assert report.findings >= 2


def test_load_script_refuses_other_hosts():
    load = _load_script()
    with pytest.raises(SystemExit, match="loopback"):
        load.run_load("http://192.168.1.10:8000", requests=1, concurrency=1)
