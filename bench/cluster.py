#!/usr/bin/env python3
"""A cluster on one machine, built from Debian's packages, and the checks a national deployment needs.

    sudo .venv/bin/python bench/cluster.py            # builds, checks (a)-(g), tears down
    sudo .venv/bin/python bench/cluster.py --keep     # leaves it running to look around (then --down)

Network namespaces joined by a bridge in a namespace of their own, every address in 127.27.0.0/24 (loopback
addresses, routed between the namespaces with route_localnet), so no traffic leaves the namespaces this
script makes:

    client ─► HAProxy (lb) ─► 3 × gunicorn (app1-3) ─► PgBouncer (pool, transaction mode) ─► PostgreSQL
              primary (pg1) ══ synchronous streaming replica (pg2); 2 workers (w1, w2); moto's S3 server (s3)

It then checks, under a bounded load, (a) killing one app server keeps errors under 0.1 %, (b) a write is
visible to the same user's next read, (c) every read of a person is audited exactly once, (d) every
acknowledged write (each carrying a client id) survives kill -9 of the primary and the promotion of the
replica, (e) a worker killed mid-task has its task run again exactly once, (f) a file uploaded through one
app server downloads through another, (g) cutting the primary off makes writes fail closed with a clear
message. Each check prints its figure.
Needs root, and Debian's postgresql-15, pgbouncer and haproxy (installed when missing). Every loop is bounded.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PGBIN = Path("/usr/lib/postgresql/15/bin")
P = "op27"
NET = "127.27.0"
NODES = {
    "lb": 10, "app1": 11, "app2": 12, "app3": 13, "pool": 20, "pg1": 31, "pg2": 32, "s3": 40,
    "w1": 51, "w2": 52, "client": 60,
}  # fmt: skip
HTTP_PORT, PG_PORTS, POOL_PORT, S3_PORT = 18270, {"pg1": 54270, "pg2": 54271}, 18272, 18279
PASSWORD = "cluster-" + secrets.token_hex(8)
TOTP_SECRET = base64.b32encode(secrets.token_bytes(20)).decode()
ADMIN, COUNSELLOR = "admin@cluster.test", "counsellor@cluster.test"


def ip(name: str) -> str:
    return f"{NET}.{NODES[name]}"


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def run(*cmd: str, ns: str | None = None, user: str | None = None, check: bool = True, timeout: float = 300,
        env: dict[str, str] | None = None, input: str | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    full = list(cmd)
    if user:
        full = ["runuser", "-u", user, "--", *full]
    if ns:
        full = ["ip", "netns", "exec", f"{P}-{ns}", *full]
    done = subprocess.run(full, capture_output=True, text=True, timeout=timeout, env=env, input=input, check=False)  # noqa: S603
    if check and done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(full)} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        )
    return done


class Cluster:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.env = self._app_env()

    # -- the network -------------------------------------------------------------------------------
    def network_up(self) -> None:
        run("ip", "netns", "add", f"{P}-hub")
        run("ip", "link", "set", "lo", "up", ns="hub")
        run("ip", "link", "add", "br0", "type", "bridge", ns="hub")
        run("ip", "link", "set", "br0", "up", ns="hub")
        for name in NODES:
            ns = f"{P}-{name}"
            run("ip", "netns", "add", ns)
            run("ip", "link", "add", f"{P}-{name}"[:15], "type", "veth", "peer", "name", f"h-{name}")
            run("ip", "link", "set", f"{P}-{name}"[:15], "netns", ns)
            run("ip", "link", "set", f"h-{name}", "netns", f"{P}-hub")
            run("ip", "link", "set", f"h-{name}", "master", "br0", ns="hub")
            run("ip", "link", "set", f"h-{name}", "up", ns="hub")
            run("ip", "link", "set", "lo", "up", ns=name)
            run("ip", "link", "set", f"{P}-{name}"[:15], "name", "eth0", ns=name)
            for key in ("all", "eth0"):
                run("sysctl", "-qw", f"net.ipv4.conf.{key}.route_localnet=1", ns=name)
            # 127.0.0.0/8 is all "local" by default; keep only 127.0.0.0/24 on lo so 127.27.0.x is routed.
            run("ip", "route", "del", "local", "127.0.0.0/8", "dev", "lo", "table", "local", ns=name)
            run("ip", "route", "add", "local", "127.0.0.0/24", "dev", "lo", "table", "local", ns=name)
            run("ip", "addr", "add", f"{ip(name)}/24", "dev", "eth0", ns=name)
            run("ip", "link", "set", "eth0", "up", ns=name)

    def network_down(self) -> None:
        for name in [*NODES, "hub"]:
            run("ip", "netns", "del", f"{P}-{name}", check=False)

    def cut(self, name: str, up: bool) -> None:
        run("ip", "link", "set", f"h-{name}", "up" if up else "down", ns="hub")

    # -- processes ---------------------------------------------------------------------------------
    def spawn(
        self, key: str, ns: str, cmd: list[str], *, user: str | None = None, env: dict[str, str] | None = None
    ) -> None:
        full = ["ip", "netns", "exec", f"{P}-{ns}", *(["runuser", "-u", user, "--"] if user else []), *cmd]
        out = (self.work / f"{key}.log").open("ab")
        self.procs[key] = subprocess.Popen(  # noqa: S603  (our own commands)
            full, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT, start_new_session=True
        )

    def kill(self, key: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.get(key)
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    def stop_all(self) -> None:
        for key in list(self.procs):
            self.kill(key, signal.SIGTERM)
        for name in PG_PORTS:
            data = self.work / name
            if (data / "postmaster.pid").exists():
                run(str(PGBIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop", user="postgres", check=False)

    # -- PostgreSQL, PgBouncer, S3 -------------------------------------------------------------------
    def postgres(self) -> None:
        data = self.work / "pg1"
        run(str(PGBIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", user="postgres")
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '{ip('pg1')}'\nport = {PG_PORTS['pg1']}\nunix_socket_directories = '{data}'\n"
                "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\ntimezone = 'UTC'\n"
                "synchronous_commit = on\nshared_buffers = 64MB\n"
                "max_connections = 120\nfsync = on\n"
            )
        with (data / "pg_hba.conf").open("a") as hba:
            hba.write(f"host all all {NET}.0/24 scram-sha-256\nhost replication replicator {NET}.0/24 trust\n")
        self.pg_start("pg1")
        sql = (
            f"CREATE ROLE ownpath LOGIN PASSWORD '{PASSWORD}'; CREATE DATABASE ownpath OWNER ownpath;"
            "CREATE ROLE replicator LOGIN REPLICATION;"
        )
        self.psql("pg1", *[statement for statement in sql.split(";") if statement.strip()])

    def pg_start(self, name: str) -> None:
        data = self.work / name
        run(str(PGBIN / "pg_ctl"), "-D", str(data), "-l", str(self.work / f"{name}.log"), "-w", "-t", "60", "start",
            ns=name, user="postgres")  # fmt: skip

    def replica(self) -> None:
        data = self.work / "pg2"
        run(str(PGBIN / "pg_basebackup"), "-h", ip("pg1"), "-p", str(PG_PORTS["pg1"]), "-U", "replicator",
            "-D", str(data), "-R", "-X", "stream", "-c", "fast", ns="pg2", user="postgres")  # fmt: skip
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '{ip('pg2')}'\nport = {PG_PORTS['pg2']}\nunix_socket_directories = '{data}'\n"
            )
        self.pg_start("pg2")
        # Now that a standby streams, a commit is acknowledged only once the standby has it on disk.
        self.psql("pg1", "ALTER SYSTEM SET synchronous_standby_names = '*'", "SELECT pg_reload_conf()")

    def psql(self, name: str, *statements: str) -> None:
        args = [a for statement in statements for a in ("-c", statement)]
        run(str(PGBIN / "psql"), "-h", str(self.work / name), "-p", str(PG_PORTS[name]), "-U", "postgres", *args,
            user="postgres")  # fmt: skip

    def sql(self, name: str, statement: str, *, database: str = "ownpath") -> str:
        import psycopg

        with psycopg.connect(host=ip(name), port=PG_PORTS[name], dbname=database, user="ownpath", password=PASSWORD,
                             connect_timeout=5, autocommit=True) as conn:  # fmt: skip
            row = conn.execute(statement).fetchone()
            return "" if row is None else str(row[0])

    def pgbouncer(self, primary: str = "pg1", replica: str = "pg2") -> None:
        conf = self.work / "pgbouncer.ini"
        conf.write_text(
            "[databases]\n"
            f"ownpath = host={ip(primary)} port={PG_PORTS[primary]} dbname=ownpath\n"
            f"ownpath_replica = host={ip(replica)} port={PG_PORTS[replica]} dbname=ownpath\n"
            "[pgbouncer]\n"
            f"listen_addr = {ip('pool')}\nlisten_port = {POOL_PORT}\nauth_type = scram-sha-256\n"
            f"auth_file = {self.work / 'userlist.txt'}\npool_mode = transaction\nmax_client_conn = 500\n"
            "default_pool_size = 20\nserver_connect_timeout = 3\nquery_wait_timeout = 10\n"
            "server_login_retry = 1\ntcp_user_timeout = 3000\nignore_startup_parameters = extra_float_digits,options\n"
            f"unix_socket_dir = {self.work}\npidfile = {self.work / 'pgbouncer.pid'}\n"
        )
        (self.work / "userlist.txt").write_text(f'"ownpath" "{PASSWORD}"\n')
        shutil.chown(conf, "postgres")
        shutil.chown(self.work / "userlist.txt", "postgres")
        if "pgbouncer" in self.procs and self.procs["pgbouncer"].poll() is None:
            os.kill(self.procs["pgbouncer"].pid, signal.SIGHUP)  # reload: new servers for new transactions
        else:
            self.spawn("pgbouncer", "pool", ["/usr/sbin/pgbouncer", str(conf)], user="postgres")

    def s3(self) -> None:
        self.spawn("s3", "s3", [PY, "-m", "moto.server", "-H", ip("s3"), "-p", str(S3_PORT)])
        wait_http(ip("s3"), S3_PORT, "/", 60, ok=(200, 404, 403))
        import boto3

        client = boto3.client(
            "s3", endpoint_url=f"http://{ip('s3')}:{S3_PORT}", region_name="eu-central-1",
            aws_access_key_id="cluster", aws_secret_access_key="cluster",  # noqa: S106  (moto's, local only)
        )  # fmt: skip
        client.create_bucket(Bucket="ownpath-media", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})

    # -- the application -----------------------------------------------------------------------------
    def _app_env(self) -> dict[str, str]:
        from cryptography.fernet import Fernet

        pool = f"postgres://ownpath:{PASSWORD}@{ip('pool')}:{POOL_PORT}"
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.work), "LANG": "C.UTF-8",
            "OWNPATH_ENV": "production", "OWNPATH_SECRET_KEY": secrets.token_urlsafe(60),
            "OWNPATH_ENCRYPTION_KEYS": Fernet.generate_key().decode(), "OWNPATH_ALLOWED_HOSTS": ",".join(ip(n) for n in NODES),
            "OWNPATH_DEMO": "false", "OWNPATH_STATIC_ROOT": str(self.work / "static"),
            "DATABASE_URL": f"{pool}/ownpath", "DATABASE_REPLICA_URL": f"{pool}/ownpath_replica",
            "OWNPATH_DB_PGBOUNCER": "true", "OWNPATH_DB_CONN_MAX_AGE": "60",
            "OWNPATH_LISTEN_DATABASE_URL": f"postgres://ownpath:{PASSWORD}@{ip('pg1')}:{PG_PORTS['pg1']}/ownpath",
            "OWNPATH_S3_BUCKET": "ownpath-media", "OWNPATH_S3_ENDPOINT_URL": f"http://{ip('s3')}:{S3_PORT}",
            "OWNPATH_S3_REGION": "eu-central-1", "OWNPATH_S3_ACCESS_KEY_ID": "cluster", "OWNPATH_S3_SECRET_ACCESS_KEY": "cluster",
            "OWNPATH_TASK_LEASE_SECONDS": "6", "OWNPATH_TASK_BACKOFF_SECONDS": "2", "OWNPATH_REPLICA_PIN_SECONDS": "15",
            "OWNPATH_CHAT_WAIT_SECONDS": "8", "OWNPATH_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "OWNPATH_LOG_LEVEL": "WARNING", "OWNPATH_HSTS_SECONDS": "0",
        }  # fmt: skip

    def manage(self, *args: str, ns: str = "pool", input: str | None = None, direct: bool = False) -> str:
        env = dict(self.env)
        if direct:  # migrations take locks and run DDL: straight to the primary
            env["DATABASE_URL"] = env["OWNPATH_LISTEN_DATABASE_URL"]
            env.pop("DATABASE_REPLICA_URL")
        return run(PY, str(ROOT / "manage.py"), *args, ns=ns, env=env, input=input, timeout=900).stdout

    def prepare(self) -> dict[str, Any]:
        self.manage("migrate", "--noinput", direct=True)
        self.manage("createcachetable", direct=True)
        self.manage("compile_translations")
        self.manage("collectstatic", "--noinput", "-v0")
        script = SEED.replace("@ADMIN@", ADMIN).replace("@COUNSELLOR@", COUNSELLOR).replace("@SECRET@", TOTP_SECRET)
        script = script.replace("@PASSWORD@", PASSWORD)
        out = self.manage("shell", input=script, direct=True)
        return json.loads(out.strip().splitlines()[-1])

    def apps(self) -> None:
        for name in ("app1", "app2", "app3"):
            self.spawn(name, name, [str(ROOT / ".venv" / "bin" / "gunicorn"), "ownpath.wsgi", "-w", "1", "-k", "gthread",
                                    "--threads", "16", "-b", f"{ip(name)}:{HTTP_PORT}", "--timeout", "30",
                                    "--graceful-timeout", "5"], env=self.env)  # fmt: skip
        for name in ("app1", "app2", "app3"):
            wait_http(ip(name), HTTP_PORT, "/healthz", 120)

    def haproxy(self) -> None:
        conf = self.work / "haproxy.cfg"
        servers = "".join(f"    server {n} {ip(n)}:{HTTP_PORT} check\n" for n in ("app1", "app2", "app3"))
        conf.write_text(HAPROXY.format(bind=f"{ip('lb')}:{HTTP_PORT}", servers=servers))
        self.spawn("haproxy", "lb", ["/usr/sbin/haproxy", "-db", "-f", str(conf)])
        wait_http(ip("lb"), HTTP_PORT, "/healthz", 60)

    def workers(self) -> None:
        for name in ("w1", "w2"):
            self.spawn(name, name, [PY, str(ROOT / "manage.py"), "worker", "--worker-id", name], env=self.env)


HAPROXY = """global
    maxconn 1000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 2
    option redispatch
    retry-on conn-failure empty-response
