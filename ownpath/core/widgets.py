"""Context builders for what core contributes to the dashboard, the person page and the search box."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ownpath.core import selectors
from ownpath.core.choices import ALL_SCOPES, Channel, ConsentPurpose, DataScope, SensitiveGroup
from ownpath.core.models import Consent, Person, User
from ownpath.core.registry import SearchResult
from ownpath.core.services import audit


def caseload(request: HttpRequest) -> Mapping[str, Any]:
    people = selectors.people_for(request.user).filter(assigned_counsellor_id=request.user.pk)
    shown = list(people.order_by("-last_activity_at")[:10])
    audit.record_list(request.user, shown, channel=Channel.UI, purpose="dashboard")
    return {"people": shown, "total": people.count()}


def expiring_titles(request: HttpRequest) -> Mapping[str, Any]:
    soon = timezone.localdate() + timedelta(days=60)
    people = selectors.people_for(request.user).filter(residence_expires__lte=soon).order_by("residence_expires")
    shown = list(people[:10])
    audit.record_list(request.user, shown, channel=Channel.UI, purpose="dashboard")
    return {"people": shown, "total": people.count(), "today": timezone.localdate()}


def notifications(request: HttpRequest) -> Mapping[str, Any]:
    return {"notifications": request.user.notifications.all()[:5]}  # type: ignore[union-attr]


def person_overview(request: HttpRequest, person: Person) -> Mapping[str, Any]:
    from ownpath.core import access

    scopes = access.scopes_for(request.user, person)
    return {
        "can_change": request.user.has_perm("core.change_person", person),
        "scopes": scopes,
        "limited": scopes != ALL_SCOPES,
    }


def person_background(request: HttpRequest, person: Person) -> Mapping[str, Any]:
    from ownpath.core import access
    from ownpath.core.forms import NeedForm, QualificationForm, WorkExperienceForm

    scopes = access.scopes_for(request.user, person)
    needs, hidden_needs = selectors.needs_for(request.user, person) if DataScope.NEEDS in scopes else ([], 0)
    can_change = request.user.has_perm("core.change_person", person)
    return {
        "scopes": scopes,
        "limited": scopes != ALL_SCOPES,
        "can_change": can_change,
        "forms": (
            [
                ("qualification", _("Add a qualification"), QualificationForm(prefix="qualification")),
                ("work", _("Add work experience"), WorkExperienceForm(prefix="work")),
                ("need", _("Add a need"), NeedForm(prefix="need")),
            ]
            if can_change
            else []
        ),
        "languages": person.languages.all() if DataScope.LANGUAGES in scopes else [],
        "qualifications": person.qualifications.all() if DataScope.EDUCATION in scopes else [],
        "work_history": person.work_history.all() if DataScope.WORK in scopes else [],
        "needs": needs,
        "hidden_needs": hidden_needs,
    }


def person_notes(request: HttpRequest, person: Person) -> Mapping[str, Any]:
    from ownpath.core import access
    from ownpath.core.forms import NoteForm

    writable = [g for g in SensitiveGroup if access.can_read_group(request.user, person, g)]
    return {"notes": selectors.notes_for(request.user, person), "note_form": NoteForm(groups=writable)}


def person_consent(request: HttpRequest, person: Person) -> Mapping[str, Any]:
    from ownpath.core.forms import ConsentForm

    can_manage = request.user.has_perm("core.manage_consent", person)
    return {
        "consents": Consent.objects.filter(person=person).prefetch_related("recipients"),
        "shares": person.shares.select_related("organisation", "consent"),
        "can_manage": can_manage,
        "consent_form": ConsentForm(person=person) if can_manage else None,
        "purposes": dict(ConsentPurpose.choices),
        "scopes": dict(DataScope.choices),
    }


def person_data_rights(request: HttpRequest, person: Person) -> Mapping[str, Any]:
    return {"can_erase": request.user.has_perm("core.erase_person", person)}


def search_people_provider(user: User, query: str, limit: int) -> list[SearchResult]:
    from django.utils.translation import gettext as _

    people = list(selectors.search_people(user, query=query)[:limit])
    audit.record_list(user, people, channel=Channel.UI, purpose="search")
    return [
        SearchResult(p.display_name, reverse("core:person", args=[p.pk]), _("Person"), p.organisation.name)
        for p in people
    ]
