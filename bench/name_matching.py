"""Benchmark: name matching across scripts (issue 21, point 5) on the table of real-world name pairs.

Reads ``tests/data/names/name_pairs.tsv`` (the same person written in two scripts or spellings, and
different people of the same community), and reports, for the matcher of this tree and for the one on
``main`` before this change (when git can show it):

- recall: the share of same-person pairs scored at or above the duplicate threshold, both directions;
- precision on the community pairs: the share of different-people pairs kept below the threshold;
- the time to score one pair (median of five runs over the table).

    .venv/bin/python bench/name_matching.py            # this tree, and main's matcher as the baseline
    .venv/bin/python bench/name_matching.py --no-baseline

Names are scored without birth dates (the hardest case: the birth date is what usually separates
namesakes). No database is needed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import types
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, setup_django  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "names" / "name_pairs.tsv"


def load_pairs() -> list[tuple[str, str, bool, str]]:
    rows = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        a, b, same, group, _source = line.split("\t")
        rows.append((a, b, same == "same", group))
    return rows


def current_scorer() -> Any:
    from ownpath.core.names import NameQuery, name_token_keys, similarity

    return lambda a, b: similarity(NameQuery.of(a), name_token_keys(b), None)


def baseline_scorer(ref: str) -> Any | None:
    """The matcher as it is on ``ref`` (flat keys, no table), loaded from git without checking it out."""
    try:
        source = subprocess.run(  # noqa: S603 - git with our own arguments
            ["git", "-C", str(ROOT), "show", f"{ref}:ownpath/core/names.py"],  # noqa: S607
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("baseline_names")
    sys.modules["baseline_names"] = module
    exec(compile(source, "baseline_names.py", "exec"), module.__dict__)  # noqa: S102 - our own file at a git ref
    return lambda a, b: module.similarity(module.NameQuery.of(a), module.name_keys(b), None)


def measure(score: Any, pairs: list[tuple[str, str, bool, str]], threshold: float) -> dict[str, Any]:
    by_group: dict[str, list[bool]] = defaultdict(list)
    missed = []
    for a, b, same, group in pairs:
        hit = score(a, b) >= threshold and score(b, a) >= threshold
        by_group[group].append(hit if same else not hit)
        if hit != same:
            missed.append((a, b, "missed" if same else "false match"))
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        for a, b, _same, _group in pairs:
            score(a, b)
        timings.append((time.perf_counter() - start) / len(pairs) * 1e6)
    same_rows = [h for g, hits in by_group.items() if g != "same-community" for h in hits]
    return {
        "recall": sum(same_rows) / len(same_rows),
        "precision": statistics.mean(by_group["same-community"]) if by_group["same-community"] else float("nan"),
        "groups": {g: (sum(h), len(h)) for g, h in sorted(by_group.items())},
        "missed": missed,
        "us_per_pair": statistics.median(timings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="main", help="git ref of the matcher to compare with")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    setup_django()
    from ownpath.core.services.people import DUPLICATE_THRESHOLD

    pairs = load_pairs()
    same = sum(1 for p in pairs if p[2])
    print(f"machine: {machine()}")
    print(f"pairs: {len(pairs)} ({same} same person, {len(pairs) - same} different people of one community)")
    print(f"threshold: {DUPLICATE_THRESHOLD} (names only, no birth dates; both directions must match)")
    scorers = [("this tree", current_scorer())]
    if not args.no_baseline:
        old = baseline_scorer(args.baseline)
        if old is not None:
            scorers.append((f"baseline ({args.baseline})", old))
    for label, score in scorers:
        result = measure(score, pairs, DUPLICATE_THRESHOLD)
        print(f"\n{label}: recall {result['recall']:.1%}, precision on community pairs {result['precision']:.1%},"
              f" {result['us_per_pair']:.0f} µs per pair (median of 5)")  # fmt: skip
        for group, (hits, total) in result["groups"].items():
            print(f"  {group:15} {hits:4}/{total:<4} {'kept apart' if group == 'same-community' else 'found'}")
        if label == "this tree":
            for a, b, what in result["missed"]:
                print(f"  {what}: {a} | {b}")


if __name__ == "__main__":
    main()
