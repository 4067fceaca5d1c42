"""Counselling's section of a person's own space: the steps of their path that are open, and their sessions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from ownpath.core.choices import Channel
from ownpath.core.models import Person
from ownpath.core.services import audit
from ownpath.modules.counselling.choices import OPEN_STEP_STATUSES
from ownpath.modules.counselling.models import Session, Step


def path_section(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    steps = list(
        Step.objects.filter(person=person, status__in=OPEN_STEP_STATUSES)
        .select_related("responsible_organisation")
        .order_by("planned_start", "pk")[:10]
    )
    sessions = list(Session.objects.filter(person=person, starts_at__gte=timezone.now()).order_by("starts_at")[:5])
    if not steps and not sessions:
        return {"steps": [], "sessions": []}
    audit.record_read(request.user, person, channel=Channel.UI, fields=["path", "sessions"], purpose="own_access")
    return {"steps": steps, "sessions": sessions}
