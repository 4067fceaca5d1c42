"""Reads of the training module."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from ownpath.core.models import Translation, TranslationStatus
from ownpath.core.registry import BusyTime
from ownpath.core.services import translations
from ownpath.modules.training.choices import ACTIVE_ENROLMENT, CurriculumStatus, EnrolmentStatus
from ownpath.modules.training.models import (
    TEXTS_MODULE,
    Assessment,
    Course,
    CourseSession,
    Curriculum,
    CurriculumModule,
    Enrolment,
    Lesson,
)


def _titles(entity: str, ids: list[Any], language: str) -> dict[Any, str]:
    rows: dict[Any, list[Translation]] = {}
    for row in Translation.objects.of(TEXTS_MODULE, entity).filter(entity_id__in=ids, field="title"):
        rows.setdefault(row.entity_id, []).append(row)
    return {pk: translations.resolve(found, language).get("title", ("", ""))[0] for pk, found in rows.items()}


def curriculum_titles(curricula: list[Curriculum], language: str) -> dict[Any, str]:
    return _titles("curriculum", [c.pk for c in curricula], language)


def curricula(language: str) -> list[tuple[Curriculum, str, int]]:
    """Every curriculum version, with its title in ``language`` and how many texts still lack a
    translation into it."""
    found = list(Curriculum.objects.select_related("organisation").order_by("key", "-version"))
    titles = curriculum_titles(found, language)
    return [(c, titles.get(c.pk, c.key), missing_texts(c, language)) for c in found]


def published_curricula() -> QuerySet[Curriculum]:
    return Curriculum.objects.filter(status=CurriculumStatus.PUBLISHED).order_by("key", "-version")


def _entity_ids(curriculum: Curriculum) -> dict[str, list[Any]]:
    modules = list(CurriculumModule.objects.filter(curriculum=curriculum).values_list("pk", flat=True))
    return {
        "curriculum": [curriculum.pk],
        "module": modules,
        "lesson": list(Lesson.objects.filter(module_id__in=modules).values_list("pk", flat=True)),
        "assessment": list(Assessment.objects.filter(curriculum=curriculum).values_list("pk", flat=True)),
    }


def holds_text(curriculum: Curriculum, entity: str, entity_id: Any, field: str) -> bool:
    """Whether the curriculum (or one of its parts) has a text ``field`` on ``entity`` ``entity_id``."""
    ids = {str(pk) for pk in _entity_ids(curriculum).get(entity, [])}
    return str(entity_id) in ids and (
        Translation.objects.of(TEXTS_MODULE, entity, entity_id)
        .filter(field=field, status=TranslationStatus.ORIGINAL)
        .exists()
    )


def missing_texts(curriculum: Curriculum, language: str) -> int:
    if language == curriculum.source_language:
        return 0
    ids = [pk for values in _entity_ids(curriculum).values() for pk in values]
    originals = Translation.objects.filter(
        module=TEXTS_MODULE, entity_id__in=ids, status=TranslationStatus.ORIGINAL
    ).exclude(text="")
    done = Translation.objects.filter(
        module=TEXTS_MODULE,
        entity_id__in=ids,
        language=language,
        status__in=[TranslationStatus.HUMAN, TranslationStatus.MACHINE],
    ).exclude(text="")
    return max(0, originals.count() - done.count())


@dataclass
class Text:
    entity: str
    entity_id: Any
    field: str
    text: str
    status: str  # the status of the text shown (original, human, machine, outdated, original_fallback)


@dataclass
class LessonView:
    lesson: Lesson
    texts: dict[str, Text]
    materials: list[Any]


@dataclass
class ModuleView:
    module: CurriculumModule
    texts: dict[str, Text]
    lessons: list[LessonView] = field(default_factory=list)


@dataclass
class CurriculumView:
    curriculum: Curriculum
    texts: dict[str, Text]
    modules: list[ModuleView]
    assessments: list[tuple[Assessment, dict[str, Text]]]
    minutes: int


def curriculum_view(curriculum: Curriculum, language: str) -> CurriculumView:
    """The whole curriculum in ``language`` (falling back to the original, and saying so per text)."""
    ids = _entity_ids(curriculum)
    rows: dict[Any, list[Translation]] = {}
    all_ids = [pk for values in ids.values() for pk in values]
    for row in Translation.objects.filter(module=TEXTS_MODULE, entity_id__in=all_ids):
        rows.setdefault(row.entity_id, []).append(row)

    def texts(entity: str, pk: Any) -> dict[str, Text]:
        resolved = translations.resolve(rows.get(pk, []), language)
        return {name: Text(entity, pk, name, text, status) for name, (text, status) in resolved.items()}

    modules = []
    minutes = 0
    lessons_by_module: dict[Any, list[Lesson]] = {}
    for lesson in Lesson.objects.filter(module__curriculum=curriculum).prefetch_related("materials").order_by("order"):
        lessons_by_module.setdefault(lesson.module_id, []).append(lesson)
    for module in CurriculumModule.objects.filter(curriculum=curriculum).order_by("order"):
        view = ModuleView(module, texts("module", module.pk))
        for lesson in lessons_by_module.get(module.pk, []):
            minutes += lesson.minutes
            view.lessons.append(LessonView(lesson, texts("lesson", lesson.pk), list(lesson.materials.all())))
        modules.append(view)
    assessments = [(a, texts("assessment", a.pk)) for a in Assessment.objects.filter(curriculum=curriculum)]
    return CurriculumView(curriculum, texts("curriculum", curriculum.pk), modules, assessments, minutes)


def courses(*, upcoming_only: bool = False) -> QuerySet[Course]:
    found = Course.objects.select_related("organisation", "curriculum").annotate(
        taken=Count("enrolments", filter=Q(enrolments__status__in=ACTIVE_ENROLMENT)),
        waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
    )
    if upcoming_only:
        from django.utils import timezone

        found = found.filter(ends_on__gte=timezone.localdate())
    return found.order_by("starts_on")


def enrolments_of(course: Course) -> list[Enrolment]:
    return list(course.enrolments.select_related("organisation", "certificate").order_by("created_at"))


def busy_times(user_ids: Collection[int], start: datetime, end: datetime) -> list[BusyTime]:
    """Classes taught by ``user_ids`` overlapping [start, end): busy time in the trainer's calendar."""
    from django.urls import reverse

    rows = CourseSession.objects.filter(
        trainer_id__in=list(user_ids), starts_at__lt=end, ends_at__gt=start
    ).values_list("pk", "trainer_id", "starts_at", "ends_at", "course_id", "course__title")
    return [
        BusyTime(
            user_id=trainer_id,
            start=starts_at,
            end=ends_at,
            title=title,
            kind="training",
            url=reverse("training:course", args=[course_id]),
            uid=f"training-session-{pk}",
        )
        for pk, trainer_id, starts_at, ends_at, course_id, title in rows
    ]
