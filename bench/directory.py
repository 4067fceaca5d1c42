"""Benchmark: the service finder's search over 100,000 services (issue 4).

Builds in PostgreSQL N services (default 100,000) of 2,000 organisations at N locations spread over
Poland, each with one or two needs of ownpath's taxonomy, the languages its staff speak, a cost, weekly
opening hours and a searchable text in five languages (inserted with generate_series). Then times
``ownpath.modules.directory.selectors.search`` for the queries people type, and prints the median and
p95 of each, and the machine.

    su postgres -c "createdb -O ownpath ownpath_directory"
    DATABASE_URL=postgres://ownpath:ownpath@localhost/ownpath_directory .venv/bin/python bench/directory.py

It needs its own PostgreSQL database (building truncates the directory's tables).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench.common import setup_django  # noqa: E402

WORDS = {
    "en": ["language", "course", "legal", "advice", "work", "permit", "psychological", "help", "diploma", "childcare"],
    "pl": ["kurs", "języka", "porada", "prawna", "praca", "pobyt", "pomoc", "psychologiczna", "dyplom", "przedszkole"],
    "uk": [
        "курс",
        "мови",
        "юридична",
        "консультація",
        "робота",
        "дозвіл",
        "психологічна",
        "допомога",
        "диплом",
        "садок",
    ],
    "ru": [
        "курс",
        "языка",
        "юридическая",
        "консультация",
        "работа",
        "разрешение",
        "психологическая",
        "помощь",
        "диплом",
        "сад",
    ],
    "ar": ["دورة", "لغة", "استشارة", "قانونية", "عمل", "تصريح", "دعم", "نفسي", "شهادة", "حضانة"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=100, help="runs of each query")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database of its own, e.g. postgres://ownpath:ownpath@localhost/ownpath_directory"
        )
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ownpath.modules.directory.models import Service

    if Service.objects.count() != args.services:
        build(args.services)
    measure(args.runs)


def build(count: int) -> None:
    from django.db import connection, transaction

    from bench.common import insert_series
    from ownpath.modules.directory import models as m
    from ownpath.modules.directory import taxonomy

    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for table in (
                "directory_searchdocument",
                "directory_openinghours",
                "directory_service_terms",
                "directory_serviceatlocation",
                "directory_service",
                "directory_location",
                "directory_directoryorganization",
                "directory_taxonomyterm",
                "directory_taxonomy",
            ):
                cursor.execute(f"TRUNCATE {table} CASCADE")
            # Translations of services live in core's shared table since issue 12.
            cursor.execute("DELETE FROM core_translation WHERE module = 'directory'")
        taxonomy_record, terms = taxonomy.hsds_records()
        m.Taxonomy.objects.create(
            id=taxonomy_record["id"],
            name=taxonomy_record["name"],
            description=taxonomy_record["description"],
            data=taxonomy_record,
        )
        m.TaxonomyTerm.objects.bulk_create(
            m.TaxonomyTerm(
                id=t["id"],
                taxonomy_id=t["taxonomy_id"],
                code=t["code"],
                name=t["name"],
                description=t["description"],
                data=t,
            )
            for t in terms
        )
        term_ids = ",".join(f"'{t['id']}'::uuid" for t in terms)
        orgs = max(1, count // 50)
        insert_series(
            m.DirectoryOrganization,
            orgs,
            {
                "id": "md5('org' || g)::uuid",
                "name": "'Organisation ' || g",
                "description": "'Invented'",
                "data": "'{}'::jsonb",
            },
        )
        # Locations over Poland (49–54.8 N, 14.1–24.1 E), a few dense cities.
        insert_series(
            m.Location,
            count,
            {
                "id": "md5('loc' || g)::uuid",
                "organization_id": f"md5('org' || (1 + g % {orgs}))::uuid",
                "name": "'Office ' || g",
                "latitude": "CASE WHEN g % 5 = 0 THEN 54.35 + ((g * 7) % 1000) / 10000.0 ELSE 49.0 + ((g::bigint * 7919) % 58000) / 10000.0 END",
                "longitude": "CASE WHEN g % 5 = 0 THEN 18.60 + ((g * 13) % 1000) / 10000.0 ELSE 14.1 + ((g::bigint * 104729) % 100000) / 10000.0 END",
                "postal_code": "lpad((g % 99)::text, 2, '0') || '-' || lpad((g % 999)::text, 3, '0')",
                "data": "'{}'::jsonb",
            },
        )
        languages = '(ARRAY[\'["pl"]\', \'["pl","uk"]\', \'["pl","uk","ru"]\', \'["pl","en"]\', \'["ar","en","pl"]\'])'
        insert_series(
            m.Service,
            count,
            {
                "id": "md5('svc' || g)::uuid",
                "organization_id": f"md5('org' || (1 + g % {orgs}))::uuid",
                "name": "'Service ' || g",
                "description": "'An invented service'",
                "status": "CASE WHEN g % 20 = 0 THEN 'inactive' ELSE 'active' END",
                "language_codes": f"({languages})[1 + g % 5]::jsonb",
                "is_free": "g % 3 <> 0",
                "data": "'{}'::jsonb",
            },
        )
        insert_series(
            m.ServiceAtLocation,
            count,
            {
                "id": "md5('sal' || g)::uuid",
                "service_id": "md5('svc' || g)::uuid",
                "location_id": "md5('loc' || g)::uuid",
                "data": "'{}'::jsonb",
            },
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO directory_serviceplace (service_id, location_id, latitude, longitude) "
                "SELECT sal.service_id, sal.location_id, l.latitude, l.longitude FROM directory_serviceatlocation sal "
                "JOIN directory_location l ON l.id = sal.location_id JOIN directory_service s ON s.id = sal.service_id "
                "WHERE s.status = 'active' AND l.latitude IS NOT NULL"
            )
            cursor.execute(
                f"INSERT INTO directory_service_terms (service_id, taxonomyterm_id) "
                f"SELECT md5('svc' || g)::uuid, (ARRAY[{term_ids}])[1 + g % {len(terms)}] FROM generate_series(1, {count}) g "
                f"UNION SELECT md5('svc' || g)::uuid, (ARRAY[{term_ids}])[1 + (g / 7) % {len(terms)}] FROM generate_series(1, {count}, 3) g"
            )
        for day in range(5):
            insert_series(
                m.OpeningHours,
                count,
                {
                    "service_id": "md5('svc' || g)::uuid",
                    "weekday": str(day),
                    "opens": "make_time(7 + g % 4, 0, 0)",
                    "closes": "make_time(14 + g % 6, 0, 0)",
                },
            )
        for language, words in WORDS.items():
            vocabulary = "(ARRAY[" + ",".join(f"'{w}'" for w in words) + "])"
            insert_series(
                m.SearchDocument,
                count,
                {
                    "service_id": "md5('svc' || g)::uuid",
                    "language": f"'{language}'",
                    "text": f"{vocabulary}[1 + g % 10] || ' ' || {vocabulary}[1 + (g / 10) % 10] || ' ' || {vocabulary}[1 + (g / 100) % 10] || ' service ' || g",
                },
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"built {count} services in {time.perf_counter() - started:.0f} s", flush=True)


def measure(runs: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from ownpath.modules.directory import selectors, taxonomy
    from ownpath.modules.directory.models import Service

    Query = selectors.Query
    gdansk = (54.352, 18.646)
    tuesday_noon = timezone.make_aware(datetime(2026, 11, 24, 12, 0))
    queries: list[tuple[str, Any]] = [
        ("need: legal advice", Query(term_ids=[taxonomy.term_id("legal_advice")])),
        ("need + staff speak Ukrainian", Query(term_ids=[taxonomy.term_id("legal_advice")], speaks="uk")),
        ("text in Polish: 'porada prawna'", Query(text="porada prawna", language="pl")),
        ("text in Ukrainian: 'юридична'", Query(text="юридична", language="uk")),
        ("text in Arabic: 'استشارة'", Query(text="استشارة", language="ar")),
        ("within 5 km of a point", Query(near=gdansk, radius_km=5)),
        (
            "need + within 5 km + open + speaks uk",
            Query(
                term_ids=[taxonomy.term_id("legal_advice")],
                near=gdansk,
                radius_km=5,
                open_now=True,
                speaks="uk",
                at=tuesday_noon,
            ),
        ),
        (
            "need + free + open now",
            Query(term_ids=[taxonomy.term_id("language_courses")], free=True, open_now=True, at=tuesday_noon),
        ),
        ("postcode + 10 km", Query(postcode="35-035", radius_km=10)),
    ]
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"database: PostgreSQL {version}, services: {Service.objects.count()}")
    overall = []
    for label, query in queries:
        selectors.search(query)  # warm
        times, found = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            _hits, found = selectors.search(query, limit=20)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        overall.extend(times)
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"{label:42} median {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  found {found}")
    overall.sort()
    print(
        f"{'all queries':42} median {statistics.median(overall):6.1f} ms  p95 {overall[int(len(overall) * 0.95) - 1]:6.1f} ms"
    )


if __name__ == "__main__":
    main()
