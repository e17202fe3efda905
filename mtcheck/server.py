"""``mtcheck serve``: the checker as an HTTP service for CMSs, and a web page for editors.

Routes:

- ``POST /v1/check``: a JSON object ``{"text", "source_lang"?, "target_lang"?,
  "source"?, "reference"?, "select"?, "ignore"?, "format"?}`` answers
  ``{"findings": [...], "language": {...}, "summary": {...}}``; the findings
  are the objects ``--format json`` prints (``Finding.to_dict()``).
- ``GET /v1/rules``: the rule table. ``GET /health``: liveness and version.
- ``GET /``: a page to paste a story, review the findings, accept or reject
  each suggestion and copy the corrected text (``mtcheck/web/``, loaded into
  memory at start-up: no request ever reads the file system).

Limits: the body is capped (413 beyond), every check has a time budget (503
beyond, measured from arrival, so a queue that is too long also answers 503,
and the check that overran is stopped), bad JSON or bad parameters answer 400
with a message, and no error ever carries a stack trace. Checks run in a
thread pool so the event loop keeps answering (``--workers`` adds processes);
the rules' tables and models load once per process, at start-up.

Starlette and uvicorn come with the ``serve`` extra: ``pip install 'mtcheck[serve]'``.
"""
from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import __version__, api, engine, language
from .config import CODE_PREFIX_RE, LANGS_RE, Config
from .errors import MtcheckError
from .finding import SEVERITIES
from .readers import read_text

log = logging.getLogger("mtcheck.server")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_BODY = 1024 * 1024  # 1 MB, as the CLI counts sizes
DEFAULT_TIMEOUT = 10.0  # seconds per request, queueing included
INSTALL_HINT = "python -m pip install 'mtcheck[serve]'"
REQUEST_NAME = "<request>"  # the "filename" of findings: requests have no file

FORMATS = ("txt", "md", "html")
FIELDS = ("text", "source_lang", "target_lang", "source", "reference", "select", "ignore", "format")

# The page at /: path -> (package file, media type).
WEB_FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/style.css": ("style.css", "text/css; charset=utf-8"),
}
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

# Texts that exercise every family once, so tables and models load before the first request.
WARM_UP = (
    ("MADRID, 3 Jun (EFE).- The U.S promised a summit between Joe Biden Y Vladimir Putin, the the minister said.",
     "en", "es"),
    ("PARIS (AFP) - La réunion between les deux dirigeants a duré deux heures.", "fr", "en"),
    ("BERLIN (dpa) - Merz und Starmer agreed on a joint statement.", "en", "de"),
    ("ROMA (ANSA) - The match ended in a draw, anche though the hosts dominated.", "en", "it"),
    ("LISBOA (Lusa) - Talks between Lula e Xi lasted two hours.", "en", "pt"),
    ("MADRID (EFE) - La reunión between los dos líderes duró dos horas.", "es", "en"),
)
WARM_UP_SOURCE = ("La cumbre entre Joe Biden y Vladimir Putin se celebrará el 16 de junio en Ginebra.",
                  "The summit between Joe Biden and Vladimir Putin will take place on 18 June in Geneva.")


class BadRequest(Exception):
    """A request the service refuses with 400 and this message."""


def _accepts(fn: Callable[..., Any], name: str) -> bool:
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


# Source- and reference-aware checks need an API that takes those texts.
SUPPORTS = {name: _accepts(api.check, name) and hasattr(api, "attach_texts") for name in ("source", "reference")}


@dataclass(frozen=True)
class CheckParams:
    text: str
    source_lang: str | None = None
    target_lang: str | None = None
    source: str | None = None
    reference: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    format: str = "txt"


