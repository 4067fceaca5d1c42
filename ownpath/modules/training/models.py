"""Curricula (versioned, translatable through core), course runs, enrolment, attendance, results, certificates.

Translatable texts live in ``core.Translation`` under module ``training``: a curriculum's title, summary and
audience; a module's title and description; a lesson's title, objectives, methods and steps; an
assessment's title and instructions. The rows here hold structure, numbers and dates.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ownpath.core.models import Organisation, Person
from ownpath.modules.training.choices import (
    AssessmentKind,
    CourseStatus,
    CurriculumStatus,
    EnrolmentStatus,
    MaterialKind,
    Purpose,
)

TEXTS_MODULE = "training"


class Curriculum(models.Model):
    """One version of a curriculum. ``key`` stays the same across versions; a new version is a copy that
    can be edited while courses keep the version they were planned with."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.SlugField(_("key"), max_length=80)
    version = models.PositiveIntegerField(_("version"), default=1)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="curricula",
        help_text=_("Empty for the network's shared curricula."),
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices, default=Purpose.OTHER)
    status = models.CharField(
        _("status"), max_length=16, choices=CurriculumStatus.choices, default=CurriculumStatus.DRAFT
    )
    source_language = models.CharField(_("written in"), max_length=12, default="en")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_versions")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        ordering = ["key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="training_curriculum_version")]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class CurriculumModule(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    curriculum = models.ForeignKey(Curriculum, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["curriculum", "order"]

    def __str__(self) -> str:
        return f"{self.curriculum} module {self.order}"


class Lesson(models.Model):
    """A lesson scenario: its texts (objectives, methods, steps) are translatable; minutes and materials."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    module = models.ForeignKey(CurriculumModule, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveIntegerField(_("order"), default=1)
    minutes = models.PositiveIntegerField(_("duration (minutes)"), default=90)

    class Meta:
        ordering = ["module", "order"]

    def __str__(self) -> str:
        return f"lesson {self.module.order}.{self.order}"


class Material(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=8, choices=MaterialKind.choices, default=MaterialKind.LINK)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="training/materials/%Y/", blank=True)
    language = models.CharField(_("language"), max_length=12, default="en")

    class Meta:
        ordering = ["lesson", "pk"]

    def __str__(self) -> str:
        return self.title


class Assessment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    curriculum = models.ForeignKey(Curriculum, on_delete=models.CASCADE, related_name="assessments")
    module = models.ForeignKey(
        CurriculumModule, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AssessmentKind.choices, default=AssessmentKind.QUIZ)
    max_score = models.PositiveIntegerField(_("maximum score"), default=100)
    pass_score = models.PositiveIntegerField(_("pass mark"), default=60)
    order = models.PositiveIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["curriculum", "order"]

    def __str__(self) -> str:
        return f"{self.curriculum} assessment {self.order}"


class Course(models.Model):
    """A run of one version of a curriculum by a provider, with sessions, enrolment and completion rules."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    curriculum = models.ForeignKey(Curriculum, on_delete=models.PROTECT, related_name="courses")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language of teaching"), max_length=12, default="pl")
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    capacity = models.PositiveIntegerField(_("places"), default=16)
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=CourseStatus.choices, default=CourseStatus.OPEN)
    min_attendance = models.PositiveIntegerField(
        _("attendance needed (%)"), default=80, help_text=_("Share of sessions attended, excused absences aside.")
    )
    require_assessments = models.BooleanField(_("every assessment must be passed"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="training_course_dates"),
            models.CheckConstraint(condition=Q(min_attendance__lte=100), name="training_course_attendance"),
        ]

    def __str__(self) -> str:
        return self.title


class CourseSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    module = models.ForeignKey(
        CurriculumModule, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_sessions",
    )

    class Meta:
        ordering = ["course", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="training_session_times")
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d %H:%M}"


class AttendanceStatus(models.Model):
    """Configurable: the built-in present / late / excused / absent, and an organisation's own."""

    code = models.SlugField(_("code"), max_length=32, primary_key=True)
    label = models.CharField(_("label"), max_length=80)
    counts_as_present = models.BooleanField(_("counts as attended"), default=False)
    excused = models.BooleanField(_("excused (not counted against)"), default=False)
    order = models.PositiveIntegerField(default=10)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        from ownpath.modules.training.choices import BUILTIN_ATTENDANCE

        builtin = BUILTIN_ATTENDANCE.get(self.code)
        return str(builtin[0]) if builtin else self.label


class Enrolment(models.Model):
    """A trainee on a course: staff or volunteers of any network organisation (with or without an
    account), or a migrant (a person record) in a workshop."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="enrolments")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("trainee's organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainees",
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    language = models.CharField(_("language for the certificate"), max_length=12, default="en")
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "email"],
                condition=~Q(status=EnrolmentStatus.WITHDRAWN),
                name="training_one_enrolment_per_course",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="attendance")
    status = models.ForeignKey(AttendanceStatus, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "session"], name="training_attendance_once")]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.session} {self.status_id}"


class AssessmentResult(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="results")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="results")
    score = models.PositiveIntegerField(_("score"))
    passed = models.BooleanField(_("passed"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "assessment"], name="training_result_once")]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.score}"


class Certificate(models.Model):
    """Issued for a completed enrolment. What it certifies is copied at issue, so that the public
    verification page shows what was printed even if the course is later renamed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    holder = models.CharField(_("holder"), max_length=200)
    curriculum_title = models.CharField(max_length=300)
    course_title = models.CharField(max_length=200)
    issuer = models.CharField(max_length=200)
    hours = models.DecimalField(max_digits=6, decimal_places=1)
    starts_on = models.DateField()
    ends_on = models.DateField()
    language = models.CharField(max_length=12, default="en")
    badge_salt = models.CharField(max_length=32)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.code
