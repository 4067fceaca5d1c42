"""GDPR completeness (issue 21 point 7): every model about a person is exported and erased.

The system check ``ownpath.E004`` finds every model that relates to a person (a foreign key to a person, to
another such model, or a ``person_id`` column) and fails when no personal-data provider covers it. The
erasure test fills one row of EVERY such model with the person's name, address and phone, erases the
person, and then reads every row of every model of every app (encrypted fields decrypted) for any trace.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from ownpath.core.checks import gdpr_coverage_errors, person_related_models
from ownpath.core.choices import Role
from ownpath.core.models import Organisation, Person, User
from ownpath.core.registry import PersonalDataProvider, registry
from ownpath.core.services import gdpr
from ownpath.core.services import people as people_service
from tests.conftest import World

GIVEN, FAMILY = "Quorvathine", "Zelbrandtowa"
EMAIL, PHONE = "quorvathine.zelbrandt@example.org", "+48600111222"
BIRTH = date(1977, 3, 9)
TRACES = (GIVEN, FAMILY, "quorvathine.zelbrandt", "600111222", BIRTH.isoformat())
MARK = f"{GIVEN} {FAMILY}, {EMAIL}, {PHONE}, born {BIRTH.isoformat()}"
#: Fields of models about a person that hold no text about them (codes, copies of a service's address and
#: video link): the filler leaves them neutral, as the module's own code does.
NOT_ABOUT_THE_PERSON = {
    "booking.Booking.place",
    "booking.Booking.link",
    "booking.Booking.time_zone",
    "monitoring.Fact.category",
    "monitoring.Fact.subject",
    "monitoring.Cohort.category",
}


def test_every_model_about_a_person_is_covered_by_a_provider() -> None:
    related = person_related_models()
    # the walk finds direct, indirect (through another model) and plain-id relations
    assert {"core.Consent", "training.Attendance", "mentoring.MeetingProgress", "monitoring.Fact"} <= set(related)
    assert "portal.AccountClaim" in related
    assert gdpr_coverage_errors() == []
    # and it can fail: a provider that forgets a model, or covers models without erasing them
    without_portal = [p for p in registry.personal_data_providers if p.key != "portal"]
    assert [e.obj for e in gdpr_coverage_errors(without_portal)] == ["portal.AccountClaim"]
    blind = PersonalDataProvider("x", "x", lambda person: None, models=("portal.AccountClaim",))
    assert any("cannot erase" in e.msg for e in gdpr_coverage_errors([*without_portal, blind]))


class Filler:
    """Makes one row of a model, following its required foreign keys; text about the person is ``MARK``."""

    def __init__(self, person: Person, organisation: Organisation, user: User) -> None:
        self.person, self.organisation, self.user = person, organisation, user
        self.about = set(person_related_models())
        self.made: dict[type, models.Model] = {}
        self.counter = itertools.count()

    def value(self, model: type[models.Model], field: models.Field, personal: bool) -> Any:  # type: ignore[type-arg]  # noqa: C901
        name, now = field.name, timezone.now()
        if field.choices:
            return (
                field.choices[0][0] if not isinstance(field.choices[0][1], list | tuple) else field.choices[0][1][0][0]
            )
        if isinstance(field, models.DateTimeField):
            return now + timedelta(hours=1) if "end" in name or "closes" in name or "expires" in name else now
        if isinstance(field, models.DateField):
            if "birth" in name:
                return BIRTH
            return now.date() + timedelta(days=1) if "end" in name or "expires" in name else now.date()
        if isinstance(field, models.TimeField):
            return time(17) if "end" in name or "closes" in name else time(9)
        if isinstance(field, models.BooleanField):
            return field.get_default() if field.has_default() else False
        if isinstance(field, models.BinaryField):
            return MARK.encode() if personal else b"x"
        if isinstance(field, models.DecimalField):
            return Decimal(1)
        if isinstance(field, models.IntegerField | models.FloatField):
            return field.get_default() if field.has_default() and field.get_default() is not None else 1
        if isinstance(field, models.JSONField):
            return field.get_default() if field.has_default() else {}
        if isinstance(field, models.CharField | models.TextField):
            length = getattr(field, "max_length", None) or 10_000
            if personal and "email" in name and length >= len(EMAIL):
                return EMAIL
            if "phone" in name:
                return PHONE if personal else "+48 500 000 000"
            if personal and length >= 60 and not field.unique:
                return MARK[:length]
            if field.unique or field.has_default() is False or not field.get_default():
                return f"x{next(self.counter)}"[:length]
            return field.get_default()
        if field.has_default():
            return field.get_default()
        if isinstance(field, models.UUIDField):
            return uuid.uuid4()
        return None

    def row(self, model: type[models.Model]) -> models.Model:
        if model in self.made:
            return self.made[model]
        if model is Person:
            return self.person
        if model is User:
            return self.user
        if model is Organisation:
            return self.organisation
        personal = model._meta.label in self.about and model._meta.label not in gdpr.RETAINED
        values: dict[str, Any] = {}
        for field in model._meta.concrete_fields:
            if field.primary_key and not field.is_relation:
                continue
            if field.is_relation:
                target = field.related_model
                if target in (Person, User, Organisation) or not field.null or target._meta.label in self.about:
                    values[field.name] = self.row(target)
                continue
            if field.name == "person_id":
                values[field.name] = self.person.pk
                continue
            value = self.value(
                model, field, personal and f"{model._meta.label}.{field.name}" not in NOT_ABOUT_THE_PERSON
            )
            if value is not None or not field.null:
                values[field.name] = value
        instance = model._default_manager.create(**values)
        self.made[model] = instance
        return instance


def _traces(instance: models.Model) -> list[str]:
    found = []
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        text = value.isoformat() if isinstance(value, date | datetime) and "birth" in field.name else str(value)
        found += [f"{field.name}={trace}" for trace in TRACES if trace.lower() in text.lower()]
    return found


def test_erasure_leaves_no_personal_data_in_any_module(world: World) -> None:
    counsellor = world.users[Role.COUNSELLOR]
    person = people_service.create_person(
        counsellor,
        world.centre,
        {"given_name": GIVEN, "family_name": FAMILY, "email": EMAIL, "phone": PHONE, "birth_date": BIRTH},
        languages=[("uk", "native")],
    )
    account = User.objects.create_user(username=EMAIL, email=EMAIL, first_name=GIVEN, last_name=FAMILY)
    people_service.link_account(counsellor, person, account)
    filler = Filler(person, world.centre, counsellor)
    for label in sorted(filler.about):
        filler.row(apps.get_model(label))
    assert {m._meta.label for m in filler.made} >= filler.about  # one row of every model about a person

    export = gdpr.export_for_subject(account, person)
    assert set(export["modules"]) == {p.key for p in registry.personal_data_providers}
    assert GIVEN in str(export["modules"]["portal"])  # the portal section: the account request's name

    gdpr.erase_person(world.users[Role.ORG_ADMIN], person, reason="asked")

    left = {}
    for model in apps.get_models():
        for instance in model._default_manager.all():
            if traces := _traces(instance):
                left[f"{model._meta.label}#{instance.pk}"] = traces
    assert left == {}, {k: sorted({t.split("=")[0] for t in v}) for k, v in left.items()}
