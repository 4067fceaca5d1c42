"""Benchmark of the helpline (issue 7): knowledge-base suggestions over 20,000 articles in 10 languages, and
web-chat message round trips with 200 concurrent chats.

    DATABASE_URL=postgres://ownpath:ownpath@localhost/ownpath_helpline .venv/bin/python bench/helpline.py
    DATABASE_URL=sqlite:///var/bench-helpline.sqlite3 .venv/bin/python bench/helpline.py

Knowledge base: it builds (once) 20,000 published articles, each written in one of 10 languages and
translated into two more (60,000 texts; synthetic words in each language's script, a Zipf-like vocabulary),
indexed by the module's own ``index_article`` logic (title, keywords, body, topics). Then it times
``selectors.suggest`` - what the operator's form calls while they type - for random prefixes of two or
three words plus a topic, in a random language, and reports the median and p95.

Web chat: it serves the site in this process (a threaded WSGI server, as a deployment's threaded workers
would) and runs 200 chats at once through the public API: each chat has a listener holding a long poll
(GET /api/v1/helpline/chats/<token>/messages?wait=) and a writer posting a message about once a second.
A round trip is from the moment a message is posted until the other side's long poll returns it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, setup_django  # noqa: E402

LANGUAGES = ["en", "pl", "uk", "ru", "ar", "ti", "prs", "so", "tr", "ka"]
ALPHABETS = {
    "en": "abcdefghiklmnoprstuvw",
    "pl": "aąbcćdeęfghijklłmnńoóprsśtuwyzźż",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщыэюя",
    "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "ti": "ሀለሐመሰረሸቀበተነአከወዘየደገጠጰጸፈፐ",
    "prs": "ابپتجچحخدرزژسشعغفقکگلمنوهی",
    "so": "abcdefghijklmnoqrstuwxy",
    "tr": "abcçdefgğhıijklmnoöprsştuüvyz",
    "ka": "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
}


def vocabulary(language: str, rng: random.Random, size: int = 4000) -> list[str]:
    letters = ALPHABETS[language]
    return list(dict.fromkeys("".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(size)))


def build(articles: int, rng: random.Random) -> None:
    from django.db import transaction

    from ownpath.core.models import Organisation, Translation
    from ownpath.modules.helpline.models import Article, ArticleTerm, Topic
    from ownpath.modules.helpline.services import term_weights

    if Article.objects.filter(keywords__startswith="bench ").count() >= articles:
        return
    started = time.perf_counter()
    org, _ = Organisation.objects.get_or_create(
        slug="bench-helpline", defaults={"name": "Bench helpline", "kind": "ngo"}
    )
    topics = list(Topic.objects.all())
    vocab = {lang: vocabulary(lang, rng) for lang in LANGUAGES}
    weights = [1 / (i + 1) for i in range(4000)]
    for start in range(0, articles, 1000):
        with transaction.atomic():
            batch, texts, terms, links = [], [], [], []
            for _ in range(min(1000, articles - start)):
                source = rng.choice(LANGUAGES)
                article = Article(
                    id=uuid.uuid4(),
                    organisation=org,
                    keywords="bench " + source,
                    source_language=source,
                    status="published",
                )
                batch.append(article)
                chosen = rng.sample(topics, 2)
                links += [Article.topics.through(article_id=article.id, topic_id=t.pk) for t in chosen]
                for index, language in enumerate([source, *rng.sample([x for x in LANGUAGES if x != source], 2)]):
                    words = vocab[language]
                    title = " ".join(rng.choices(words[:1000], k=6))
                    body = " ".join(rng.choices(words, weights[: len(words)], k=60))
                    status = "original" if index == 0 else "human"
                    texts += [
                        Translation(
                            module="helpline",
                            entity="article",
                            entity_id=article.id,
                            field="title",
                            language=language,
                            text=title,
                            status=status,
                        ),
                        Translation(
                            module="helpline",
                            entity="article",
                            entity_id=article.id,
                            field="body",
                            language=language,
                            text=body,
                            status=status,
                        ),
                    ]
                    # The module's own weighting; keywords left out, as they only mark the bench's rows.
                    scores = term_weights(title, body, "", [t.code for t in chosen])
                    terms += [
                        ArticleTerm(article_id=article.id, language=language, term=t, weight=w)
                        for t, w in scores.items()
                    ]
            Article.objects.bulk_create(batch)
            Article.topics.through.objects.bulk_create(links)
            Translation.objects.bulk_create(texts, batch_size=5000)
            ArticleTerm.objects.bulk_create(terms, batch_size=5000)
    print(
        f"built {articles} articles ({ArticleTerm.objects.count()} index rows) in {time.perf_counter() - started:.0f} s"
    )


def bench_suggest(runs: int, rng: random.Random) -> list[float]:
    from ownpath.modules.helpline import selectors
    from ownpath.modules.helpline.models import Topic

    vocab = {lang: vocabulary(lang, random.Random(7)) for lang in LANGUAGES}
    codes = list(Topic.objects.values_list("code", flat=True))
    timings = []
    for _ in range(runs):
        language = rng.choice(LANGUAGES)
        words = rng.sample(vocab[language][:1500], rng.choice([1, 2, 3]))
        typed = " ".join(words)[: rng.randint(3, 40)]
        started = time.perf_counter()
        selectors.suggest(language, typed, [rng.choice(codes)], fallback_language="en")
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(workers: int, threads: int) -> tuple[subprocess.Popen[bytes], int]:
    """The site as it is deployed: gunicorn with threaded workers (README, production deployment)."""
    port = free_port()
    env = os.environ.copy()
    if env["DATABASE_URL"].startswith("postgres"):
        env.setdefault("OWNPATH_DB_POOL_SIZE", "16")  # README: a pool for threaded workers
    server = subprocess.Popen(  # noqa: S603  (our own gunicorn, fixed arguments)
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "ownpath.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=gthread",
            f"--threads={threads}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def bench_chat(chats: int, seconds: float, workers: int, interval: float) -> tuple[list[float], int]:
    from ownpath.modules.helpline import selectors

    org = selectors.public_helplines().first()
    assert org is not None
    server, port = serve(workers, threads=chats + 20)
    problems: Counter[str] = Counter()

    def call(method: str, path: str, body: dict[str, Any] | None = None, timeout: float = 30) -> Any:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request(method, path, json.dumps(body) if body else None, {"Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
        conn.close()
        if response.status >= 400:
            raise RuntimeError(f"HTTP {response.status}")
        return json.loads(data) if data else None

    tokens = [
        call("POST", "/api/v1/helpline/chats", {"language": "uk", "organisation_id": org.pk})["token"]
        for _ in range(chats)
    ]
    sent: dict[str, float] = {}
    rtts: list[float] = []
    lock = threading.Lock()
    warm_up = 3.0  # listeners connect first; round trips are counted from then on
    stop = time.monotonic() + warm_up + seconds
    errors = 0

    def listener(token: str) -> None:
        nonlocal errors
        after = 0
        while time.monotonic() < stop + 2:
            try:
                data = call("GET", f"/api/v1/helpline/chats/{token}/messages?after={after}&wait=5")
            except Exception as error:
                errors += 1
                problems[f"{type(error).__name__}: {error}"[:80]] += 1
                continue
            now = time.perf_counter()
            for message in data["messages"]:
                after = max(after, message["id"])
                with lock:
                    if message["text"] in sent:
                        rtts.append((now - sent.pop(message["text"])) * 1000)

    def writer(token: str, index: int) -> None:
        nonlocal errors
        n = 0
        time.sleep(random.random() * interval)
        while time.monotonic() < stop:
            text = f"m{index}-{n}"
            with lock:
                sent[text] = time.perf_counter()
            try:
                call("POST", f"/api/v1/helpline/chats/{token}/messages", {"text": text})
            except Exception as error:
                errors += 1
                problems[f"{type(error).__name__}: {error}"[:80]] += 1
            n += 1
            time.sleep(interval)

    threads = [threading.Thread(target=listener, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    time.sleep(warm_up)
    writers = [threading.Thread(target=writer, args=(t, i)) for i, t in enumerate(tokens)]
    for thread in writers:
        thread.start()
    threads += writers
    for thread in threads:
        thread.join()
    server.terminate()
    server.wait(10)
    for problem, count in problems.most_common(5):
        print(f"  {count} x {problem}")
    return rtts, errors


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between a chat's messages")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--only", choices=["suggest", "chat"], help="run one of the two measurements")
    args = parser.parse_args()
    os.environ["OWNPATH_DEBUG"] = "false"
    os.environ["OWNPATH_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    setup_django("sqlite:///var/bench-helpline.sqlite3")
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from datetime import time as clock

    from ownpath.core.models import Organisation
    from ownpath.modules.helpline.models import OpeningHours

    print(f"machine: {machine()}")
    print(f"database: {connection.vendor}")
    rng = random.Random(2026)
    build(args.articles, rng)
    org = Organisation.objects.get(slug="bench-helpline")
    if not OpeningHours.objects.filter(organisation=org).exists():
        OpeningHours.objects.bulk_create(
            [OpeningHours(organisation=org, weekday=d, opens=clock(0), closes=clock(23, 59, 59)) for d in range(7)]
        )
    if args.only != "chat":
        bench_suggest(20, rng)  # warm up
        timings = bench_suggest(args.runs, rng)
        print(
            f"suggestions over {args.articles} articles in {len(LANGUAGES)} languages, {args.runs} runs: "
            f"median {statistics.median(timings):.1f} ms, p95 {p95(timings):.1f} ms (goal p95 <= 50 ms)"
        )
    if args.only == "suggest":
        return
    rtts, errors = bench_chat(args.chats, args.seconds, args.workers, args.interval)
    print(
        f"web chat, {args.chats} concurrent chats, a message every {args.interval:g} s each, "
        f"{args.workers} gunicorn workers, for {args.seconds:.0f} s: {len(rtts)} round trips, "
        f"median {statistics.median(rtts):.1f} ms, p95 {p95(rtts):.1f} ms (goal p95 <= 300 ms), errors {errors}"
    )


if __name__ == "__main__":
    main()
