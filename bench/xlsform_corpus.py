"""XLSForm as pyxform reads it (issue 25): every workbook of pyxform's own test suite (tests/data/pyxform, 57
files of XLSForm/pyxform, BSD licence) read by pyxform and by ownpath. Prints per form the outcome (imported
and answered and round-tripped / refused with the cell and the reason / a defect) and the share of the forms
pyxform accepts that ownpath imports and answers.

    .venv/bin/python bench/xlsform_corpus.py            # add -v for every refusal's reasons
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true")
    arguments = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_xlsform.sqlite3'}")
    setup_django()
    from django.utils import translation

    from tests import xlsform_corpus

    translation.activate("en")
    started = time.perf_counter()
    outcomes = xlsform_corpus.run()
    seconds = time.perf_counter() - started
    for outcome in outcomes:
        print(f"{outcome.status:20} {outcome.name}")
        if outcome.details and (arguments.verbose or outcome.status in xlsform_corpus.DEFECTS):
            for detail in outcome.details[:6]:
                print(f"{'':22}{detail[:220]}")
    counts = Counter(o.status for o in outcomes)
    valid = len(outcomes) - counts[xlsform_corpus.PYXFORM_REFUSES]
    print()
    print(f"machine: {machine()} (shared)")
    print(f"forms: {len(outcomes)}; pyxform accepts {valid}, refuses {counts[xlsform_corpus.PYXFORM_REFUSES]}")
    for status in (xlsform_corpus.IMPORTED, xlsform_corpus.REFUSED, *xlsform_corpus.DEFECTS):
        print(f"  {status:20} {counts[status]:3}")
    print(f"imported, answered and round-tripped: {counts[xlsform_corpus.IMPORTED]}/{valid} = "
          f"{100 * counts[xlsform_corpus.IMPORTED] / max(valid, 1):.0f} % of the forms pyxform accepts "
          f"({seconds:.1f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
