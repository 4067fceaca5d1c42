"""The counselling module: assessment and suggestions, the versioned path, sessions and their notes,
consented referrals, recognition, legal help, outcomes, the caseload, and the privacy rules around them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ownpath.core.choices import Channel, NeedKind, RecognitionStatus, Role, SensitiveGroup
from ownpath.core.models import AuditEvent, Notification, Person, PersonNote, PersonShare, Qualification
from ownpath.core.services import consent as consent_service
from ownpath.core.services import gdpr
from ownpath.core.services import people as people_service
from ownpath.modules.counselling import selectors, services
from ownpath.modules.counselling.choices import (
    Barrier,
    FollowUpStatus,
    OutcomeKind,
    ReferralStatus,
    StepKind,
    StepStatus,
    SuggestionStatus,
)
from ownpath.modules.counselling.models import (
    Assessment,
    PathChange,
    Referral,
    Session,
    SessionNote,
    Step,
    Suggestion,
)
from tests.conftest import World, signed_in
from tests.factories import staff

UI = Channel.UI


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Events the services publish, as (name, payload)."""
    seen: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr("ownpath.core.events.publish", lambda event, **payload: seen.append((event, payload)))
    return seen


def counsellor(world: World) -> Any:
    return world.users[Role.COUNSELLOR]


def assess(world: World, person: Person | None = None, **values: Any) -> Assessment:
    return services.record_assessment(counsellor(world), person or world.person, world.centre, values, channel=UI)


def consent_to_ngo(world: World, scope: list[str], purpose: str = "referral") -> Any:
    return consent_service.give_consent(
        counsellor(world), world.person, recipients=[world.ngo], purpose=purpose, scope=scope, evidence="Signed form"
    )


# --- Assessment and suggestions ------------------------------------------------------------------------


def test_the_assessment_suggests_steps_from_the_facts(world: World) -> None:
    person = world.person  # Polish A2, Ukrainian native, temporary protection, no work history
    Qualification.objects.create(person=person, title="Nurse diploma", country="UA", year=2010)
    people_service.update_person(
        counsellor(world),
        person,
        {"household_children": 2, "youngest_child_birth_year": timezone.localdate().year - 2},
    )
    assessment = assess(world, disability=True, wants_self_employment=True)
    kinds = {s.kind: s.reason for s in assessment.suggestions.all()}
    assert kinds[StepKind.LANGUAGE_COURSE] == "host_language"
    assert kinds[StepKind.WORKPLACE_LANGUAGE] == "workplace_language"
    assert kinds[StepKind.RECOGNITION] == "foreign_diploma"
    assert kinds[StepKind.CHILDCARE] == "small_children"
    assert kinds[StepKind.ACCESSIBLE_WORKPLACE] == kinds[StepKind.SUPPORTED_WORK] == "disability"
    assert kinds[StepKind.SELF_EMPLOYMENT] == "self_employment"
    assert kinds[StepKind.INTERNSHIP] == "no_work_experience"
    assert StepKind.PSYCHOLOGICAL_SUPPORT not in kinds


def test_fluent_speakers_with_recognised_diplomas_get_no_course_or_recognition(world: World) -> None:
    person = world.person
    people_service.set_languages(counsellor(world), person, [("pl", "C1"), ("uk", "native")], channel=UI)
    Qualification.objects.create(
        person=person, title="Engineer", country="UA", recognition=RecognitionStatus.RECOGNISED
    )
    people_service.add_background(
        counsellor(world),
        person,
        __import__("ownpath.core.models", fromlist=["WorkExperience"]).WorkExperience(job_title="Welder"),
        channel=UI,
    )
    kinds = {s.kind for s in assess(world).suggestions.all()}
    assert not kinds & {StepKind.LANGUAGE_COURSE, StepKind.RECOGNITION, StepKind.INTERNSHIP, StepKind.CHILDCARE}
    assert StepKind.JOB_SEARCH in kinds


def test_suggestions_are_not_repeated_and_accepting_adds_a_planned_step(world: World) -> None:
    first = assess(world)
    assert first.suggestions.exists()
    again = assess(world)
    assert not again.suggestions.exists(), "open suggestions are not suggested twice"
    suggestion = first.suggestions.get(kind=StepKind.LANGUAGE_COURSE)
    step = services.decide_suggestion(counsellor(world), suggestion, accept=True, organisation=world.centre, channel=UI)
    assert step is not None and step.kind == StepKind.LANGUAGE_COURSE and step.status == StepStatus.PLANNED
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED and suggestion.step == step
    with pytest.raises(ValidationError):
        services.decide_suggestion(counsellor(world), suggestion, accept=False, organisation=world.centre, channel=UI)
    dropped = first.suggestions.get(kind=StepKind.JOB_SEARCH)
    assert (
        services.decide_suggestion(counsellor(world), dropped, accept=False, organisation=world.centre, channel=UI)
        is None
    )
    assert Step.objects.filter(person=world.person).count() == 1


