"""Reads of the employers module."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ownpath.core.choices import OrganisationKind
from ownpath.core.esco.search import preferred_labels
from ownpath.core.models import Organisation
from ownpath.modules.employers import services
from ownpath.modules.employers.choices import VacancyStatus
from ownpath.modules.employers.models import FollowUp, RecruitmentEvent, Vacancy


def employers_for(user: Any) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(kind=OrganisationKind.EMPLOYER).select_related("employer_profile")
    if services.is_network_staff(user):
        return qs.order_by("name")
    return qs.filter(pk__in=services.employers_of(user)).order_by("name")


def open_vacancies() -> QuerySet[Vacancy]:
    return Vacancy.objects.filter(
        status=VacancyStatus.PUBLISHED, valid_through__gte=timezone.localdate()
    ).select_related("employer", "location", "occupation")


def search_jobs(q: str = "", city: str = "") -> QuerySet[Vacancy]:
    qs = open_vacancies()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(employer__name__icontains=q) | Q(description__icontains=q))
    if city:
        qs = qs.filter(location__city__icontains=city)
    return qs.order_by("-date_posted")


def skill_rows(vacancy: Vacancy, language: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    skills = list(vacancy.skills.select_related("skill"))
    labels = preferred_labels([s.skill_id for s in skills], language)
    essential = sorted((labels.get(s.skill_id, s.skill.uri), s.skill.uri) for s in skills if s.essential)
    optional = sorted((labels.get(s.skill_id, s.skill.uri), s.skill.uri) for s in skills if not s.essential)
    return essential, optional


def upcoming_events() -> QuerySet[RecruitmentEvent]:
    return (
        RecruitmentEvent.objects.filter(ends_at__gte=timezone.now())
        .annotate(n_employers=Count("employers", distinct=True), n_registrations=Count("registrations", distinct=True))
        .order_by("starts_at")
    )


def follow_ups_due(user: Any) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(done_on__isnull=True, due_on__lte=timezone.localdate())
        .filter(hire__person__in=_visible(user))
        .select_related("hire__person", "hire__employer")
    )


def _visible(user: Any) -> Any:
    from ownpath.core import access
    from ownpath.core.models import Person

    return Person.objects.filter(access.people_visible_to(user)).values("pk")