frontend web
    bind {bind}
    http-request set-header X-Forwarded-Proto https
    http-request disable-l7-retry if !METH_GET
    default_backend apps
backend apps
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
{servers}"""

SEED = r"""
import json
from allauth.mfa.totp.internal.auth import TOTP
from ownpath.core.choices import OrganisationKind, Role
from ownpath.core.models import Membership, Network, Organisation, User, Person
from ownpath.core.services import people
from ownpath.modules.directory import hsds, services as directory
from ownpath.modules.monitoring.models import ChecklistItem
net = Network.objects.create(name="Cluster network", slug="cluster")
metro = Organisation.objects.create(name="Metropolis", slug="metro", kind=OrganisationKind.METROPOLIS)
town = Organisation.objects.create(name="Town", slug="town", kind=OrganisationKind.MUNICIPALITY, parent=metro)
centre = Organisation.objects.create(name="Centre", slug="centre", kind=OrganisationKind.COUNSELLING_CENTRE, parent=metro)
for org in (metro, town, centre):
    org.networks.add(net)
admin = User.objects.create_user(username="admin", email="@ADMIN@", password="@PASSWORD@", is_superuser=True, is_staff=True)
counsellor = User.objects.create_user(username="counsellor", email="@COUNSELLOR@", password="@PASSWORD@")
Membership.objects.create(user=admin, organisation=metro, role=Role.NETWORK_ADMIN)
Membership.objects.create(user=counsellor, organisation=centre, role=Role.COUNSELLOR)
for user in (admin, counsellor):
    TOTP.activate(user, "@SECRET@")