def _codes(name: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [v for v in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRequest(f"'{name}' must be a list of rule codes or prefixes, e.g. [\"P\", \"U001\"]")
    out = []
    for v in value:
        v = v.strip()
        if not v:
            continue
        if not CODE_PREFIX_RE.match(v):
            raise BadRequest(f"'{name}': {v!r} is not a rule code or prefix (e.g. P, P001, ALL)")
        out.append(v.upper())
    return tuple(out)


def _lang(name: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not LANGS_RE.match(value.lower()):
        raise BadRequest(f"'{name}' must be a two-letter ISO 639-1 code such as \"en\", got {json.dumps(value)}")
    return value.lower()


def _optional_text(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"'{name}' must be a string")
    if not SUPPORTS.get(name, False):
        raise BadRequest(f"'{name}' is not supported by this version of mtcheck")
    return value


def parse_params(body: bytes) -> CheckParams:
    """Validate a ``POST /v1/check`` body; raises :class:`BadRequest` with a one-line reason."""
    if not body.strip():
        raise BadRequest('the body is empty: send a JSON object such as {"text": "..."}')
    try:
        data = json.loads(body)
    except UnicodeDecodeError:
        raise BadRequest("the body is not UTF-8 encoded JSON") from None
    except json.JSONDecodeError as exc:
        raise BadRequest(f"the body is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    except (ValueError, RecursionError):
        raise BadRequest("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest('the body must be a JSON object such as {"text": "..."}')
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise BadRequest(f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                         f"(known: {', '.join(FIELDS)})")
    if "text" not in data:
        raise BadRequest("'text' is required: the story to check")
    text = data["text"]
    if not isinstance(text, str):
        raise BadRequest("'text' must be a string")
    fmt = data.get("format") or "txt"
    if fmt not in FORMATS:
        raise BadRequest(f"'format' must be one of {', '.join(FORMATS)}, got {json.dumps(fmt)}")
    return CheckParams(
        text=text,
        source_lang=_lang("source_lang", data.get("source_lang")),
        target_lang=_lang("target_lang", data.get("target_lang")),
        source=_optional_text("source", data.get("source")),
        reference=_optional_text("reference", data.get("reference")),
        select=_codes("select", data.get("select")),
        ignore=_codes("ignore", data.get("ignore")),
        format=fmt,
    )


def run_check(params: CheckParams, config: Config | None = None) -> dict[str, Any]:
    """Check one story and build the response body (runs in a worker thread).

    The same steps as :func:`mtcheck.api.check`, kept apart so the response can
    report the languages the check settled on.
    """
    config = config or Config()
    doc = read_text(params.text, REQUEST_NAME, params.format)
    ctx = api.make_context(doc, config=config, source_lang=params.source_lang, target_lang=params.target_lang)
    if hasattr(api, "attach_texts"):
        api.attach_texts(doc, ctx, params.source, params.reference)
    findings = engine.run(doc, ctx, select=params.select, ignore=params.ignore)
    source_lang = ctx.source_lang
    if not source_lang:
        with contextlib.suppress(Exception):  # inference is a courtesy, never a failure
            from .srclang import source_language

            source_lang = source_language(doc, ctx)
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return {
        "findings": [f.to_dict() for f in findings],
        "language": {"target": ctx.target_lang, "source": source_lang, "origin": dict(ctx.language_origin)},
        "summary": {**counts, "words": doc.word_count},
    }


def rules_payload() -> list[dict[str, Any]]:
    from .rules import FAMILIES, all_rules

    return [
        {
            "code": r.code, "name": r.name, "severity": r.severity, "fixable": r.fixable, "fix": r.fix,
            "family": r.family, "family_name": FAMILIES.get(r.family, ""), "summary": r.summary,
            "description": r.description.strip(), "target_langs": list(r.target_langs),
        }
        for r in all_rules().values()
    ]


def warm_up(config: Config | None = None) -> float:
    """Load every table and model once (rules, language profiles, lexicons); returns seconds."""
    t0 = time.perf_counter()
    rules_payload()
    language.detect("The minister said the talks would resume in April.")
    for text, target, source in WARM_UP:
        run_check(CheckParams(text=text, target_lang=target, source_lang=source), config)
    if SUPPORTS["source"] or SUPPORTS["reference"]:
        src, tgt = WARM_UP_SOURCE
        run_check(CheckParams(text=tgt, target_lang="en", source_lang="es",
                              source=src if SUPPORTS["source"] else None,
                              reference=tgt if SUPPORTS["reference"] else None), config)
    return time.perf_counter() - t0


def _load_web() -> dict[str, bytes]:
    folder = resources.files("mtcheck") / "web"
    return {path: (folder / name).read_bytes() for path, (name, _) in WEB_FILES.items()}


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


class _SecurityHeaders:
    """Adds ``nosniff`` and a no-referrer policy to every response."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                for k, v in ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")):
                    if k not in names:
                        headers.append((k, v))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


@dataclass
class Settings:
    max_body: int = DEFAULT_MAX_BODY
    timeout: float = DEFAULT_TIMEOUT
    threads: int = field(default_factory=lambda: min(8, (os.cpu_count() or 1) + 2))
    config: Config | None = None
    warm: bool = True


class _TooLarge(Exception):
    pass


class _Abandoned(BaseException):
    """Raised inside a check thread whose request ran out of time (BaseException: no
    ``except Exception`` in a check can swallow it)."""


class _Ticket:
    """One request's check: lets the event loop stop the thread running it past its budget.

    A thread cannot be killed, but CPython can raise an exception in it at its
    next check of pending events (``PyThreadState_SetAsyncExc``): a runaway
    check stops and frees its worker instead of burning the CPU that other
    requests need. The exception is raised at most once, and only while the
    thread is inside ``guarded``, which takes it wherever it lands.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.thread_id: int | None = None
        self.abandoned = False
        self.injected = False

    def abandon(self) -> None:
        with self.lock:
            if self.abandoned:
                return
            self.abandoned = True
            if self.thread_id is not None:
                self.injected = _raise_in_thread(self.thread_id, _Abandoned)


def _absorb(limit: float = 1.0) -> None:
    """Wait (briefly) for a pending :class:`_Abandoned` and swallow it."""
    end = time.monotonic() + limit
    try:
        while time.monotonic() < end:
            time.sleep(0.001)
    except _Abandoned:
        pass


def _raise_in_thread(thread_id: int, exc_type: type[BaseException]) -> bool:
    try:
        import ctypes

        n = ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc_type))
    except Exception:  # not CPython: the check runs to its end, its result is dropped
        return False
    if n > 1:  # never expected: undo rather than hit other threads
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
        return False
    return n == 1


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            n = int(declared)
        except ValueError:
            raise BadRequest("the Content-Length header is not a number") from None
        if n > limit:
            raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(settings: Settings | None = None, *, check: Callable[[CheckParams, Config | None], dict] | None = None) -> Starlette:
    """The ASGI application. ``check`` replaces :func:`run_check` (tests use it to slow checks down)."""
    settings = settings or Settings()
    do_check = check or run_check
    web = _load_web()
    state: dict[str, Any] = {"ready": False, "warm_up_seconds": None}
    executor = ThreadPoolExecutor(max_workers=settings.threads, thread_name_prefix="mtcheck-check")

    def human_size(n: int) -> str:
        return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n:,} bytes"

    def guarded(params: CheckParams, deadline: float, ticket: _Ticket) -> dict[str, Any] | None:
        """Run one check in a worker thread; stops early if its request is abandoned."""
        try:
            with ticket.lock:
                if ticket.abandoned or time.monotonic() > deadline:
                    return None  # waited in the queue past its budget: nobody is listening any more
                ticket.thread_id = threading.get_ident()
            consumed = False
            try:
                result = do_check(params, settings.config)
            except _Abandoned:
                result, consumed = None, True
            with ticket.lock:
                ticket.thread_id = None
                pending = ticket.injected and not consumed
            if pending:
                _absorb()  # the stop arrived as the check ended: take it here, not in the pool's code
            return result
        except _Abandoned:  # delivered between the check's end and the lines above
            return None

    async def check_endpoint(request: Request) -> Response:
        deadline = time.monotonic() + settings.timeout
        try:
            body = await _read_body(request, settings.max_body)
            params = parse_params(body)
        except _TooLarge:
            return _error(413, f"the body is over the limit of {human_size(settings.max_body)}")
        except BadRequest as exc:
            return _error(400, str(exc))
        ticket = _Ticket()
        future = executor.submit(guarded, params, deadline, ticket)
        remaining = max(deadline - time.monotonic(), 0.001)
        try:
            result = await asyncio.wait_for(asyncio.wrap_future(future), remaining)
        except asyncio.TimeoutError:
            future.cancel()
            ticket.abandon()
            return _error(
                503,
                f"the check did not finish within the time budget of {settings.timeout:g} s "
                "(the server is busy or the text is very long); try again or send a shorter text",
                headers={"Retry-After": "5"},
            )
        except MtcheckError as exc:
            return _error(400, str(exc))
        except RecursionError:
            return _error(400, "the text is too deeply nested to parse")
        except MemoryError:
            return _error(503, "out of memory while checking; send a shorter text")
        except Exception as exc:  # a bug in one check: log it, never send a trace
            log.error("internal error while checking", exc_info=exc)
            return _error(500, f"internal error while checking ({exc.__class__.__name__}); please report it")
        if result is None:
            return _error(503, f"the check did not start within the time budget of {settings.timeout:g} s; try again",
                          headers={"Retry-After": "5"})
        return JSONResponse(result)

    async def rules_endpoint(request: Request) -> Response:
        return JSONResponse({"rules": state.get("rules") or rules_payload()})

    async def health_endpoint(request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__, "ready": state["ready"],
                             "warm_up_seconds": state["warm_up_seconds"]})

    def page(path: str) -> Callable:
        name, media = WEB_FILES[path]

        async def endpoint(request: Request) -> Response:
            headers = {"Cache-Control": "no-cache"}
            if path == "/":
                headers["Content-Security-Policy"] = PAGE_CSP
            return Response(web[path], media_type=media, headers=headers)

        return endpoint

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = {404: "not found", 405: "method not allowed"}.get(exc.status_code, str(exc.detail))
        return _error(exc.status_code, message, headers=getattr(exc, "headers", None))

    async def server_error(request: Request, exc: Exception) -> Response:
        log.error("internal error", exc_info=exc)
        return _error(500, "internal error; please report it")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        if settings.warm:
            loop = asyncio.get_running_loop()
            try:
                state["warm_up_seconds"] = round(await loop.run_in_executor(executor, warm_up, settings.config), 3)
            except Exception as exc:  # serve anyway: each request reports its own error
                log.error("warm-up failed", exc_info=exc)
        with contextlib.suppress(Exception):
            state["rules"] = rules_payload()
        state["ready"] = True
        try:
            yield
        finally:
            executor.shutdown(wait=False, cancel_futures=True)

    routes = [
        Route("/v1/check", check_endpoint, methods=["POST"]),
        Route("/v1/rules", rules_endpoint, methods=["GET"]),
        Route("/health", health_endpoint, methods=["GET"]),
        *(Route(path, page(path), methods=["GET"]) for path in WEB_FILES),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )
    app.add_middleware(_SecurityHeaders)
    app.state.settings = settings
    app.state.status = state
    return app


SETTINGS_ENV = "MTCHECK_SERVE_SETTINGS"  # hands the settings to worker processes


def app_from_env() -> Starlette:
    """The app for one of several worker processes (``uvicorn --factory``), settings from the environment."""
    from .config import load_file

    raw = json.loads(os.environ.get(SETTINGS_ENV) or "{}")
    config = load_file(raw["config_path"]) if raw.get("config_path") else None
    return create_app(Settings(max_body=int(raw.get("max_body", DEFAULT_MAX_BODY)),
                               timeout=float(raw.get("timeout", DEFAULT_TIMEOUT)), config=config))


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, settings: Settings | None = None,
          log_level: str = "info", workers: int = 1, config_path: str | None = None) -> None:
    """Run the service with uvicorn until interrupted.

    ``workers`` > 1 runs that many processes (each loads the models once):
    checks are CPU-bound, so this is how the service uses more than one core.
    """
    import uvicorn

    settings = settings or Settings()
    logging.basicConfig(level=getattr(logging, log_level.upper(), logging.INFO), format="%(levelname)s: %(message)s")
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("listening on %s: the service has no authentication; put it behind your CMS's proxy", host)
    common = dict(host=host, port=port, log_level=log_level, server_header=False, proxy_headers=False,
                  timeout_graceful_shutdown=5)
    if workers > 1:
        os.environ[SETTINGS_ENV] = json.dumps(
            {"max_body": settings.max_body, "timeout": settings.timeout, "config_path": config_path})
        uvicorn.run("mtcheck.server:app_from_env", factory=True, workers=workers, **common)
    else:
        uvicorn.run(create_app(settings), **common)


if __name__ == "__main__":  # pragma: no cover
    serve()
