"""Choices of the matching module."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Evidence(models.TextChoices):
    EXPERIENCE = "experience", _("Work experience")
    TRAINING = "training", _("Training")
    CERTIFICATE = "certificate", _("Certificate")
    SELF = "self", _("Self-declared")


EVIDENCE_WEIGHT = {"certificate": 1.0, "experience": 1.0, "training": 0.9, "self": 0.75}


class Method(models.TextChoices):
    PICKED = "picked", _("Chosen from ESCO")
    EXACT = "exact", _("Exact label")
    FUZZY = "fuzzy", _("Close spelling")
    EMBEDDING = "embedding", _("Similar meaning (embeddings)")


class HoursWanted(models.TextChoices):
    ANY = "any", _("Full or part time")
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")


class ProposalStatus(models.TextChoices):
    SHORTLISTED = "shortlisted", _("Shortlisted")
    PROPOSED = "proposed", _("Proposed to the employer")
    INVITED = "invited", _("Invited to an interview")
    DECLINED = "declined", _("Declined by the employer")
    WITHDRAWN = "withdrawn", _("Withdrawn")
