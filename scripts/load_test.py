#!/usr/bin/env python3
"""Load-test ``mtcheck serve`` on loopback: N concurrent ``POST /v1/check`` of a real story.

    python scripts/load_test.py                      # starts its own server on a free port
    python scripts/load_test.py --requests 200 --concurrency 50
    python scripts/load_test.py --workers 2          # `mtcheck serve --workers 2` in a subprocess
    python scripts/load_test.py --url http://127.0.0.1:8000   # a server you started

Reports errors, p50/p95/max latency and requests per second. Timings depend on
the machine; the test suite (tests/test_server.py) asserts only that every
request succeeds. Traffic goes to loopback addresses only: other URLs are refused.
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import ipaddress
import json
import socket
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# A machine-translated wire story with the damage mtcheck exists for.
STORY = """\
GENEVA SUMMIT SET FOR JUNE

GENEVA, 3 Jun (EFE).- The White House confirmed on Monday a summit between Joe Biden Y Vladimir Putin in Geneva on 16 June, the first meeting of both leaders since the invasion of Ukraine.

The U.S promised that the the talks would focus on arms control , cyber attacks and the exchange of prisoners, according to a statement of the Department of State.

"We do not expect a breakthrough, but we want predictable relations, said the spokeswoman Jen Psaki, who added that Biden Y Putin will not hold a joint press conference.

The Kremlin said that the meeting will last between four and five hours and that the delegations will be of 2,5 times the usual size

Photo: EFE/ Martial Trezzini
"""


@dataclass
class Report:
    requests: int
    concurrency: int
    ok: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    wall: float = 0.0
    findings: int = 0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        xs = sorted(self.latencies)
        k = (len(xs) - 1) * p / 100
        lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
        return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)

    @property
    def rps(self) -> float:
        return self.ok / self.wall if self.wall else float("nan")

    def to_dict(self) -> dict:
        return {
            "requests": self.requests, "concurrency": self.concurrency, "ok": self.ok, "errors": len(self.errors),
            "p50_ms": round(self.percentile(50) * 1000, 1), "p95_ms": round(self.percentile(95) * 1000, 1),
            "max_ms": round(max(self.latencies, default=float("nan")) * 1000, 1),
            "mean_ms": round(statistics.fmean(self.latencies) * 1000, 1) if self.latencies else None,
            "requests_per_second": round(self.rps, 1), "wall_seconds": round(self.wall, 3),
            "findings_per_response": self.findings,
        }

    def format(self) -> str:
        d = self.to_dict()
        lines = [
            f"requests      {d['requests']} ({d['concurrency']} concurrent)",
            f"ok / errors   {d['ok']} / {d['errors']}",
            f"latency       p50 {d['p50_ms']} ms, p95 {d['p95_ms']} ms, max {d['max_ms']} ms",
            f"throughput    {d['requests_per_second']} requests/s over {d['wall_seconds']} s",
            f"findings      {d['findings_per_response']} per response",
        ]
        lines += [f"error         {e}" for e in self.errors[:5]]
        return "\n".join(lines)


def _check_loopback(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "http":
        raise SystemExit(f"load_test: only http:// URLs, got {url!r}")
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SystemExit(f"load_test: refusing {host!r}: load tests only target loopback addresses (127.0.0.0/8, ::1)")
    return host, parts.port or 80


def _one(host: str, port: int, body: bytes, start_gate: threading.Barrier | None, timeout: float) -> tuple[float, int, bytes]:
    if start_gate is not None:
        start_gate.wait()
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        t0 = time.perf_counter()
        conn.request("POST", "/v1/check", body=body, headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        data = resp.read()
        return time.perf_counter() - t0, resp.status, data
    finally:
        conn.close()


def run_load(url: str, *, text: str = STORY, requests: int = 50, concurrency: int = 50,
             payload: dict | None = None, timeout: float = 60.0) -> Report:
    """Send ``requests`` POSTs, ``concurrency`` at a time (released together), and measure them."""
    host, port = _check_loopback(url)
    body = json.dumps({"text": text, **(payload or {})}).encode("utf-8")
    report = Report(requests=requests, concurrency=concurrency)
    gate = threading.Barrier(min(concurrency, requests)) if requests else None
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [pool.submit(_one, host, port, body, gate if i < concurrency else None, timeout) for i in range(requests)]
        for fut in futures:
            try:
                elapsed, status, data = fut.result()
            except Exception as exc:  # connection refused, reset, timeout
                report.errors.append(f"{exc.__class__.__name__}: {exc}")
                continue
            if status != 200:
                report.errors.append(f"HTTP {status}: {data[:200].decode('utf-8', 'replace')}")
                continue
            try:
                result = json.loads(data)
                report.findings = len(result["findings"])
            except (ValueError, KeyError) as exc:
                report.errors.append(f"bad response: {exc}")
                continue
            report.ok += 1
            report.latencies.append(elapsed)
    report.wall = time.perf_counter() - t0
    return report


@contextlib.contextmanager
def running_server(settings=None, host: str = "127.0.0.1") -> Iterator[str]:
    """A real uvicorn server on a free loopback port, in a thread; yields its base URL.

    The socket is bound before uvicorn starts (no port race); start-up, warm-up
    included, is awaited through ``/health``.
    """
    import uvicorn

    from mtcheck.server import Settings, create_app

    app = create_app(settings or Settings())
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", server_header=False,
                            timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="mtcheck-serve", daemon=True)
    thread.start()
    url = f"http://{host}:{port}"
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the server stopped during start-up")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the server did not start within 120 s")
        time.sleep(0.05)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def _free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_cli_server(workers: int, host: str = "127.0.0.1") -> Iterator[str]:
    """``mtcheck serve --workers N`` in a subprocess on a free loopback port; yields its base URL."""
    import subprocess
    import urllib.request

    port = _free_port(host)
    proc = subprocess.Popen(
        [sys.executable, "-m", "mtcheck", "serve", "--host", host, "--port", str(port), "--workers", str(workers)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://{host}:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"mtcheck serve exited: {proc.stderr.read().decode(errors='replace')[-500:]}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                    if json.load(r).get("ready"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("mtcheck serve did not start within 120 s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="base URL of a running server (loopback only); default: start one")
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--workers", type=int, default=0,
                    help="start `mtcheck serve --workers N` in a subprocess instead of an in-process server")
    ap.add_argument("--story", type=Path, help="story file to send (default: a built-in MT story)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    text = args.story.read_text(encoding="utf-8") if args.story else STORY
    if args.url:
        report = run_load(args.url, text=text, requests=args.requests, concurrency=args.concurrency)
    else:
        server = running_cli_server(args.workers) if args.workers else running_server()
        with server as url:
            run_load(url, text=text, requests=min(args.concurrency, 10), concurrency=min(args.concurrency, 10))  # warm
            report = run_load(url, text=text, requests=args.requests, concurrency=args.concurrency)
    print(json.dumps(report.to_dict(), indent=2) if args.json else report.format())
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
