"""Migrants' own accounts: one-time sign-in codes, and the claim that links an account to a record."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ownpath.core.models import Organisation, Person, User


class LoginCode(models.Model):
    """A six-digit code sent by e-mail or SMS; only its keyed hash is stored."""

    address = models.CharField(max_length=254, db_index=True)  # normalised e-mail or phone number
    channel = models.CharField(max_length=8)  # email | sms
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["address", "created_at"], name="login_code_recent")]

    def __str__(self) -> str:
        return f"code for {self.channel}"


class AccountClaim(models.Model):
    """ "This account is me": a person asks to see their record; a counsellor checks and links it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a counsellor")
        LINKED = "linked", _("Linked")
        REJECTED = "rejected", _("Not confirmed")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_claims")
    organisation = models.ForeignKey(Organisation, verbose_name=_("where you are a client"), on_delete=models.CASCADE)
    given_name = models.CharField(_("given name"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120)
    birth_date = models.DateField(_("birth date"))
    message = models.CharField(_("anything that helps your counsellor recognise you"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"claim {self.pk} ({self.status})"