def test_health_notes_of_an_assessment_need_a_health_reader(world: World) -> None:
    legal = world.users[Role.LEGAL_ADVISER]
    with pytest.raises(PermissionDenied):
        services.record_assessment(legal, world.person, world.centre, {"health_notes": "Diabetes"}, channel=UI)
    assert not Assessment.objects.exists()
    assessment = assess(world, health_notes="Diabetes type 1", disability=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT health_notes FROM counselling_assessment WHERE id = %s", [assessment.pk])
        assert "Diabetes" not in cursor.fetchone()[0], "health notes are encrypted at rest"


def test_barriers_count_double_discrimination(world: World) -> None:
    people_service.update_person(
        counsellor(world),
        world.person,
        {"household_children": 1, "youngest_child_birth_year": timezone.localdate().year - 1},
    )
    assess(world, single_parent=True, low_literacy=True)
    profile = world.person.case_profile
    assert set(profile.barriers) == {Barrier.SINGLE_PARENT, Barrier.LOW_LITERACY} and profile.barrier_count == 2
    people_service.add_need(counsellor(world), world.person, NeedKind.DISABILITY, "wheelchair", channel=UI)
    assess(world, single_parent=True, low_literacy=True)
    world.person.refresh_from_db()
    assert Person.objects.get(pk=world.person.pk).case_profile.barrier_count == 3
    # Wording respects who may read health data: a legal adviser sees two named, one hidden.
    view = selectors.barrier_view(world.person.case_profile.barriers, may_read_health=False)
    assert Barrier.DISABILITY not in view.named and view.hidden == 1 and view.several


# --- The path ------------------------------------------------------------------------------------------


def test_a_step_ending_before_it_starts_is_refused_and_nothing_is_saved(world: World) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.add_step(
            counsellor(world),
            world.person,
            {
                "kind": StepKind.LANGUAGE_COURSE,
                "responsible_organisation": world.centre,
                "planned_start": today,
                "planned_end": today - timedelta(days=1),
            },
            channel=UI,
        )
    assert "planned_end" in refused.value.message_dict
    assert not Step.objects.exists() and not PathChange.objects.exists()


def test_step_changes_are_versioned_and_publish_events(world: World, published: list) -> None:
    c = counsellor(world)
    step = services.add_step(
        c, world.person, {"kind": StepKind.SELF_EMPLOYMENT, "responsible_organisation": world.centre}, channel=UI
    )
    assert [item["key"] for item in step.checklist][:2] == ["business_idea", "business_plan"]
    step = services.update_step(c, step, {"status": StepStatus.IN_PROGRESS}, channel=UI)
    step = services.set_checklist(c, step, ["business_idea", "registration"], channel=UI)
    step = services.update_step(c, step, {"status": StepStatus.DONE, "result": "Registered"}, channel=UI)
    assert step.version == 4 and step.actual_start and step.actual_end
    versions = list(step.changes.order_by("version"))
    assert [v.version for v in versions] == [1, 2, 3, 4]
    assert versions[1].changes["status"] == ["planned", "in_progress"]
    assert [e for e, _p in published if e.startswith("counselling.step")] == [
        services.STEP_STARTED,
        services.STEP_DONE,
    ]
    with pytest.raises(ValidationError):
        services.set_checklist(c, step, ["no_such_item"], channel=UI)
    # An unchanged save makes no new version.
    assert services.update_step(c, step, {"result": "Registered"}, channel=UI).version == 4


def test_the_step_history_is_worded_in_the_readers_language(world: World) -> None:
    """Statuses by their labels, organisations by name, dates by locale: no stored codes or ids."""
    from django.utils import translation

    c = counsellor(world)
    step = services.add_step(
        c, world.person, {"kind": StepKind.LEGAL_ADVICE, "responsible_organisation": world.centre}, channel=UI
    )
    step = services.update_step(
        c, step, {"status": StepStatus.IN_PROGRESS, "planned_end": date(2026, 12, 24)}, channel=UI
    )
    client = signed_in(c)
    client.cookies["django_language"] = "pl"
    html = client.get(reverse("counselling:step_edit", args=[step.pk]), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    with translation.override("pl"):
        planned, in_progress = str(StepStatus.PLANNED.label), str(StepStatus.IN_PROGRESS.label)
    assert f"<bdi>{planned}</bdi> → <bdi>{in_progress}</bdi>" in html
    assert "24.12.2026" in html
    assert "in_progress" not in html.split('<ol class="list" reversed>')[1].split("</ol>")[0]


def test_the_responsible_person_must_work_for_the_responsible_organisation(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        services.add_step(
            counsellor(world),
            world.person,
            {
                "kind": StepKind.LEGAL_ADVICE,
                "responsible_organisation": world.centre,
                "responsible_user": world.users["ngo_counsellor"],
            },
            channel=UI,
        )
    assert "responsible_user" in refused.value.message_dict


def test_a_step_done_needs_no_future_dates(world: World) -> None:
    step = services.add_step(
        counsellor(world),
        world.person,
        {"kind": StepKind.WORKSHOP, "responsible_organisation": world.centre},
        channel=UI,
    )
    with pytest.raises(ValidationError):
        services.update_step(
            counsellor(world), step, {"actual_start": timezone.localdate() + timedelta(days=3)}, channel=UI
        )
    step.refresh_from_db()
    assert step.version == 1


# --- Sessions and notes --------------------------------------------------------------------------------


def test_psychological_notes_are_read_only_by_psychologists_and_the_author(world: World) -> None:
    psychologist = world.users[Role.PSYCHOLOGIST]
    session = services.record_session(
        psychologist,
        world.person,
        world.centre,
        {"kind": "psychological", "starts_at": timezone.now(), "duration_minutes": 50, "place": "Room 2"},
        note_group=SensitiveGroup.PSYCHOLOGICAL,
        note="Sleeps badly since the evacuation.",
        channel=UI,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM core_personnote")
        assert "evacuation" not in cursor.fetchone()[0]
    seen_by = {
        role: [n.body for _s, notes in selectors.sessions_of(world.users[role], world.person) for n in notes]
        for role in (Role.PSYCHOLOGIST, Role.COUNSELLOR, Role.LEGAL_ADVISER, Role.ORG_ADMIN)
    }
    assert seen_by[Role.PSYCHOLOGIST] == ["Sleeps badly since the evacuation."]
    assert seen_by[Role.COUNSELLOR] == seen_by[Role.LEGAL_ADVISER] == seen_by[Role.ORG_ADMIN] == []
    # Over the web, the read of the note is audited with its id.
    response = signed_in(psychologist).get(reverse("core:person", args=[world.person.pk]) + "?tab=sessions")
    assert "Sleeps badly" in response.content.decode()
    reads = AuditEvent.objects.filter(person_id=world.person.pk, action="read", actor_id=psychologist.pk)
    event = next(e for e in reads.order_by("-pk") if "note:psychological" in e.fields)
    assert event.detail["note_ids"] == [session.session_notes.get().note_id]
    response = signed_in(counsellor(world)).get(reverse("core:person", args=[world.person.pk]) + "?tab=sessions")
    assert "Sleeps badly" not in response.content.decode()


def test_a_counsellor_cannot_write_a_psychological_note(world: World) -> None:
    session = services.record_session(
        counsellor(world),
        world.person,
        world.centre,
        {"kind": "vocational", "starts_at": timezone.now(), "mode": "phone"},
        channel=UI,
    )
    with pytest.raises(PermissionDenied):
        services.add_session_note(counsellor(world), session, SensitiveGroup.PSYCHOLOGICAL, "x", channel=UI)
    assert not SessionNote.objects.exists() and not PersonNote.objects.exists()


def test_bad_sessions_are_refused(world: World) -> None:
    bad = [
        {"kind": "vocational", "starts_at": timezone.now(), "duration_minutes": 2, "mode": "phone"},
        {"kind": "vocational", "starts_at": timezone.now(), "mode": "in_person", "place": ""},
        {"kind": "vocational", "starts_at": timezone.now(), "mode": "phone", "interpreter_used": True},
    ]
    for values in bad:
        with pytest.raises(ValidationError):
            services.record_session(counsellor(world), world.person, world.centre, values, channel=UI)
    assert not Session.objects.exists()


def test_a_note_for_a_person_one_may_not_see_is_refused(world: World) -> None:
    stranger = world.users["ngo_counsellor"]
    with pytest.raises(PermissionDenied):
        services.record_session(
            stranger,
            world.person,
            world.ngo,
            {"kind": "vocational", "starts_at": timezone.now(), "mode": "phone"},
            note="Hello",
            channel=UI,
        )
    response = signed_in(stranger).post(
        reverse("counselling:session_add", args=[world.person.pk]),
        {
            "session-kind": "vocational",
            "session-starts_at": "2026-11-20T10:00",
            "session-mode": "phone",
            "session-note": "x",
        },
    )
    assert response.status_code == 404
    assert not Session.objects.exists() and not PersonNote.objects.exists()


# --- Referrals -----------------------------------------------------------------------------------------


def test_a_referral_without_consent_is_refused_and_saves_nothing(world: World) -> None:
    consent_to_ngo(world, ["identity"], purpose="mentoring")  # a consent, but for another purpose
    with pytest.raises(PermissionDenied) as refused:
        services.send_referral(
            counsellor(world), world.person, world.ngo, service="Legal advice", scope=["identity"], channel=UI
        )
    assert "consent" in str(refused.value)
    assert not Referral.objects.exists() and not PersonShare.objects.exists()
    assert AuditEvent.objects.filter(person_id=world.person.pk, action="denied").exists()
    # Over the web: a clear message, nothing saved.
    response = signed_in(counsellor(world)).post(
        reverse("counselling:referral_send", args=[world.person.pk]),
        {"referral-to_organisation": world.ngo.pk, "referral-service": "Legal advice"},
        follow=True,
    )
    assert "consent" in response.content.decode() and not Referral.objects.exists()


def test_a_scope_beyond_the_consent_is_refused(world: World) -> None:
    consent_to_ngo(world, ["identity"])
    with pytest.raises(PermissionDenied):
        services.send_referral(
            counsellor(world), world.person, world.ngo, service="Course", scope=["identity", "health"], channel=UI
        )
    assert not Referral.objects.exists()


def test_the_receiver_sees_the_person_only_after_a_consented_referral_and_only_what_it_covers(
    world: World, published: list
) -> None:
    ngo = world.users["ngo_counsellor"]
    person_url = reverse("core:person", args=[world.person.pk])
    assert signed_in(ngo).get(person_url).status_code == 404
    services.record_session(
        world.users[Role.PSYCHOLOGIST],
        world.person,
        world.centre,
        {"kind": "psychological", "starts_at": timezone.now(), "mode": "video"},
        note_group=SensitiveGroup.PSYCHOLOGICAL,
        note="Trauma symptoms",
        channel=UI,
    )
    consent_to_ngo(world, ["identity", "languages"])
    referral = services.send_referral(
        counsellor(world), world.person, world.ngo, service="Polish course", scope=["languages"], channel=UI
    )
    assert referral.status == ReferralStatus.SENT and referral.scope == ["identity", "languages"]
    assert Notification.objects.filter(user=ngo).exists(), "the receiver is told"
    client = signed_in(ngo)
    page = client.get(person_url).content.decode()
    assert "Шевченко" in page
    overview = client.get(person_url + "?tab=overview").content.decode()
    assert "Temporary protection" not in overview, "legal status is outside the consent"
    assert client.get(person_url + "?tab=path").status_code == 404, "the path is outside the consent"
    assert "Trauma" not in client.get(person_url + "?tab=sessions").content.decode()
    assert "Trauma" not in client.get(person_url + "?tab=notes").content.decode()
    background = client.get(person_url + "?tab=background").content.decode()
    assert "Polish" in background or "polski" in background.lower()
    assert AuditEvent.objects.filter(person_id=world.person.pk, actor_id=ngo.pk, action="read").exists()
    services.answer_referral(ngo, referral, accept=True, channel=UI)
    with pytest.raises(ValidationError):
        services.complete_referral(ngo, referral, feedback="", channel=UI)
    done = services.complete_referral(ngo, referral, feedback="Finished A2 course", channel=UI)
    assert done.status == ReferralStatus.COMPLETED
    assert [e for e, _p in published if e.startswith("counselling.referral")] == [
        services.REFERRAL_SENT,
        services.REFERRAL_ACCEPTED,
        services.REFERRAL_COMPLETED,
    ]
    assert Notification.objects.filter(user=counsellor(world), title__icontains="completed").exists()


def test_only_the_receiver_answers_and_a_rejection_needs_a_reason_and_ends_the_sharing(world: World) -> None:
    consent_to_ngo(world, ["identity"])
    referral = services.send_referral(
        counsellor(world), world.person, world.ngo, service="Job club", scope=[], channel=UI
    )
    with pytest.raises(PermissionDenied):
        services.answer_referral(counsellor(world), referral, accept=True, channel=UI)
    ngo = world.users["ngo_counsellor"]
    with pytest.raises(ValidationError):
        services.answer_referral(ngo, referral, accept=False, reason=" ", channel=UI)
    services.answer_referral(ngo, referral, accept=False, reason="No places until March", channel=UI)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REJECTED and referral.reason == "No places until March"
    assert not PersonShare.objects.filter(person=world.person, organisation=world.ngo).exists()
    assert signed_in(ngo).get(reverse("core:person", args=[world.person.pk])).status_code == 404


def test_withdrawing_the_consent_cancels_open_referrals(world: World) -> None:
    consent = consent_to_ngo(world, ["identity"])
    referral = services.send_referral(
        counsellor(world), world.person, world.ngo, service="Course", scope=[], channel=UI
    )
    services.withdraw_referrals_of_consent(person_id=world.person.pk, consent_id=consent.pk, purpose="referral")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED


def test_overdue_referrals_alert_both_sides_once(world: World) -> None:
    consent_to_ngo(world, ["identity"])
    referral = services.send_referral(
        counsellor(world), world.person, world.ngo, service="Course", scope=[], channel=UI
    )
    Notification.objects.all().delete()
    later = referral.answer_by + timedelta(days=1)
    run = services.send_reminders(today=later)
    assert run.referrals == 1
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert world.users["ngo_counsellor"].pk in told and counsellor(world).pk in told
    assert services.send_reminders(today=later).referrals == 0


# --- Recognition, legal help, outcomes -----------------------------------------------------------------


def test_recognition_tracks_documents_and_updates_the_qualification(world: World) -> None:
    qualification = Qualification.objects.create(person=world.person, title="Nurse", country="UA")
    values = {
        "qualification": qualification,
        "diploma": "Diploma of nursing",
        "country": "UA",
        "route": "professional",
        "institution": "Ministry of Health",
        "fee": "0",
        "documents": ["original", "sworn_translation"],
    }
    recognition = services.add_recognition(counsellor(world), world.person, values, channel=UI)
    with pytest.raises(ValidationError):  # decided, but no dates
        services.update_recognition(counsellor(world), recognition, {"status": "recognised"}, channel=UI)
    recognition.refresh_from_db()
    services.update_recognition(
        counsellor(world),
        recognition,
        {"status": "recognised", "submitted_on": date(2026, 3, 1), "decided_on": date(2026, 6, 1)},
        channel=UI,
    )
    qualification.refresh_from_db()
    assert qualification.recognition == RecognitionStatus.RECOGNISED
    with pytest.raises(ValidationError):
        services.add_recognition(
            counsellor(world), world.person, {**values, "documents": ["passport_photo"]}, channel=UI
        )
    with pytest.raises(ValidationError):
        services.add_recognition(counsellor(world), world.person, {**values, "fee": "-5"}, channel=UI)


def test_legal_questions_go_to_a_legal_adviser_who_alone_reads_them(world: World) -> None:
    adviser = world.users[Role.LEGAL_ADVISER]
    request = services.request_legal_advice(
        counsellor(world), world.person, world.centre, "Can she work on a visa-free stay?", channel=UI
    )
    assert request.assigned_to == adviser and Notification.objects.filter(user=adviser).exists()
    assert adviser.has_perm("counselling.read_legal_request", request)
    assert counsellor(world).has_perm("counselling.read_legal_request", request), "the asker reads the answer"
    assert not world.users[Role.PSYCHOLOGIST].has_perm("counselling.read_legal_request", request)
    url = reverse("counselling:legal_request", args=[request.pk])
    assert signed_in(world.users[Role.PSYCHOLOGIST]).get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.answer_legal_request(counsellor(world), request, "Yes", channel=UI)
    services.answer_legal_request(adviser, request, "Yes, with a declaration.", channel=UI)
    assert "declaration" in signed_in(counsellor(world)).get(url).content.decode()
    # An organisation without a legal adviser is told to refer instead.
    with pytest.raises(ValidationError):
        services.request_legal_advice(
            world.users["ngo_counsellor"], world.other_person, world.ngo, "Question", channel=UI
        )


def test_an_employment_outcome_schedules_follow_ups(world: World, published: list) -> None:
    start = date(2026, 1, 31)
    outcome = services.record_outcome(
        counsellor(world),
        world.person,
        world.centre,
        {
            "kind": OutcomeKind.EMPLOYMENT,
            "employer": "Hotel Wisła",
            "occupation": "Receptionist",
            "contract_type": "permanent",
            "hours_per_week": 40,
            "wage_band": "up_to_150",
            "start": start,
        },
        channel=UI,
    )
    assert [(f.months, f.due) for f in outcome.follow_ups.order_by("months")] == [
        (3, date(2026, 4, 30)),
        (6, date(2026, 7, 31)),
        (12, date(2027, 1, 31)),
    ]
    assert (services.OUTCOME_RECORDED, outcome.pk) in [(e, p.get("outcome_id")) for e, p in published]
    with pytest.raises(ValidationError) as refused:
        services.record_outcome(
            counsellor(world),
            world.person,
            world.centre,
            {"kind": "employment", "occupation": "Cook", "start": start},
            channel=UI,
        )
    assert {"employer", "contract_type"} <= set(refused.value.message_dict)
    due = outcome.follow_ups.get(months=3)
    services.record_follow_up(counsellor(world), due, FollowUpStatus.IN_WORK, "Happy", channel=UI)
    with pytest.raises(ValidationError):
        services.record_follow_up(counsellor(world), outcome.follow_ups.get(months=12), "in_work", channel=UI)


# --- Caseload ------------------------------------------------------------------------------------------


def _client_with_path(world: World, n: int) -> Person:
    c = counsellor(world)
    person = people_service.create_person(
        c,
        world.centre,
        {
            "given_name": f"Client{n}",
            "family_name": f"Number{n}",
            "assigned_counsellor": c,
            "residence_expires": timezone.localdate() + timedelta(days=30),
        },
        confirm_new=True,  # many numbered clients on purpose: not duplicates of one another
    )
    services.add_step(
        c,
        person,
        {
            "kind": StepKind.JOB_SEARCH,
            "responsible_organisation": world.centre,
            "planned_start": timezone.localdate() - timedelta(days=30),
            "planned_end": timezone.localdate() - timedelta(days=1 + n % 3),
        },
        channel=UI,
    )
    services.record_session(
        c, person, world.centre, {"kind": "vocational", "starts_at": timezone.now(), "mode": "phone"}, channel=UI
    )
    return person


def test_the_caseload_shows_what_needs_doing_with_a_fixed_number_of_queries(world: World) -> None:
    c = counsellor(world)
    for n in range(3):
        _client_with_path(world, n)
    client = signed_in(c)
    client.get(reverse("counselling:caseload"))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("counselling:caseload"))
    assert response.status_code == 200
    load = selectors.caseload(c)
    assert load.total == 3 and load.overdue_steps == 3 and len(load.sessions_today) == 3
    assert load.expiring_documents == 3 and all(row.overdue_steps == 1 for row in load.rows)
    for n in range(3, 12):
        _client_with_path(world, n)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("counselling:caseload"))
    assert len(many.captured_queries) == len(few.captured_queries)
    person = Person.objects.get(given_name="Client5")
    for tab in ("path", "sessions", "outcomes", "assessment", "referrals"):
        url = reverse("core:person", args=[person.pk]) + f"?tab={tab}"
        with CaptureQueriesContext(connection) as one:
            assert client.get(url).status_code == 200
        assert len(one.captured_queries) < 45, tab  # each enabled module checks its menu permissions


def test_the_supervisor_sees_every_counsellor_and_barrier_counts_without_names(world: World) -> None:
    for n in range(2):
        _client_with_path(world, n)
    admin = world.users[Role.ORG_ADMIN]
    response = signed_in(admin).get(reverse("counselling:supervision"))
    assert response.status_code == 200
    view = selectors.supervision(admin, world.centre)
    line = next(line for line in view.lines if line.user == counsellor(world))
    assert line.clients == 2 and line.overdue_steps == 2
    assert "Client0" not in response.content.decode()
    assert signed_in(counsellor(world)).get(reverse("counselling:supervision")).status_code == 403


# --- Data rights, the person's own view ----------------------------------------------------------------


def test_erasure_deletes_everything_the_module_holds(world: World) -> None:
    assess(world)
    _step = services.add_step(
        counsellor(world),
        world.person,
        {"kind": StepKind.WORKSHOP, "responsible_organisation": world.centre},
        channel=UI,
    )
    consent_to_ngo(world, ["identity"])
    services.send_referral(counsellor(world), world.person, world.ngo, service="Course", scope=[], channel=UI)
    export = gdpr.export_person_data(world.users[Role.ORG_ADMIN], world.person)
    assert export["modules"]["counselling"]["path_steps"][0]["kind"] == "workshop"
    gdpr.erase_person(world.users[Role.ORG_ADMIN], world.person, reason="Asked by the person")
    for model in (Assessment, Step, Suggestion, Referral, PathChange):
        assert not model.objects.filter(person_id=world.person.pk).exists(), model


def test_the_person_sees_their_own_path_and_nobody_elses(world: World) -> None:
    from tests.factories import UserFactory

    step = services.add_step(
        counsellor(world),
        world.person,
        {"kind": StepKind.LANGUAGE_COURSE, "title": "Kurs A2", "responsible_organisation": world.centre},
        channel=UI,
    )
    account = UserFactory(preferred_language="uk")
    Person.objects.filter(pk=world.person.pk).update(account=account)
    client = signed_in(account)
    client.cookies["django_language"] = "uk"
    response = client.get(reverse("counselling:my_path"))
    page = response.content.decode()
    assert response.status_code == 200 and step.title in page and "Мовний курс" in page
    assert client.get(reverse("core:person", args=[world.person.pk])).status_code == 404
    assert client.get(reverse("counselling:caseload")).status_code == 403
    stranger = signed_in(UserFactory())
    assert stranger.get(reverse("counselling:my_path")).status_code == 403


def test_staff_of_another_organisation_are_assigned_nothing(world: World) -> None:
    outsider = staff(Role.COUNSELLOR, world.employer)
    assert selectors.caseload(outsider).total == 0


# --- API -----------------------------------------------------------------------------------------------


def test_the_api_follows_a_person_from_assessment_to_outcome(world: World) -> None:
    c = signed_in(counsellor(world))
    pid = world.person.pk
    base = "/api/v1/counselling"
    made = c.post(f"{base}/people/{pid}/intakes", {"came_via": "helpline"}, content_type="application/json")
    assert made.status_code == 201
    assessed = c.post(
        f"{base}/people/{pid}/assessments",
        {"low_literacy": True, "goals": "Work as a nurse"},
        content_type="application/json",
    )
    assert assessed.status_code == 201
    suggestion = assessed.json()["suggestions"][0]
    assert suggestion["kind"] == "language_course" and suggestion["reason"] == "literacy"
    step = c.post(f"{base}/suggestions/{suggestion['id']}/decision", {"accept": True}, content_type="application/json")
    assert step.status_code == 200 and step.json()["status"] == "planned"
    step_id = step.json()["id"]
    bad = c.patch(
        f"{base}/steps/{step_id}",
        {"planned_start": "2026-12-10", "planned_end": "2026-12-01"},
        content_type="application/json",
        headers={"If-Match": "*"},
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "planned_end"
    assert Step.objects.get(pk=step_id).version == 1
    etag = next(s["etag"] for s in c.get(f"{base}/people/{pid}/path").json()["steps"] if s["id"] == step_id)
    moved = c.patch(
        f"{base}/steps/{step_id}",
        {"status": "in_progress"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert moved.json()["version"] == 2
    history = c.get(f"{base}/steps/{step_id}/history").json()
    assert [h["version"] for h in history] == [2, 1]
    path = c.get(f"{base}/people/{pid}/path").json()
    assert path["steps"][0]["id"] == step_id
    session = c.post(
        f"{base}/people/{pid}/sessions",
        {"kind": "vocational", "starts_at": "2026-11-20T10:00:00Z", "mode": "video", "note": "CV drafted"},
        content_type="application/json",
    )
    assert session.status_code == 201
    sessions = c.get(f"{base}/people/{pid}/sessions").json()
    assert sessions[0]["notes"][0]["body"] == "CV drafted"
    psych = c.post(
        f"{base}/people/{pid}/sessions",
        {
            "kind": "psychological",
            "starts_at": "2026-11-20T10:00:00Z",
            "mode": "video",
            "note": "x",
            "note_group": "psychological",
        },
        content_type="application/json",
    )
    assert psych.status_code == 403
    no_consent = c.post(
        f"{base}/people/{pid}/referrals",
        {"to_organisation_id": world.ngo.pk, "service": "Course"},
        content_type="application/json",
    )
    assert no_consent.status_code == 403 and "consent" in no_consent.json()["error"]["message"]
    consent_to_ngo(world, ["identity"])
    sent = c.post(
        f"{base}/people/{pid}/referrals",
        {"to_organisation_id": world.ngo.pk, "service": "Course"},
        content_type="application/json",
    )
    assert sent.status_code == 201
    ngo = signed_in(world.users["ngo_counsellor"])
    assert ngo.get(f"{base}/referrals").json()["received"][0]["id"] == sent.json()["id"]
    assert ngo.post(f"{base}/referrals/{sent.json()['id']}/accept").json()["status"] == "accepted"
    assert ngo.get(f"{base}/people/{pid}/path").status_code == 403, "the path is outside the consent"
    outcome = c.post(
        f"{base}/people/{pid}/outcomes",
        {
            "kind": "employment",
            "employer": "Szpital Miejski",
            "occupation": "Nurse assistant",
            "contract_type": "fixed_term",
            "hours_per_week": 38,
            "start": "2026-11-16",
        },
        content_type="application/json",
    )
    assert outcome.status_code == 201 and len(outcome.json()["follow_ups"]) == 3
    load = c.get(f"{base}/caseload").json()
    assert load["total"] == 0  # nobody is assigned to this counsellor in the test world


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("intakes", {"came_via": "pigeon"}),
        ("intakes", {"came_via": "walk_in", "contact_date": "2099-01-01"}),
        ("intakes", {"came_via": "walk_in", "interpreter_used": True}),
        ("assessments", {"assessed_on": "not a date"}),
        ("goals", {"title": ""}),
        ("steps", {"kind": "astrology"}),
        ("steps", {"kind": "workshop", "responsible_organisation_id": 999999}),
        ("sessions", {"kind": "vocational", "starts_at": "2026-11-20T10:00:00Z", "duration_minutes": 0}),
        ("referrals", {"to_organisation_id": 999999, "service": "x"}),
        ("recognitions", {"diploma": "BSc", "country": "UA", "route": "academic", "fee": "-1"}),
        ("recognitions", {"diploma": "BSc", "country": "UA", "route": "academic", "documents": ["selfie"]}),
        ("outcomes", {"kind": "employment", "occupation": "Cook", "start": "2026-11-01", "hours_per_week": 90}),
        ("legal-requests", {"question": "   "}),
    ],
)
def test_the_api_refuses_bad_input_with_one_error_shape_and_saves_nothing(world: World, path: str, body: dict) -> None:
    before = AuditEvent.objects.filter(action="create").count()
    response = signed_in(counsellor(world)).post(
        f"/api/v1/counselling/people/{world.person.pk}/{path}", body, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert set(response.json()["error"]) == {"code", "message", "details"}
    assert AuditEvent.objects.filter(action="create").count() == before


def test_the_daily_reminders_command_reports_what_it_sent(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    services.add_step(
        counsellor(world),
        world.person,
        {
            "kind": StepKind.WORKSHOP,
            "responsible_organisation": world.centre,
            "responsible_user": counsellor(world),
            "planned_start": timezone.localdate() - timedelta(days=20),
            "planned_end": timezone.localdate() - timedelta(days=2),
        },
        channel=UI,
    )
    out = StringIO()
    call_command("counselling_reminders", stdout=out)
    assert "1 overdue step(s)" in out.getvalue()
    assert Notification.objects.filter(user=counsellor(world), title="A path step is overdue").exists()
    out = StringIO()
    call_command("counselling_reminders", stdout=out)
    assert "0 overdue step(s)" in out.getvalue(), "each step is reminded once"


def test_expiring_residence_titles_are_reminded_once_per_expiry(world: World) -> None:
    c = counsellor(world)
    people_service.update_person(
        c, world.person, {"assigned_counsellor": c, "residence_expires": timezone.localdate() + timedelta(days=30)}
    )
    assert services.send_reminders().expiring_titles == 1
    assert Notification.objects.filter(user=c, title__startswith="A residence title expires").count() == 1
    assert services.send_reminders().expiring_titles == 0
    people_service.update_person(c, world.person, {"residence_expires": timezone.localdate() + timedelta(days=50)})
    assert services.send_reminders().expiring_titles == 1, "a new expiry date is reminded again"


def test_a_session_held_is_published_for_monitoring_with_the_barrier_count(world: World, published: list) -> None:
    people_service.add_need(counsellor(world), world.person, NeedKind.DISABILITY, "", channel=UI)
    assess(world, low_literacy=True)
    session = services.record_session(
        counsellor(world),
        world.person,
        world.centre,
        {"kind": "vocational", "starts_at": timezone.now(), "mode": "phone"},
        channel=UI,
    )
    payload = next(p for e, p in published if e == services.SESSION_HELD)
    assert payload == {
        "session_id": session.pk,
        "person_id": world.person.pk,
        "organisation_id": world.centre.pk,
        "kind": "vocational",
        "barrier_count": 2,
    }
    services.record_session(
        counsellor(world),
        world.person,
        world.centre,
        {"kind": "vocational", "starts_at": timezone.now() + timedelta(days=3), "mode": "phone"},
        channel=UI,
    )
    assert [e for e, _p in published].count(services.SESSION_HELD) == 1, "a planned session is not held yet"


def test_accepting_a_referral_for_a_step_hands_the_step_to_the_receiver(world: World) -> None:
    step = services.add_step(
        counsellor(world),
        world.person,
        {"kind": StepKind.LANGUAGE_COURSE, "responsible_organisation": world.centre},
        channel=UI,
    )
    consent_to_ngo(world, ["identity"])
    referral = services.send_referral(
        counsellor(world), world.person, world.ngo, service="Polish B1", scope=[], step=step, channel=UI
    )
    ngo = world.users["ngo_counsellor"]
    assert not ngo.has_perm("counselling.update_step", step)
    services.answer_referral(ngo, referral, accept=True, channel=UI)
    step.refresh_from_db()
    assert step.responsible_organisation == world.ngo and step.responsible_user == ngo and step.version == 2
    assert ngo.has_perm("counselling.update_step", step)
    response = signed_in(ngo).post(
        reverse("counselling:step_edit", args=[step.pk]),
        {
            "status": "in_progress",
            "actual_start": timezone.localdate().isoformat(),
            "result": "",
            "version": services.step_version(step),
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("counselling:referrals")
    step.refresh_from_db()
    assert step.status == StepStatus.IN_PROGRESS and step.version == 3


def test_a_receiving_organisation_gets_through_the_api_only_what_the_consent_covers(world: World) -> None:
    consent = consent_to_ngo(world, ["contact"], purpose="mentoring")
    consent_service.share_person(counsellor(world), world.person, world.ngo, purpose=consent.purpose, scope=["contact"])
    ngo = signed_in(world.users["ngo_counsellor"])
    data = ngo.get(f"/api/v1/people/{world.person.pk}").json()
    assert data["family_name"] == "Shevchenko"
    assert data["birth_date"] is None and data["citizenships"] == [] and data["languages"] == []
    assert data["residence_status"] == "" and data["residence_expires"] is None
    full = signed_in(counsellor(world)).get(f"/api/v1/people/{world.person.pk}").json()
    assert full["birth_date"] == "1988-04-12" and full["languages"]
    page = ngo.get(reverse("core:person", args=[world.person.pk])).content.decode()
    assert "1988" not in page and "shared with your organisation" in page


def test_a_receiver_with_the_path_in_its_consent_never_reads_the_holders_psychological_notes(world: World) -> None:
    from tests.factories import staff

    ngo_psychologist = staff(Role.PSYCHOLOGIST, world.ngo)
    services.record_session(
        world.users[Role.PSYCHOLOGIST],
        world.person,
        world.centre,
        {"kind": "psychological", "starts_at": timezone.now(), "mode": "video"},
        note_group=SensitiveGroup.PSYCHOLOGICAL,
        note="Flashbacks at night",
        channel=UI,
    )
    consent_to_ngo(world, ["identity", "path"])
    services.send_referral(counsellor(world), world.person, world.ngo, service="Therapy", scope=["path"], channel=UI)
    sessions = selectors.sessions_of(ngo_psychologist, world.person)
    assert len(sessions) == 1, "the path scope shows the holder's sessions"
    assert sessions[0][1] == [], "but not the notes the holder's staff wrote"
    page = signed_in(ngo_psychologist).get(reverse("core:person", args=[world.person.pk]) + "?tab=sessions")
    assert page.status_code == 200 and "Flashbacks" not in page.content.decode()
    ngo_session = services.record_session(
        ngo_psychologist,
        world.person,
        world.ngo,
        {"kind": "psychological", "starts_at": timezone.now(), "mode": "video"},
        note_group=SensitiveGroup.PSYCHOLOGICAL,
        note="First therapy session",
        channel=UI,
    )
    assert [n.body for s, notes in selectors.sessions_of(ngo_psychologist, world.person) for n in notes] == [
        "First therapy session"
    ]
    assert ngo_session.organisation == world.ngo
