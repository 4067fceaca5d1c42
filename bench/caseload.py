"""Benchmark: the caseload page and the person page with a national-scale register (issue 3).

Builds, in PostgreSQL, N people (default 1,000,000) held by 50 centres, each with a counsellor of about
40 clients, three path steps, two sessions, and a share of referrals, recognitions, outcomes with their
follow-ups and barrier profiles. Then it requests, in-process through Django's full stack (middleware,
permissions, audit writes included), the caseload page of many counsellors and the path tab of many
people, and prints the server time (median, p95) and the SQL queries per page. Counsellors with 5, 40
and 400 clients show that the number of queries does not grow with the number of clients.

    DATABASE_URL=postgres://ownpath:ownpath@localhost/ownpath_caseload .venv/bin/python bench/caseload.py
    ... bench/caseload.py --people 100000 --requests 100

It needs its own PostgreSQL database (the data are inserted with generate_series) and never touches the
development one: building truncates it. Rebuilding is skipped when it already holds exactly N people.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import insert_series, setup_django, signed_in_client  # noqa: E402

CLIENTS_PER_COUNSELLOR = 40
CENTRES = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per page kind")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database of its own, e.g. postgres://ownpath:ownpath@localhost/ownpath_caseload"
        )
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ownpath.core.models import Person

    have = Person.objects.filter(assigned_counsellor__email__endswith="@bench.example.org").count()
    if have != args.people:
        build(args.people)
    measure(args.requests)


# --- Building the register ---------------------------------------------------------------------------


def build(people: int) -> None:
    from django.db import connection, transaction

    from ownpath.core.choices import OrganisationKind, Role
    from ownpath.core.models import Membership, Organisation, Person, User
    from ownpath.modules.counselling import models as m

    started = time.perf_counter()
    counsellors = people // CLIENTS_PER_COUNSELLOR
    with transaction.atomic():
        with connection.cursor() as cursor:
            for table in (
                "counselling_followup",
                "counselling_outcome",
                "counselling_recognition",
                "counselling_referral",
                "counselling_sessionnote",
                "counselling_session",
                "counselling_pathchange",
                "counselling_suggestion",
                "counselling_step",
                "counselling_goal",
                "counselling_caseprofile",
                "core_auditevent",
                "core_personshare",
                "core_consent_recipients",
                "core_consent",
                "core_person",
                "core_membership",
                "core_user",
                "core_organisation",
            ):
                cursor.execute(f"TRUNCATE {table} CASCADE")
        for index in range(CENTRES):
            Organisation.objects.create(
                name=f"Bench centre {index}", slug=f"bench-{index}", kind=OrganisationKind.COUNSELLING_CENTRE
            )
        first_org = Organisation.objects.filter(slug="bench-0").values_list("pk", flat=True).get()
        insert_series(
            User,
            counsellors + 3,
            {
                "username": "'bench-' || g",
                "email": "'counsellor' || g || '@bench.example.org'",
                "first_name": "'Counsellor'",
                "last_name": "g::text",
                "password": "'!'",
            },
        )
        first_user = User.objects.filter(email="counsellor1@bench.example.org").values_list("pk", flat=True).get()
        insert_series(
            Membership,
            counsellors + 3,
            {
                "user_id": f"{first_user} - 1 + g",
                "organisation_id": f"{first_org} + (g % {CENTRES})",
                "role": f"'{Role.COUNSELLOR}'",
            },
        )
        print(f"  organisations and {counsellors} counsellors: {time.perf_counter() - started:.0f} s", flush=True)
        # Person g belongs to counsellor g / 40, in that counsellor's centre. The last three counsellors
        # are the probes with 5, 40 and 400 clients: their people come after the rest.
        regular = people - 445
        assigned = (
            f"CASE WHEN g <= {regular} THEN {first_user} + (g - 1) / {CLIENTS_PER_COUNSELLOR} "
            f"WHEN g <= {regular + 5} THEN {first_user + counsellors} "
            f"WHEN g <= {regular + 45} THEN {first_user + counsellors + 1} "
            f"ELSE {first_user + counsellors + 2} END"
        )
        insert_series(
            Person,
            people,
            {
                "organisation_id": f"{first_org} + ((({assigned}) - {first_user} + 1) % {CENTRES})",
                "given_name": "(ARRAY['Olena','Ahmad','Maryam','Oleksandr','Layla','Dawit','Ayse','Ivan'])[1 + g % 8]",
                "family_name": "'Client' || g",
                "assigned_counsellor_id": assigned,
                "residence_status": "'temporary_protection'",
                "residence_expires": "CURRENT_DATE + ((g::bigint * 7919) % 700 - 30)::int",
                "birth_date": "DATE '1960-01-01' + (g * 31) % 16000",
            },
        )
        print(f"  {people} people: {time.perf_counter() - started:.0f} s", flush=True)
        first_person = Person.objects.order_by("pk").values_list("pk", flat=True).first()
        p = f"({first_person} - 1 + g)"
        kinds = "(ARRAY['language_course','job_search','recognition','childcare','internship','workshop'])"
        for n in range(3):
            insert_series(
                m.Step,
                people,
                {
                    "person_id": p,
                    "kind": f"{kinds}[1 + (g + {n}) % 6]",
                    "responsible_organisation_id": f"{first_org} + g % {CENTRES}",
                    "planned_start": f"CURRENT_DATE - 120 + {n * 40} + g % 30",
                    "planned_end": f"CURRENT_DATE - 60 + {n * 60} + g % 30",
                    "status": f"(ARRAY['done','in_progress','planned'])[1 + {n}]",
                    "checklist": "'[]'::jsonb",
                },
            )
        print(f"  {3 * people} path steps: {time.perf_counter() - started:.0f} s", flush=True)
        for n in range(2):
            insert_series(
                m.Session,
                people,
                {
                    "person_id": p,
                    "organisation_id": f"(SELECT organisation_id FROM core_person WHERE id = {p})",
                    "kind": "'vocational'",
                    "starts_at": f"date_trunc('day', now()) - ((g + {n} * 17) % 90) * interval '1 day' + interval '10 hours'",
                    "mode": "'video'",
                    "held_by_id": f"(SELECT assigned_counsellor_id FROM core_person WHERE id = {p})",
                },
            )
        print(f"  {2 * people} sessions: {time.perf_counter() - started:.0f} s", flush=True)
        insert_series(
            m.CaseProfile,
            people,
            {
                "person_id": p,
                "barriers": 'CASE WHEN g % 10 = 0 THEN \'["disability","low_literacy"]\'::jsonb '
                "WHEN g % 4 = 0 THEN '[\"single_parent\"]'::jsonb ELSE '[]'::jsonb END",
                "barrier_count": "CASE WHEN g % 10 = 0 THEN 2 WHEN g % 4 = 0 THEN 1 ELSE 0 END",
                "updated_at": "now()",
            },
        )
        insert_series(
            m.Recognition,
            people // 10,
            {
                "person_id": f"({first_person} - 1 + g * 10)",
                "diploma": "'Diploma'",
                "country": "'UA'",
                "route": "'academic'",
                "deadline": "CURRENT_DATE + g % 120",
                "documents": "'[]'::jsonb",
            },
        )
        insert_series(
            m.Outcome,
            people // 10,
            {
                "person_id": f"({first_person} - 1 + g * 10)",
                "organisation_id": f"(SELECT organisation_id FROM core_person WHERE id = {first_person} - 1 + g * 10)",
                "kind": "'employment'",
                "employer": "'Employer'",
                "occupation": "'Cook'",
                "contract_type": "'permanent'",
                "start": "CURRENT_DATE - g % 400",
            },
        )
        first_outcome = m.Outcome.objects.order_by("pk").values_list("pk", flat=True).first()
        for months in (3, 6, 12):
            insert_series(
                m.FollowUp,
                people // 10,
                {
                    "outcome_id": f"{first_outcome} - 1 + g",
                    "months": str(months),
                    "due": f"(SELECT start FROM counselling_outcome WHERE id = {first_outcome} - 1 + g) "
                    f"+ interval '{months} months'",
                },
            )
        print(f"  recognitions, outcomes, follow-ups: {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"built {people} people in {time.perf_counter() - started:.0f} s", flush=True)


# --- Measuring ---------------------------------------------------------------------------------------


def _time(client: Any, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # the log keeps 9000 entries; a full one would count nothing
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(queries.captured_queries)


def _summary(label: str, samples: list[tuple[float, int]]) -> None:
    times = sorted(t for t, _q in samples)
    queries = sorted({q for _t, q in samples})
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(
        f"{label:34} n={len(times):4}  median {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
        f"queries {'/'.join(map(str, queries))}"
    )


def measure(requests: int) -> None:
    import random

    from django.db import connection

    from ownpath.core.models import Person, User

    rng = random.Random(3)
    users = list(User.objects.filter(email__endswith="@bench.example.org").order_by("pk").values_list("pk", flat=True))
    regular, probes = users[:-3], users[-3:]
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"database: PostgreSQL {version}, people: {Person.objects.count()}, counsellors: {len(users)}")
    # Warm up the connection and the caches of the first requests.
    warm = signed_in_client(User.objects.get(pk=regular[0]))
    for _ in range(5):
        _time(warm, "/counselling/")
    caseload, person_page, overview = [], [], []
    with_clients = regular[: (Person.objects.count() - 445) // 40]
    chosen = rng.sample(with_clients, min(requests, len(with_clients)))
    for user_id in chosen:
        user = User.objects.get(pk=user_id)
        client = signed_in_client(user)
        caseload.append(_time(client, "/counselling/"))
        person_id = Person.objects.filter(assigned_counsellor_id=user_id).values_list("pk", flat=True).first()
        person_page.append(_time(client, f"/people/{person_id}/?tab=path"))
        overview.append(_time(client, f"/people/{person_id}/"))
    _summary("caseload page (40 clients)", caseload)
    _summary("person page, path tab", person_page)
    _summary("person page, overview", overview)
    for user_id, clients in zip(probes, (5, 40, 400), strict=True):
        client = signed_in_client(User.objects.get(pk=user_id))
        samples = [_time(client, "/counselling/") for _ in range(max(20, requests // 10))]
        _summary(f"caseload page ({clients} clients)", samples)


if __name__ == "__main__":
    main()
