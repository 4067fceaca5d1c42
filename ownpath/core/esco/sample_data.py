"""The ESCO sample shipped with ownpath (ownpath/core/esco/sample/), loaded by the demo when no ESCO data is
present. A deployment loads the complete official files instead (``manage.py esco load DIR``)."""

from __future__ import annotations

from pathlib import Path

from ownpath.core.esco.models import EscoConcept

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"


def ensure_sample() -> bool:
    """Load the sample unless occupations are already loaded; True when it loaded."""
    if EscoConcept.objects.filter(kind="occupation").exists():
        return False
    from ownpath.core.esco.loader import load

    load(SAMPLE_DIR, version="1.1.1")
    return True
