"""People, consent, GDPR, audit, encryption, events and the registry: behaviour of core's services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from ownpath.core import events
from ownpath.core.checks import requirement_errors
from ownpath.core.choices import ConsentPurpose, DataScope, Role, SensitiveGroup
from ownpath.core.models import AuditEvent, Need, Notification, Person, PersonNote, RetentionReport
from ownpath.core.registry import Event, ModuleConfig, Registry, RegistryFrozen, registry
from ownpath.core.services import consent as consent_service
from ownpath.core.services import gdpr
from ownpath.core.services import people as people_service
from ownpath.modules import discover_modules
from tests.conftest import World

pytestmark = pytest.mark.django_db(transaction=False)


def test_duplicates_are_found_across_scripts_and_hidden_ones_only_counted(world: World) -> None:
    counsellor = world.users[Role.COUNSELLOR]
    found = people_service.find_duplicates(counsellor, "Aleksander Szewczenko", birth_date=date(1988, 4, 12))
    assert [c.person for c in found.visible] == [world.person] and found.hidden_count == 0
    elsewhere = people_service.find_duplicates(world.users["ngo_counsellor"], "Oleksandr Shevchenko")
    assert elsewhere.visible == [] and elsewhere.hidden_count == 1


def test_create_person_transliterates_indexes_and_audits(world: World) -> None:
    counsellor = world.users[Role.COUNSELLOR]
    person = people_service.create_person(
        counsellor, world.centre, {"given_name_native": "Ірина", "family_name_native": "Мельник"}
    )
    assert (person.given_name, person.family_name, person.native_script) == ("Iryna", "Melnyk", "Cyrl")
    assert person.name_keys.exists()
    assert AuditEvent.objects.filter(person_id=person.pk, action="create", actor_id=counsellor.pk).exists()


@pytest.mark.parametrize("birth", [date(2999, 1, 1), date(1800, 1, 1)])
def test_impossible_birth_dates_save_nothing(world: World, birth: date) -> None:
    before = Person.objects.count()
    with pytest.raises(ValidationError):
        people_service.create_person(
            world.users[Role.COUNSELLOR], world.centre, {"given_name": "A", "family_name": "B", "birth_date": birth}
        )
    assert Person.objects.count() == before


def test_roles_outside_casework_cannot_create_people(world: World) -> None:
    with pytest.raises(PermissionDenied):
        people_service.create_person(world.users[Role.MENTOR], world.centre, {"given_name": "A", "family_name": "B"})


def test_sensitive_notes_are_encrypted_and_readable_only_by_their_profession(world: World) -> None:
    from ownpath.core import selectors

    psychologist = world.users[Role.PSYCHOLOGIST]
    note = people_service.add_note(
        psychologist,
        world.person,
        SensitiveGroup.PSYCHOLOGICAL,
        "Nightmares since March.",
        organisation=world.centre,
        channel="ui",
    )  # type: ignore[arg-type]
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM core_personnote WHERE id = %s", [note.pk])
        raw = cursor.fetchone()[0]
    assert "Nightmares" not in raw and PersonNote.objects.get(pk=note.pk).body == "Nightmares since March."
    assert note in selectors.notes_for(psychologist, world.person)
    assert note not in selectors.notes_for(world.users[Role.COUNSELLOR], world.person)
    assert note not in selectors.notes_for(world.users[Role.LEGAL_ADVISER], world.person)
    with pytest.raises(PermissionDenied):
        people_service.add_note(
            world.users[Role.COUNSELLOR],
            world.person,
            SensitiveGroup.LEGAL,
            "x",
            organisation=world.centre,
            channel="ui",
        )  # type: ignore[arg-type]


def test_health_needs_are_hidden_from_roles_that_do_not_need_them(world: World) -> None:
    from ownpath.core import selectors

    people_service.add_need(world.users[Role.COUNSELLOR], world.person, "disability", "Wheelchair user", channel="ui")  # type: ignore[arg-type]
    visible, hidden = selectors.needs_for(world.users[Role.CULTURAL_MEDIATOR], world.person)
    assert visible == [] and hidden == 1
    visible, hidden = selectors.needs_for(world.users[Role.PSYCHOLOGIST], world.person)
    assert len(visible) == 1 and visible[0].details == "Wheelchair user"


def test_key_rotation_reencrypts_with_the_new_key(world: World, settings: object) -> None:
    from cryptography.fernet import Fernet

    people_service.add_need(world.users[Role.COUNSELLOR], world.person, "health", "Diabetes", channel="ui")  # type: ignore[arg-type]
    new_key = Fernet.generate_key().decode()
    settings.OWNPATH_ENCRYPTION_KEYS = [new_key, *settings.OWNPATH_ENCRYPTION_KEYS]  # type: ignore[attr-defined]
    call_command("rotate_encryption_keys")
    settings.OWNPATH_ENCRYPTION_KEYS = [new_key]  # type: ignore[attr-defined]
    assert Need.objects.get(person=world.person, kind="health").details == "Diabetes"
    settings.OWNPATH_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured):
        Need.objects.get(person=world.person, kind="health")


def test_sharing_needs_an_active_consent_that_covers_purpose_and_scope(world: World) -> None:
    counsellor = world.users[Role.COUNSELLOR]
    decision = consent_service.may_share(world.person, world.centre, world.ngo, ConsentPurpose.REFERRAL)
    assert not decision
    with pytest.raises(PermissionDenied):
        consent_service.share_person(counsellor, world.person, world.ngo, purpose=ConsentPurpose.REFERRAL)
    assert AuditEvent.objects.filter(person_id=world.person.pk, action="denied").exists()
    consent = consent_service.give_consent(
        counsellor,
        world.person,
        recipients=[world.ngo],
        purpose=ConsentPurpose.REFERRAL,
        scope=[DataScope.IDENTITY, DataScope.LANGUAGES],
        evidence="Signed form 1/2026",
    )
    assert consent_service.may_share(world.person, world.centre, world.ngo, ConsentPurpose.REFERRAL)
    assert not consent_service.may_share(
        world.person, world.centre, world.ngo, ConsentPurpose.REFERRAL, [DataScope.HEALTH]
    )
    assert not consent_service.may_share(world.person, world.centre, world.ngo, ConsentPurpose.MENTORING)
    assert not consent_service.may_share(world.person, world.centre, world.employer, ConsentPurpose.REFERRAL)
    consent_service.share_person(counsellor, world.person, world.ngo, purpose=ConsentPurpose.REFERRAL)
    ngo = world.users["ngo_counsellor"]
    assert ngo.has_perm("core.view_person", world.person)
    consent_service.withdraw_consent(counsellor, consent, evidence="Phone call 3 March")
    del ngo._ownpath_roles  # type: ignore[attr-defined]
    assert not ngo.has_perm("core.view_person", world.person)
    assert not consent_service.may_share(world.person, world.centre, world.ngo, ConsentPurpose.REFERRAL)


def test_consent_without_evidence_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        consent_service.give_consent(
            world.users[Role.COUNSELLOR],
            world.person,
            recipients=[world.ngo],
            purpose="referral",
            scope=["identity"],
            evidence=" ",
        )
    assert "evidence" in error.value.message_dict


def test_export_holds_everything_and_is_audited(world: World) -> None:
    admin = world.users[Role.ORG_ADMIN]
    data = gdpr.export_person_data(admin, world.person)
    assert data["person"]["family_name_native"] == "Шевченко"
    assert {"language": "uk", "level": "native"} in data["person"]["languages"]
    assert data["access_log"] and AuditEvent.objects.filter(person_id=world.person.pk, action="export").exists()
    with pytest.raises(PermissionDenied):
        gdpr.export_person_data(world.users[Role.COUNSELLOR], world.person)


def test_erasure_anonymises_unless_a_legal_hold_applies(world: World) -> None:
    admin = world.users[Role.ORG_ADMIN]
    Person.objects.filter(pk=world.person.pk).update(legal_hold_reason="Court case II K 12/26")
    world.person.refresh_from_db()
    with pytest.raises(gdpr.ErasureRefused, match="II K 12/26"):
        gdpr.erase_person(admin, world.person, reason="Request of 1 May")
    Person.objects.filter(pk=world.person.pk).update(legal_hold_reason="")
    world.person.refresh_from_db()
    gdpr.erase_person(admin, world.person, reason="Request of 1 May")
    world.person.refresh_from_db()
    assert world.person.is_anonymised and world.person.family_name_native == "" and world.person.birth_date is None
    assert not world.person.languages.exists() and not world.person.name_keys.exists()
    assert AuditEvent.objects.filter(person_id=world.person.pk, action="erase").exists()


def test_retention_reports_first_and_deletes_only_what_is_still_due(world: World) -> None:
    old = timezone.now() - timedelta(days=4000)
    Person.objects.filter(pk=world.other_person.pk).update(last_activity_at=old)
    user = world.users[Role.COUNSELLOR]
    stale = Notification.objects.create(user=user, title="old", read_at=old)
    fresh = Notification.objects.create(user=user, title="new", read_at=timezone.now())
    report = gdpr.build_retention_report()
    assert report.findings["inactive_people"]["ids"] == [world.other_person.pk]
    assert report.findings["read_notifications"]["ids"] == [stale.pk]
    assert Person.objects.get(pk=world.other_person.pk).is_anonymised is False
    Person.objects.filter(pk=world.other_person.pk).update(last_activity_at=timezone.now())
    deleted = gdpr.apply_retention_report(report)
    # Modules add their own policies (booking's CVs, appointments…): nothing of theirs was due here.
    assert deleted["inactive_people"] == 0 and deleted["read_notifications"] == 1
    assert sum(deleted.values()) == 1
    assert Notification.objects.filter(pk=fresh.pk).exists() and not Notification.objects.filter(pk=stale.pk).exists()
    with pytest.raises(ValueError):
        gdpr.apply_retention_report(RetentionReport.objects.get(pk=report.pk))


def test_audit_log_is_append_only(world: World) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="x")


@pytest.mark.postgres
def test_the_database_refuses_to_change_audit_events_on_postgresql(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    from django.db import DatabaseError

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET purpose = 'tampered'")


def test_events_run_after_commit_and_not_after_rollback(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    seen: list[dict[str, object]] = []
    original = registry.event_handlers, registry.events
    registry.event_handlers = {"core.ping": (lambda **payload: seen.append(payload),)}  # type: ignore[assignment]
    registry.events = {"core.ping": Event("core.ping", dict, "a test event")}
    try:
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            events.publish("core.ping")
            assert seen == []
        assert seen == [{}]
        with pytest.raises(RuntimeError), transaction.atomic():
            events.publish("core.ping")
            raise RuntimeError
        assert seen == [{}]
    finally:
        registry.event_handlers, registry.events = original  # type: ignore[assignment]


def test_registry_is_frozen_and_holds_cores_contributions() -> None:
    assert registry.frozen and "core" in registry.modules
    assert any(item.url_name == "core:people" for item in registry.menu_items)
    assert [tab.key for tab in registry.person_tabs][:2] == ["overview", "background"]
    assert "core.view_person" in registry.permissions
    with pytest.raises(RegistryFrozen):
        registry.register_module(registry.modules["core"])


def test_a_module_whose_requirement_is_off_fails_the_system_check() -> None:
    from django.apps import apps

    class Training(ModuleConfig):
        name, label = "ownpath.core", "training"

    class Mentoring(ModuleConfig):
        name, label, requires = "ownpath.core", "mentoring", ("training",)

    core = apps.get_app_config("core")
    mentoring = Mentoring("ownpath.core", __import__("ownpath.core"))
    errors = requirement_errors([core, mentoring])  # type: ignore[list-item]
    assert [e.id for e in errors] == ["ownpath.E001"]
    assert "'mentoring' requires module 'training'" in errors[0].msg and "OWNPATH_MODULES" in errors[0].hint
    assert requirement_errors([core, mentoring, Training("ownpath.core", __import__("ownpath.core"))]) == []  # type: ignore[list-item]
    fresh = Registry()
    fresh.register_module(mentoring)
    fresh.freeze()
    assert fresh.frozen


def test_unknown_modules_in_configuration_are_named() -> None:
    with pytest.raises(ImproperlyConfigured, match="nosuchmodule"):
        discover_modules("nosuchmodule")
    assert discover_modules("all") == discover_modules("")


def test_the_retention_command_reports_then_applies(world: World) -> None:
    from io import StringIO

    from django.core.management.base import CommandError

    Notification.objects.create(
        user=world.users[Role.COUNSELLOR], title="old", read_at=timezone.now() - timedelta(days=400)
    )
    out = StringIO()
    call_command("retention_sweep", stdout=out)
    report = RetentionReport.objects.latest("created_at")
    assert "read_notifications: 1 due" in out.getvalue() and Notification.objects.count() == 1
    call_command("retention_sweep", "--apply", str(report.pk), stdout=out)
    assert Notification.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("retention_sweep", "--apply", str(report.pk))
    with pytest.raises(CommandError):
        call_command("retention_sweep", "--apply", "999999")


def test_notifications_are_stored_and_emailed_by_the_task(
    world: World, mailoutbox: list[object], django_capture_on_commit_callbacks: object
) -> None:
    from ownpath.core.services.notifications import mark_read, notify

    user = world.users[Role.COUNSELLOR]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        notification = notify(user, "Referral accepted", body="The NGO accepted the referral.", url="/people/1/")
    notification.refresh_from_db()
    assert notification.emailed and len(mailoutbox) == 1 and mailoutbox[0].to == [user.email]  # type: ignore[attr-defined]
    assert mark_read(user) == 1 and mark_read(user) == 0


def test_the_right_person_is_found_among_more_namesakes_than_are_scored(world: World) -> None:
    from ownpath.core.models import PersonNameKey
    from ownpath.core.names import name_keys
    from ownpath.core.services.people import MAX_CANDIDATES

    namesakes = Person.objects.bulk_create(
        Person(
            organisation=world.centre,
            given_name="Oleksandr",
            family_name="Shevchenko",
            birth_date=date(1960, 1, 1) + timedelta(days=i),
        )
        for i in range(MAX_CANDIDATES + 100)
    )
    keys = name_keys("Oleksandr Shevchenko")
    PersonNameKey.objects.bulk_create(PersonNameKey(person=p, key=k) for p in namesakes for k in keys)
    found = people_service.find_duplicates(
        world.users[Role.COUNSELLOR], "Aleksander Szewczenko", birth_date=date(1988, 4, 12)
    )
    assert found.visible[0].person == world.person and found.visible[0].score == 1.0


def test_sharing_notifies_the_receiving_organisation_after_commit(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    counsellor = world.users[Role.COUNSELLOR]
    consent_service.give_consent(
        counsellor, world.person, recipients=[world.ngo], purpose="referral", scope=["identity"], evidence="Form 2"
    )
    receiver = world.users["ngo_counsellor"]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        consent_service.share_person(counsellor, world.person, world.ngo, purpose="referral")
    note = Notification.objects.get(user=receiver)
    assert "NGO" in note.title and note.url == f"/people/{world.person.pk}/"
    assert not Notification.objects.filter(user=counsellor).exists()


def test_sign_in_is_rate_limited(world: World) -> None:
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    client = Client()
    email = world.users[Role.COUNSELLOR].email
    statuses = [
        client.post("/accounts/login/", {"login": email, "password": "wrong password"}).status_code for _ in range(7)
    ]
    response = client.post("/accounts/login/", {"login": email, "password": "correct-horse-battery-staple"})
    assert statuses[0] == 200 and response.status_code != 302
    assert b"Too many failed login attempts" in response.content
    cache.clear()


def test_names_longer_than_a_key_can_be_saved_and_changed(world: World) -> None:
    counsellor = world.users[Role.COUNSELLOR]
    person = people_service.create_person(
        counsellor, world.centre, {"given_name": "x" * 120, "family_name": "Qwrtzpsdfghjklzxcvbnm" * 5}
    )
    people_service.update_person(counsellor, person, {"given_name": "x" * 119})
    people_service.update_person(counsellor, person, {"family_name": "Kowalski"})
    assert person.name_keys.filter(key="kvlsk").exists()
    assert all(len(k) <= 40 for k in person.name_keys.values_list("key", flat=True))


def test_short_names_are_still_found(world: World) -> None:
    counsellor = world.users[Role.COUNSELLOR]
    ali = people_service.create_person(
        counsellor, world.centre, {"given_name": "Ali", "family_name": "Hassan", "birth_date": date(1990, 2, 3)}
    )
    found = people_service.find_duplicates(counsellor, "علي حسن", birth_date=date(1990, 2, 3))
    assert [c.person for c in found.visible] == [ali]
    mononym = people_service.create_person(
        counsellor, world.centre, {"given_name": "Ali", "family_name": "Li", "birth_date": date(1991, 1, 1)}
    )
    assert mononym in [
        c.person for c in people_service.find_duplicates(counsellor, "Ali Lee", birth_date=date(1991, 1, 1)).visible
    ]


def test_keyed_hashes_recognise_a_value_without_storing_it(settings: object) -> None:
    from ownpath.core.crypto import keyed_hash

    first = keyed_hash("+48 512 345 678")
    assert first == keyed_hash("+48 512 345 678") and "512" not in first and len(first) == 64
    settings.OWNPATH_HASH_KEY = "another key"  # type: ignore[attr-defined]
    assert keyed_hash("+48 512 345 678") != first
