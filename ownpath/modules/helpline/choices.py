"""Code lists of the helpline module."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WEB_CHAT = "web_chat", _("Web chat")
    EMAIL = "email", _("E-mail")
    MESSENGER = "messenger", _("Messenger")
    IN_PERSON = "in_person", _("In person")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Needs action within days")
    URGENT = "urgent", _("Urgent: today")


class Risk(models.TextChoices):
    NONE = "none", _("No risk seen")
    CONCERN = "concern", _("Concern")
    CRISIS = "crisis", _("Psychological crisis")
    DANGER = "danger", _("Danger to life or safety")


CRISIS_RISKS = frozenset({Risk.CRISIS, Risk.DANGER})


class Outcome(models.TextChoices):
    INFORMATION = "information", _("Information given")
    SERVICE = "service", _("Pointed to a service")
    HANDED_OVER = "handed_over", _("Handed over to a counselling centre")
    CALLBACK = "callback", _("Callback arranged")
    CRISIS_SUPPORT = "crisis_support", _("Crisis support given")
    INTERRUPTED = "interrupted", _("Interrupted")
    OTHER = "other", _("Other")


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("To call back")
    DONE = "done", _("Called back")
    UNREACHABLE = "unreachable", _("Could not reach")
    CANCELLED = "cancelled", _("Cancelled")


class ShiftRole(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    INTERPRETER = "interpreter", _("Interpreter")
    PSYCHOLOGIST = "psychologist", _("Psychologist on duty")
    SUPERVISOR = "supervisor", _("Supervisor")


class ChatStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for an operator")
    ACTIVE = "active", _("In progress")
    CLOSED = "closed", _("Closed")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# Levels at which an operator takes a call alone; below, an interpreter is asked to join.
WORKING_LEVELS = frozenset({"native", "C2", "C1", "B2"})

# The crisis checklist: each item is ticked by the operator; the supervisor is notified automatically.
CRISIS_CHECKLIST = {
    "safety": _("Asked whether the caller is safe right now and where they are"),
    "emergency": _("Gave the emergency number (112) and, if needed, called it"),
    "stay": _("Stayed on the line until the caller was calm or help arrived"),
    "psychologist": _("Warm hand-over to the psychologist on duty"),
    "plan": _("Agreed the next step and when we talk again"),
}

# The built-in topic taxonomy (editable: supervisors add, rename and retire topics). The second value is
# the need of the directory's taxonomy whose services are suggested for the topic.
BUILTIN_TOPICS = {
    "work_permit": (_("Work permit"), "legal_advice"),
    "residence": (_("Residence"), "legal_advice"),
    "unpaid_wages": (_("Unpaid wages or exploitation"), "legal_advice"),
    "contract": (_("Employment contract"), "legal_advice"),
    "discrimination": (_("Discrimination"), "legal_advice"),
    "housing": (_("Housing"), ""),
    "health": (_("Health"), "health"),
    "psychological_crisis": (_("Psychological crisis"), "psychological_help"),
    "language_courses": (_("Language courses"), "language_courses"),
    "recognition": (_("Recognition of qualifications"), "recognition"),
    "family": (_("Family"), ""),
    "other": (_("Other"), ""),
}
