"""Choices of the training module."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """What a curriculum prepares for; other modules key on it (the mentoring module's training gate asks
    for ``mentor_path``; monitoring counts officials trained in ``intercultural``)."""

    INTERCULTURAL = "intercultural", _("Intercultural competence for social services")
    MENTOR_PATH = "mentor_path", _("Mentor and peer-mentor path")
    PLAIN_LANGUAGE = "plain_language", _("Plain language for workplace instructors")
    MIGRANT_WORKSHOP = "migrant_workshop", _("Workshop for migrants")
    OTHER = "other", _("Other")


class CurriculumStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class AssessmentKind(models.TextChoices):
    QUIZ = "quiz", _("Quiz")
    PRACTICAL = "practical", _("Practical task")
    OBSERVATION = "observation", _("Observed practice")
    REFLECTION = "reflection", _("Written reflection")


class MaterialKind(models.TextChoices):
    LINK = "link", _("Link")
    FILE = "file", _("File")


class CourseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for enrolment")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("On the waiting list")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Did not complete")


ACTIVE_ENROLMENT = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)

# Built-in attendance statuses; an organisation may add its own (AttendanceStatus rows).
BUILTIN_ATTENDANCE = {
    "present": (_("Present"), True, False),
    "late": (_("Late"), True, False),
    "excused": (_("Excused absence"), False, True),
    "absent": (_("Absent"), False, False),
}
