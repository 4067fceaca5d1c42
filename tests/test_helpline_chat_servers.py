"""The web chat across app servers (issue 27): two real gunicorn servers on one PostgreSQL database; the
caller's long poll waits on one server while a message is posted through the other, and is woken through
LISTEN/NOTIFY, not found later by its time-out."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from ownpath.modules.helpline import services
from tests.conftest import World
from tests.helpline_helpers import make_line

ROOT = Path(__file__).resolve().parent.parent
WAIT = 20  # the long poll's own time-out, seconds


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603  (our own command)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ownpath.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _ready(port: int, seconds: float = 180) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_message_posted_on_one_app_server_wakes_the_poll_waiting_on_another(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    line = make_line(world)
    chat, token = services.open_chat(line.org, language="uk")
    db = connection.settings_dict
    env = {
        **os.environ,
        "OWNPATH_ENV": "test",
        "OWNPATH_CHAT_WATCH": "true",
        "OWNPATH_CHAT_WAIT_SECONDS": str(WAIT),
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    ports = [_free_port(), _free_port()]
    servers = [_server(env, port) for port in ports]
    try:
        assert all(_ready(port) for port in ports), [
            s.stderr.read() if s.stderr and s.poll() is not None else "" for s in servers
        ]
        room = reverse("helpline:chat_room", args=[token])
        poster, waiter = (f"http://127.0.0.1:{port}" for port in ports)

        answer: dict[str, Any] = {}

        def wait_on_the_other_server() -> None:
            started = time.monotonic()
            address = f"{waiter}{room}poll/?after={answer['after']}&wait={WAIT}"
            with urllib.request.urlopen(address, timeout=WAIT + 10) as reply:  # noqa: S310
                answer["body"] = json.loads(reply.read())
            answer["seconds"] = time.monotonic() - started

        # The poll must be waiting (and the second server listening) before the message is posted.
        first = urllib.request.urlopen(f"{waiter}{room}poll/?after=0&wait=0", timeout=10)  # noqa: S310
        seen = max((m["id"] for m in json.loads(first.read())["messages"]), default=0)  # the greeting, if any
        answer["after"] = seen
        thread = threading.Thread(target=wait_on_the_other_server)
        thread.start()
        time.sleep(2)

        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{poster}{room}", timeout=10).read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert csrf is not None
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": csrf.group(1), "text": "Доброго дня, мені потрібна допомога"}
        )
        request = urllib.request.Request(  # noqa: S310
            f"{poster}{room}", data=body.encode(), headers={"X-Requested-With": "fetch", "Referer": f"{poster}{room}"}
        )
        assert json.loads(opener.open(request, timeout=10).read()) == {"ok": True}

        thread.join(WAIT + 15)
        assert [m["text"] for m in answer["body"]["messages"]] == ["Доброго дня, мені потрібна допомога"]
        # Woken by the other server's NOTIFY: far sooner than the poll's own time-out, which would also find it.
        assert answer["seconds"] < WAIT / 2, answer
        assert chat.messages.filter(sender="caller").count() == 1
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
