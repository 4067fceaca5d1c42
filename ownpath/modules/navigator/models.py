"""Legal review of the rules: who reviewed which version of a rule, when."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from ownpath.core.models import User


class RuleReview(models.Model):
    rule_id = models.CharField(max_length=80, db_index=True)
    content_hash = models.CharField(max_length=64)  # the rule as reviewed; a different hash means it changed
    reviewer = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.rule_id} reviewed {self.reviewed_at:%Y-%m-%d}"
