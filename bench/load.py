"""Benchmark: the site under load, page by page, beside a bare Django view under the same server (issue 23).

One command from a fresh clone (after `make dev-venv`, with PostgreSQL running):

    .venv/bin/python bench/load.py                                     # the demo data
    .venv/bin/python bench/load.py --people 1000000 --services 100000   # national scale (built once, ~10 min)

It builds or reuses a PostgreSQL database (``--database``, default ``ownpath_load``; building truncates it, so
give it one of its own), starts gunicorn in the README's production shape (``OWNPATH_ENV=production``, 4
gthread workers × 16 threads, a pool of 8 connections per worker) on the app and on ``bench/bare.py`` (a
one-file Django view), signs a counsellor in through the real forms (password, then a TOTP code computed as
an authenticator app would), and drives each page with ``--connections`` keep-alive connections for
``--seconds``. It prints req/s, p50/p95/p99, errors and timeouts, the share of the bare view's req/s in the
same run, the SQL queries of one request of each page (counted in-process under the same settings), and the
machine with its load average. The load generator runs on the same machine (two processes): on a small
machine it takes CPU from the server, for the bare view as for the pages.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import http.client
import json
import multiprocessing
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench.common import machine, percentile  # noqa: E402

SECRET = "bench-load-secret-" + hashlib.sha256(b"ownpath bench/load.py").hexdigest()
ENCRYPTION_KEY = base64.urlsafe_b64encode(hashlib.sha256(f"encryption:{SECRET}".encode()).digest()).decode()
PASSWORD = "bench-load-password-2026"  # noqa: S105  (an invented account in a benchmark database)
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105  (the test factories' invented secret)
PAGES = (
    "caseload",
    "person-overview",
    "person-path",
    "people-list",
    "portal-search",
    "service-page",
    "hsds-services",
    "hsds-services-full",
    "navigator-api",
)


def environment(database: str, args: argparse.Namespace) -> dict[str, str]:
    """The production settings every process of the run shares (the servers, the build, the query counts)."""
    return {
        **os.environ,
        "OWNPATH_ENV": "production",
        "DATABASE_URL": database,
        "OWNPATH_SECRET_KEY": SECRET,
        "OWNPATH_ENCRYPTION_KEYS": ENCRYPTION_KEY,
        "OWNPATH_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "OWNPATH_STORAGE": "filesystem",
        "OWNPATH_DB_POOL_SIZE": str(args.pool),
        "OWNPATH_LOG_LEVEL": "WARNING",
        "OWNPATH_BASE_URL": f"https://127.0.0.1:{args.port}",
    }


# --- The database --------------------------------------------------------------------------------------


def prepare(args: argparse.Namespace, env: dict[str, str]) -> dict[str, list[str]]:
    """Build what is missing, give the counsellor a password and a TOTP device; return each page's URLs."""
    python = str(ROOT / ".venv" / "bin" / "python")
    if not args.people:
        # The demo refuses production settings: it is built under development ones with the same keys.
        dev = {**env, "OWNPATH_ENV": "development", "OWNPATH_DEMO": "true"}
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=dev, check=True)  # noqa: S603
        subprocess.run([python, "manage.py", "load_demo"], cwd=ROOT, env=dev, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    os.environ.update({k: v for k, v in env.items() if k != "OWNPATH_DB_POOL_SIZE"})  # forks must not share a pool
    os.environ["DJANGO_SETTINGS_MODULE"] = "ownpath.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("compile_translations", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from ownpath.core.models import Person, User
    from ownpath.modules.directory.models import Service

    if args.people:
        import caseload
        import directory

        have = Person.objects.filter(assigned_counsellor__email__endswith="@bench.example.org").count()
        if have != args.people:
            print(f"building {args.people:,} people (bench/caseload.py) …", flush=True)
            caseload.build(args.people)
        if args.services and Service.objects.count() != args.services:
            print(f"building {args.services:,} services (bench/directory.py) …", flush=True)
            directory.build(args.services)
        email = "counsellor1@bench.example.org"
    else:
        email = "counsellor@demo.ownpath.org"
    # The counsellor's sign-in, set through Django's and allauth's own functions (the test factories' way).
    user = User.objects.get(email=email)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, TOTP_SECRET)
    clients = list(Person.objects.filter(assigned_counsellor=user).order_by("pk").values_list("pk", flat=True)[:40])
    services = [
        str(s) for s in Service.objects.filter(status="active").order_by("pk").values_list("pk", flat=True)[:200]
    ]
    words = ["porada", "prawna", "kurs", "język", "praca", "юридична", "мова", "legal", "language", "work"]
    from ownpath.modules.navigator import cases

    bodies = []
    from ownpath.modules.navigator.rulebook import jurisdictions

    for jurisdiction in jurisdictions():
        for case in cases.load(jurisdiction)[:10]:
            bodies.append(
                json.dumps({"jurisdiction": jurisdiction, "as_of": str(case["as_of"]), "facts": case["facts"]})
            )
    return {
        "email": [email],
        "caseload": ["/counselling/"],
        "person-overview": [f"/people/{p}/" for p in clients],
        "person-path": [f"/people/{p}/?tab=path" for p in clients],
        "people-list": ["/people/"],
        "portal-search": ["/portal/services/?" + urlencode({"q": w}) for w in words],
        "service-page": [f"/portal/services/{s}/" for s in services],
        "hsds-services": [f"/hsds/services?page={n}&per_page=50" for n in range(1, 21)],
        "hsds-services-full": [f"/hsds/services?page={n}&per_page=50&full=true" for n in range(1, 21)],
        "navigator-api": ["POST /api/v1/navigator/assess " + b for b in bodies],
    }


