"""What the employers module offers other modules (``registry.capability("employers.vacancies")``): vacancies
as plain data for matching, the open interview slots of an employer, and inviting a person to one of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from ownpath.modules.employers import services
from ownpath.modules.employers.choices import SlotStatus, VacancyStatus
from ownpath.modules.employers.models import InterviewSlot, Vacancy, VacancyLanguage, VacancySkill


def _as_data(v: Vacancy) -> dict[str, Any]:
    loc = v.location
    return {
        "id": v.pk,
        "employer_id": v.employer_id,
        "employer": v.employer.name,
        "title": v.title,
        "language": v.language,
        "occupation_id": v.occupation_id,
        "essential": [s.skill_id for s in v.skills.all() if s.essential],
        "optional": [s.skill_id for s in v.skills.all() if not s.essential],
        "languages": [(lang.language, lang.level, lang.required) for lang in v.languages.all()],
        "city": loc.city,
        "country": loc.country,
        "latitude": loc.latitude,
        "longitude": loc.longitude,
        "hours": v.hours,
        "contract_type": v.contract_type,
        "starts_on": v.starts_on,
        "duration_months": v.duration_months,
        "valid_through": v.valid_through,
        "handles_work_permit": v.handles_work_permit,
        "status": v.status,
        "open": v.status == VacancyStatus.PUBLISHED and v.valid_through >= timezone.localdate(),
    }


class Vacancies:
    """Read-only access to vacancies; employer-side writes stay in this module."""

    def get(self, vacancy_id: int) -> dict[str, Any] | None:
        found = self.many([vacancy_id])
        return found[0] if found else None

    def many(self, ids: Iterable[int]) -> list[dict[str, Any]]:
        rows = (
            Vacancy.objects.filter(pk__in=list(ids))
            .select_related("location", "employer")
            .prefetch_related("skills", "languages")
        )
        return [_as_data(v) for v in rows]

    def open_ids(self) -> list[int]:
        return list(
            Vacancy.objects.filter(status=VacancyStatus.PUBLISHED, valid_through__gte=timezone.localdate()).values_list(
                "pk", flat=True
            )
        )

    def columns(self, ids: Iterable[int] | None = None) -> dict[str, list[tuple[Any, ...]]]:
        """Vacancies as rows for a matcher's index, in three queries: every open vacancy (or the given ones,
        whatever their status): ``vacancies`` (id, occupation, latitude, longitude, hours, start, valid
        through, published), ``skills`` (vacancy, skill, essential) and ``languages`` (vacancy, language,
        level, required)."""
        if ids is None:
            chosen = Vacancy.objects.filter(status=VacancyStatus.PUBLISHED, valid_through__gte=timezone.localdate())
        else:
            chosen = Vacancy.objects.filter(pk__in=list(ids))
        rows = list(chosen.values_list("pk", "occupation_id", "location__latitude", "location__longitude", "hours",
                                       "starts_on", "valid_through", "status"))  # fmt: skip
        wanted = [r[0] for r in rows]
        if ids is None:
            skills = VacancySkill.objects.filter(vacancy__in=chosen)
            languages = VacancyLanguage.objects.filter(vacancy__in=chosen)
        else:
            skills = VacancySkill.objects.filter(vacancy_id__in=wanted)
            languages = VacancyLanguage.objects.filter(vacancy_id__in=wanted)
        return {
            "vacancies": [(*r[:7], r[7] == VacancyStatus.PUBLISHED) for r in rows],
            "skills": list(skills.values_list("vacancy_id", "skill_id", "essential")),
            "languages": list(languages.values_list("vacancy_id", "language", "level", "required")),
        }

    def manageable_by(self, user: Any) -> list[int]:
        """Vacancies the user may work on: every vacancy for network staff, their own for employer contacts."""
        if services.is_network_staff(user):
            return list(Vacancy.objects.values_list("pk", flat=True))
        return list(Vacancy.objects.filter(employer_id__in=services.employers_of(user)).values_list("pk", flat=True))

    def open_slots(self, employer_id: int) -> list[dict[str, Any]]:
        slots = (
            InterviewSlot.objects.filter(employer_id=employer_id, status=SlotStatus.OPEN, starts_at__gt=timezone.now())
            .select_related("event")
            .order_by("starts_at")[:200]
        )
        return [{"id": s.pk, "starts_at": s.starts_at, "minutes": s.minutes, "event": s.event.title,
                 "place": s.event.place} for s in slots]  # fmt: skip

    def invite(self, actor: Any, slot_id: int, person_id: int) -> dict[str, Any]:
        slot = services.invite_to_slot(actor, slot_id, person_id)
        return {"id": slot.pk, "starts_at": slot.starts_at, "event": slot.event.title, "place": slot.event.place}


vacancies = Vacancies()