person = people.create_person(counsellor, centre, {"given_name": "Olena", "family_name": "Kovalenko", "citizenships": ["UA"]})
doc = json.load(open("tests/data/hsds/examples/service_full.json"))
directory.import_batch(hsds.batch_from_json(doc, "service"), owner=metro, source_language="en", invalid_coordinates="keep")
from ownpath.modules.directory.models import Service
service = Service.objects.order_by("pk").first()
item = ChecklistItem.objects.filter(for_municipalities=True).first()
print(json.dumps({"person": person.pk, "service": str(service.pk), "town": town.pk, "item": item.key,
                  "admin": admin.pk, "counsellor": counsellor.pk, "metro": metro.pk}))
"""


def wait_http(host: str, port: int, path: str, seconds: float, ok: tuple[int, ...] = (200,)) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=3)
            conn.request("GET", path)
            if conn.getresponse().status in ok:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"http://{host}:{port}{path} did not answer in {seconds} s")


class Browser:
    """A tiny HTTP client with its own cookies (kept whatever their Secure flag: the proxy says https)."""

    def __init__(self, host: str = ip("lb"), port: int = HTTP_PORT) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                timeout: float = 30) -> tuple[int, bytes, dict[str, str]]:  # fmt: skip
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        head = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        if method != "GET":
            head.setdefault("Origin", f"https://{self.host}")
            head.setdefault("Referer", f"https://{self.host}/")
            if "csrftoken" in self.cookies:
                head.setdefault("X-CSRFToken", self.cookies["csrftoken"])
        try:
            conn.request(method, path, body=body, headers=head)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, data, {k.lower(): v for k, v in response.getheaders()}

    def get(self, path: str, **kw: Any) -> tuple[int, bytes, dict[str, str]]:
        return self.request("GET", path, **kw)

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        return self.request(
            "POST", path, urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def multipart(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
    ) -> tuple[int, bytes, dict[str, str]]:
        boundary = uuid.uuid4().hex
        parts = []
        for k, v in {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
        for k, (filename, data, kind) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{filename}"\r\n'
                         f"Content-Type: {kind}\r\n\r\n".encode() + data + b"\r\n")  # fmt: skip
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def json(self, method: str, path: str, payload: Any) -> tuple[int, Any]:
        status, data, _ = self.request(method, path, json.dumps(payload).encode(), {"Content-Type": "application/json"})
        try:
            return status, json.loads(data)
        except ValueError:
            return status, data[:200]

    def sign_in(self, email: str) -> None:
        import pyotp

        self.get("/accounts/login/")
        status, _, head = self.form("/accounts/login/", {"login": email, "password": PASSWORD})
        assert status == 302, f"sign-in of {email}: {status}"
        code = pyotp.TOTP(TOTP_SECRET).now()
        status, _, head = self.form("/accounts/2fa/authenticate/", {"code": code})
        assert status == 302 and "login" not in head.get("location", ""), f"second factor of {email}: {status}"


def setns(name: str) -> None:
    fd = os.open(f"/run/netns/{P}-{name}", os.O_RDONLY)
    os.setns(fd, os.CLONE_NEWNET)
    os.close(fd)


# -- the checks -------------------------------------------------------------------------------------
class Checks:
    def __init__(self, cluster: Cluster, ids: dict[str, Any]) -> None:
        self.c, self.ids = cluster, ids
        self.results: list[tuple[str, bool, str]] = []
        self.counsellor = Browser()
        self.counsellor.sign_in(COUNSELLOR)
        self.admin = Browser()
        self.admin.sign_in(ADMIN)

    def report(self, key: str, ok: bool, figure: str) -> None:
        self.results.append((key, ok, figure))
        log(f"({key}) {'PASS' if ok else 'FAIL'}  {figure}")

    def audited_reads(self) -> int:
        return int(self.c.sql("pg1", f"SELECT count(*) FROM core_auditevent WHERE person_id = {self.ids['person']} "
                                      f"AND action = 'read' AND actor_id = {self.ids['counsellor']}"))  # fmt: skip

    def c_audit(self, reads: int = 300) -> None:
        before = self.audited_reads()
        ok_reads = failed = 0
        for _ in range(reads):
            status, _, _ = self.counsellor.get(f"/api/v1/people/{self.ids['person']}")
            ok_reads += status == 200
            failed += status != 200
        after = self.audited_reads()
        self.report("c", after - before == ok_reads and failed == 0,
                    f"{ok_reads} reads of one person across 3 app servers, {after - before} audit events, {failed} failed")  # fmt: skip

    def b_read_your_writes(self, rounds: int = 20) -> None:
        self.c.sql("pg1", "SELECT 1")
        self.c.psql("pg2", "ALTER SYSTEM SET recovery_min_apply_delay = '2s'", "SELECT pg_reload_conf()")
        service = self.ids["service"]
        seen = stale_for_others = 0
        stranger = Browser()
        try:
            for n in range(rounds):
                name = f"Legal advice, round {n} {uuid.uuid4().hex[:6]}"
                self.admin.get(f"/directory/services/{service}/")
                status, _, _ = self.admin.form(f"/directory/services/{service}/", {"name": name, "status": "active"})
                assert status == 302, f"edit failed: {status}"
                _, mine, _ = self.admin.get(f"/hsds/services/{service}")
                _, theirs, _ = stranger.get(f"/hsds/services/{service}")
                seen += name in mine.decode()
                stale_for_others += name not in theirs.decode()
        finally:
            self.c.psql("pg2", "ALTER SYSTEM RESET recovery_min_apply_delay", "SELECT pg_reload_conf()")
        self.report("b", seen == rounds,
                    f"{seen}/{rounds} edits visible to the editor's next read (HSDS, a replica-routed page); "
                    f"a reader with no recent write read the 2 s delayed replica and saw {stale_for_others}/{rounds} stale")  # fmt: skip

    def a_kill_app_server(self, total: int = 3000, threads: int = 8) -> None:
        counts: Counter[str] = Counter()
        lock = threading.Lock()
        issued = [0]
        killed = threading.Event()
        person = self.ids["person"]

        def one(browser: Browser, n: int) -> None:
            kind = ("person", "hsds", "health", "portal")[n % 4]
            path = {"person": f"/api/v1/people/{person}", "hsds": "/hsds/services?per_page=5",
                    "health": "/healthz", "portal": "/portal/services/?q=legal"}[kind]  # fmt: skip
            try:
                status, _, _ = browser.get(path)
            except OSError:
                status = 0
            with lock:
                counts["ok" if status in (200, 302) else f"error {status}"] += 1

        def loop() -> None:
            browser = Browser()
            browser.cookies = dict(self.counsellor.cookies)
            while True:
                with lock:
                    if issued[0] >= total:
                        return
                    issued[0] += 1
                    n = issued[0]
                if n == total // 3 and not killed.is_set():
                    killed.set()
                    self.c.kill("app2")
                    log("app2 killed with SIGKILL")
                one(browser, n)

        started = time.monotonic()
        pool = [threading.Thread(target=loop) for _ in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join(600)
        seconds = time.monotonic() - started
        errors = sum(v for k, v in counts.items() if k != "ok")
        share = 100 * errors / max(sum(counts.values()), 1)
        self.report("a", share < 0.1 and killed.is_set(),
                    f"{sum(counts.values())} requests in {seconds:.0f} s ({sum(counts.values()) / seconds:.0f}/s) with app2 "
                    f"killed a third of the way: {errors} errors ({share:.3f} %) {dict(counts)}")  # fmt: skip

    def f_file_across_servers(self) -> None:
        one, other = Browser(ip("app1")), Browser(ip("app3"))
        one.cookies = other.cookies = dict(self.admin.cookies)  # one session, two app servers
        path = f"/monitoring/checklist/{self.ids['town']}/2026/{self.ids['item']}/"
        one.get(path)
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + uuid.uuid4().hex.encode()
        status, _, _ = one.multipart(path, {"status": "done"}, {"evidence": ("evidence.pdf", pdf, "application/pdf")})
        evidence = self.c.sql("pg1", "SELECT max(id) FROM monitoring_evidence")
        got_status, got, _ = other.get(f"/monitoring/evidence/{evidence}/")
        self.report("f", status in (200, 302) and got_status == 200 and got == pdf,
                    f"uploaded through app1 (HTTP {status}), {len(pdf)} bytes in the bucket, downloaded through app3: "
                    f"HTTP {got_status}, {'identical' if got == pdf else 'different'}")  # fmt: skip

    def e_worker_killed(self, services: int = 600) -> None:
        template = json.loads((ROOT / "tests/data/hsds/examples/service_full.json").read_text())
        text = json.dumps(template)
        uuids = sorted(set(re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text)))
        docs = []
        for n in range(services):
            copy_text = text
            for old in uuids:
                copy_text = copy_text.replace(old, str(uuid.uuid4()))
            doc = json.loads(copy_text)
            doc["name"] = f"cluster import {n}"
            docs.append(doc)
        upload = json.dumps(docs).encode()
        self.admin.get("/directory/import/")
        status, _, head = self.admin.multipart("/directory/import/", {"language": "en", "kind": "service", "keep_invalid_coordinates": "on"},
                                               {"file": ("services.json", upload, "application/json")})  # fmt: skip
        job = head.get("location", "").rstrip("/").rsplit("/", 1)[-1]
        assert status == 302 and job.isdigit(), f"import refused: {status} {head}"
        key = f"directory-import:{job}"
        worker = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not worker:
            worker = self.c.sql(
                "pg1", f"SELECT worker_id FROM core_queuedtask WHERE key = '{key}' AND status = 'RUNNING'"
            )
            time.sleep(0.2)
        assert worker in ("w1", "w2"), f"no worker took the import ({worker!r})"
        time.sleep(1.0)  # well into the import
        self.c.kill(worker)
        log(f"worker {worker} killed with SIGKILL while importing")
        deadline = time.monotonic() + 600
        status = ""
        while time.monotonic() < deadline and status not in ("SUCCESSFUL", "FAILED"):
            status = self.c.sql("pg1", f"SELECT status FROM core_queuedtask WHERE key = '{key}'")
            time.sleep(0.5)
        row = self.c.sql(
            "pg1",
            f"SELECT json_build_object('attempts', attempts, 'workers', worker_ids)::text FROM core_queuedtask WHERE key = '{key}'",
        )
        imported = int(
            self.c.sql("pg1", "SELECT count(*) FROM directory_service WHERE data->>'name' LIKE 'cluster import %'")
        )
        job_status = self.c.sql("pg1", f"SELECT status FROM directory_importjob WHERE id = {job}")
        info = json.loads(row)
        self.report("e", status == "SUCCESSFUL" and info["attempts"] == 2 and imported == services and job_status == "done",
                    f"import of {services} services: worker {worker} killed mid-task; task {status} after {info['attempts']} "
                    f"attempts by {info['workers']}; {imported} services imported once; job {job_status}")  # fmt: skip
        self.c.workers_restart = worker  # type: ignore[attr-defined]

    def g_primary_cut_off(self) -> None:
        self.c.cut("pg1", up=False)
        try:
            started = time.monotonic()
            status, body = self.counsellor.json(
                "POST", "/api/v1/people/", {"given_name": "Cut", "family_name": "Off", "confirm_new": True}
            )
            seconds = time.monotonic() - started
        finally:
            self.c.cut("pg1", up=True)
        message = body.get("error", {}).get("message", "") if isinstance(body, dict) else str(body)
        stored = int(self.c.sql("pg1", "SELECT count(*) FROM core_person WHERE family_name = 'Off'"))
        self.report("g", status == 503 and "nothing was saved" in message and stored == 0,
                    f"with the primary's link down a write answered HTTP {status} in {seconds:.1f} s: \"{message}\"; "
                    f"rows written: {stored}")  # fmt: skip

    def d_failover(self, seconds: float = 20) -> None:
        acknowledged: list[str] = []
        failures: Counter[str] = Counter()
        stop = threading.Event()

        def writer() -> None:
            browser = Browser()
            browser.cookies = dict(self.counsellor.cookies)
            for _ in range(5000):
                if stop.is_set():
                    return
                client_id = uuid.uuid4().hex[:12]
                try:
                    status, _ = browser.json("POST", "/api/v1/people/",
                                                {"given_name": "Client", "family_name": f"id{client_id}", "confirm_new": True})  # fmt: skip
                except OSError:
                    status = 0
                if status == 201:
                    acknowledged.append(client_id)
                else:
                    failures[str(status)] += 1
                    time.sleep(0.2)

        threads = [threading.Thread(target=writer) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(seconds / 2)
        before = len(acknowledged)
        pid = int((self.c.work / "pg1" / "postmaster.pid").read_text().split()[0])
        children = run("pgrep", "-P", str(pid), check=False).stdout.split()
        os.kill(pid, signal.SIGKILL)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(child), signal.SIGKILL)
        log(f"primary killed with SIGKILL after {before} acknowledged writes; promoting the replica")
        run(str(PGBIN / "pg_ctl"), "-D", str(self.c.work / "pg2"), "-w", "promote", ns="pg2", user="postgres")
        self.c.pgbouncer(primary="pg2", replica="pg2")
        time.sleep(seconds / 2)
        stop.set()
        for t in threads:
            t.join(60)
        found = set()
        for start in range(0, len(acknowledged), 500):
            chunk = acknowledged[start : start + 500]
            names = ",".join(f"'id{c}'" for c in chunk)
            found |= set(
                json.loads(
                    self.c.sql(
                        "pg2",
                        f"SELECT coalesce(json_agg(family_name), '[]')::text FROM core_person WHERE family_name IN ({names})",
                    )
                )
            )
        lost = len(acknowledged) - len({f[2:] for f in found} & set(acknowledged))
        self.report("d", lost == 0 and len(acknowledged) > before > 0,
                    f"{len(acknowledged)} acknowledged writes ({before} before kill -9 of the primary), {lost} lost after "
                    f"promoting the replica; refused during the failover: {dict(failures)}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="leave the cluster running after the checks")
    parser.add_argument("--down", action="store_true", help="remove a cluster left by --keep")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("bench/cluster.py needs root (network namespaces, PostgreSQL as the postgres user)", file=sys.stderr)
        return 2
    missing = [p for p in ("/usr/sbin/haproxy", "/usr/sbin/pgbouncer", str(PGBIN / "postgres")) if not Path(p).exists()]
    if missing:
        run("apt-get", "install", "-y", "-q", "haproxy", "pgbouncer", "postgresql-15", timeout=900)
    work_link = Path(tempfile.gettempdir()) / f"{P}-cluster"
    if args.down or work_link.exists():
        Cluster(work_link).stop_all() if work_link.exists() else None
        Cluster(work_link).network_down()
        shutil.rmtree(work_link, ignore_errors=True)
        if args.down:
            return 0
    work = work_link
    work.mkdir(mode=0o755)
    shutil.chown(work, "postgres")
    cluster = Cluster(work)
    print(f"ownpath cluster test on {os.uname().nodename}, {os.cpu_count()} cores; work directory {work}")
    failed = True
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    try:
        log("network namespaces")
        cluster.network_up()
        setns("client")  # from here on this process talks only inside the cluster
        log("PostgreSQL primary and synchronous streaming replica")
        cluster.postgres()
        cluster.replica()
        cluster.pgbouncer()
        cluster.s3()
        log("migrations and seed data")
        ids = cluster.prepare()
        log("3 app servers, HAProxy, 2 workers")
        cluster.apps()
        cluster.haproxy()
        cluster.workers()
        checks = Checks(cluster, ids)
        checks.c_audit()
        checks.b_read_your_writes()
        checks.a_kill_app_server()
        checks.f_file_across_servers()
        checks.e_worker_killed()
        checks.g_primary_cut_off()
        checks.d_failover()
        print("\nsummary")
        for key, ok, figure in sorted(checks.results):
            print(f"  ({key}) {'PASS' if ok else 'FAIL'}  {figure}")
        failed = not all(ok for _, ok, _ in checks.results)
    finally:
        if not args.keep:
            log("tearing down")
            cluster.stop_all()
            os.setns(home, os.CLONE_NEWNET)
            cluster.network_down()
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