# --- Servers --------------------------------------------------------------------------------------------


def start(app: str, port: int, env: dict[str, str], args: argparse.Namespace) -> subprocess.Popen[bytes]:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        app,
        "--workers",
        str(args.workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(args.threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz" if app.startswith("ownpath") else "/", headers=HEADERS)
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    stop(server)
    raise SystemExit(f"{app} did not answer on port {port}")


def stop(server: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


# Behind the proxy the README deploys: HTTPS is ended there and said in X-Forwarded-Proto.
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip", "Accept-Language": "pl"}


def sign_in(port: int, email: str) -> str:
    """Sign in through /accounts/login/ and the TOTP form, as a browser does; return the session cookie."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    cookies: dict[str, str] = {}
    origin = f"https://127.0.0.1:{port}"

    def call(method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {**HEADERS, "Accept-Encoding": "identity", "Host": f"127.0.0.1:{port}"}
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers.update(
                {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": origin + path}
            )
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", response.read().decode()

    def token(page: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, "no CSRF token on the sign-in form"
        return found.group(1)

    _status, _location, page = call("GET", "/accounts/login/")
    status, location, page = call(
        "POST", "/accounts/login/", {"csrfmiddlewaretoken": token(page), "login": email, "password": PASSWORD}
    )
    assert status == 302 and "2fa" in location, f"password step: {status} {location}"
    _status, _location, page = call("GET", "/accounts/2fa/authenticate/")
    code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    status, location, page = call(
        "POST", "/accounts/2fa/authenticate/", {"csrfmiddlewaretoken": token(page), "code": code}
    )
    assert status == 302, f"TOTP step: {status}"
    status, _location, _page = call("GET", "/counselling/")
    assert status == 200, f"signed in, the caseload answers {status}"
    return cookies["sessionid"]


# --- The load generator ---------------------------------------------------------------------------------


def request_bytes(entry: str, port: int, cookie: str) -> bytes:
    method, path, body = "GET", entry, b""
    if entry.startswith("POST "):
        _post, path, text = entry.split(" ", 2)
        method, body = "POST", text.encode()
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", *(f"{k}: {v}" for k, v in HEADERS.items())]
    if cookie:
        lines.append(f"Cookie: sessionid={cookie}")
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    headers = head.lower()
    found = re.search(rb"\r\ncontent-length: *(\d+)", headers)
    if found:
        await reader.readexactly(int(found.group(1)))
    elif b"transfer-encoding: chunked" in headers:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _connection(requests: list[bytes], port: int, until: float, offset: int, out: dict[str, Any]) -> None:
    index = offset
    reader = writer = None
    while time.monotonic() < until:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            assert reader is not None
            started = time.perf_counter()
            writer.write(requests[index % len(requests)])
            index += 1
            status = await asyncio.wait_for(_read_response(reader), timeout=10)
            out["latencies"].append((time.perf_counter() - started) * 1000)
            if status >= 400:
                out["errors"] += 1
        except TimeoutError:
            out["timeouts"] += 1
            writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            out["errors"] += 1
            writer = None
            await asyncio.sleep(0.05)
    if writer is not None:
        writer.close()


def _drive(requests: list[bytes], port: int, connections: int, seconds: float, first: int) -> dict[str, Any]:
    out: dict[str, Any] = {"latencies": [], "errors": 0, "timeouts": 0}

    async def run() -> None:
        until = time.monotonic() + seconds
        await asyncio.gather(*(_connection(requests, port, until, first + n, out) for n in range(connections)))

    asyncio.run(run())
    return out


def drive(entries: list[str], port: int, cookie: str, args: argparse.Namespace) -> dict[str, Any]:
    """``args.connections`` connections in ``args.drivers`` processes for ``args.seconds``; a short warm-up first."""
    from django.db import connections

    connections.close_all()  # the load generator's processes are forks of this one
    requests = [request_bytes(e, port, cookie) for e in entries]
    _drive(requests, port, min(args.connections, 8), 1.0, 0)
    shares = [args.connections // args.drivers + (n < args.connections % args.drivers) for n in range(args.drivers)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(args.drivers) as pool:
        parts = pool.starmap(_drive, [(requests, port, n, args.seconds, i * 1000) for i, n in enumerate(shares)])
    elapsed = time.perf_counter() - started
    latencies = [t for p in parts for t in p["latencies"]]
    return {
        "rate": len(latencies) / elapsed,
        "p50": percentile(latencies, 50) if latencies else 0.0,
        "p95": percentile(latencies, 95) if latencies else 0.0,
        "p99": percentile(latencies, 99) if latencies else 0.0,
        "errors": sum(p["errors"] for p in parts),
        "timeouts": sum(p["timeouts"] for p in parts),
    }


def count_queries(entries: list[str], cookie: str) -> int:
    """The SQL queries of one request (the second: caches that fill once per process are warm), in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_LANGUAGE="pl")
    client.cookies["sessionid"] = cookie
    entry = entries[min(1, len(entries) - 1)]
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            if entry.startswith("POST "):
                _post, path, body = entry.split(" ", 2)
                response = client.post(path, body, content_type="application/json")
            else:
                response = client.get(entry)
    assert response.status_code == 200, (entry, response.status_code)
    return len(queries.captured_queries)


# --- Main -----------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgres://ownpath:ownpath@localhost/ownpath_load")
    parser.add_argument("--people", type=int, default=0, help="build this many people (0: the demo data)")
    parser.add_argument("--services", type=int, default=0, help="build this many directory services (with --people)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--pool", type=int, default=8, help="database connections per worker")
    parser.add_argument("--drivers", type=int, default=2, help="load generator processes")
    parser.add_argument("--port", type=int, default=18700, help="the app's port; the bare view gets the next")
    parser.add_argument("--build-only", action="store_true", help="build or check the database, then stop")
    parser.add_argument("--pages", default=",".join(PAGES), help="a comma-separated subset of: " + ", ".join(PAGES))
    args = parser.parse_args()
    if not args.database.startswith("postgres"):
        sys.exit("--database must be a PostgreSQL URL of a database of its own (building truncates it)")
    pages = [p for p in args.pages.split(",") if p]
    unknown = set(pages) - set(PAGES)
    if unknown:
        sys.exit(f"unknown pages: {', '.join(sorted(unknown))}")
    env = environment(args.database, args)
    started = time.perf_counter()
    urls = prepare(args, env)
    print(f"database ready in {time.perf_counter() - started:.0f} s", flush=True)
    if args.build_only:
        return
    app = start("ownpath.wsgi", args.port, env, args)
    bare = start("bench.bare:application", args.port + 1, env, args)
    try:
        cookie = sign_in(args.port, urls["email"][0])
        results = {"bare Django view": drive(["/"], args.port + 1, "", args)}
        print(f"bare view: {results['bare Django view']['rate']:,.0f} req/s", flush=True)
        for page in pages:
            results[page] = drive(urls[page], args.port, cookie, args)
            print(f"{page}: {results[page]['rate']:,.1f} req/s", flush=True)
        again = drive(["/"], args.port + 1, "", args)
        results["bare Django view"]["rate"] = statistics.mean([results["bare Django view"]["rate"], again["rate"]])
        queries = {page: count_queries(urls[page], cookie) for page in pages}
    finally:
        stop(app)
        stop(bare)
    report(args, results, queries)


def report(args: argparse.Namespace, results: dict[str, dict[str, Any]], queries: dict[str, int]) -> None:
    from django.db import connection

    from ownpath.core.models import Person
    from ownpath.modules.directory.models import Service

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    bare = results["bare Django view"]["rate"]
    print()
    print(f"machine: {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"PostgreSQL {version}; {Person.objects.count():,} people, {Service.objects.count():,} services; "
        f"gunicorn {args.workers} gthread workers x {args.threads} threads, pool {args.pool}; "
        f"{args.connections} connections, {args.seconds:.0f} s per page"
    )
    print()
    print("| page | req/s | p50 / p95 / p99 ms | errors | timeouts | share of bare | SQL queries |")
    print("|---|---|---|---|---|---|---|")
    for page, r in results.items():
        print(
            f"| {page} | {r['rate']:,.0f} | {r['p50']:.0f} / {r['p95']:.0f} / {r['p99']:.0f} | {r['errors']} | "
            f"{r['timeouts']} | {100 * r['rate'] / bare:.1f} % | {queries.get(page, '')} |"
        )


if __name__ == "__main__":
    main()
