"""Data-subject rights: export everything held about a person, erase on request; retention sweeps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ownpath.core import events
from ownpath.core.choices import AuditAction, Channel
from ownpath.core.models import AuditEvent, Consent, Handover, Person, RetentionReport
from ownpath.core.registry import RetentionPolicy, registry
from ownpath.core.sensitivity import Lens, Sensitive, disclose, lens_for, subject_lens
from ownpath.core.services import audit

#: The models about a person that core itself exports (:func:`_everything`) and erases (:func:`_anonymise`).
CORE_MODELS = (
    "core.PersonNameKey",
    "core.PersonLanguage",
    "core.Qualification",
    "core.WorkExperience",
    "core.Need",
    "core.PersonNote",
    "core.Consent",
    "core.PersonShare",
    "core.PersonMessage",
    "core.Handover",
)
#: Models about a person kept on erasure, and why: they are exported, and hold no personal data themselves.
RETAINED = {
    "core.AuditEvent": "the access log: who read or changed the record; ids and field names, never values",
}


class ErasureRefused(Exception):
    """Erasure is not allowed now; the message says why."""


def _person_core_data(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "held_by": person.organisation.name,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "given_name_native": person.given_name_native,
        "family_name_native": person.family_name_native,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "citizenships": person.citizenship_codes,
        "email": person.email,
        "phone": person.phone,
        "city": person.city,
        "preferred_language": person.preferred_language,
        "residence_status": person.residence_status,
        "residence_document": person.residence_document,
        "residence_expires": person.residence_expires.isoformat() if person.residence_expires else None,
        "education_level": person.education_level,
        "household": {
            "adults": person.household_adults,
            "children": person.household_children,
            "youngest_child_birth_year": person.youngest_child_birth_year,
        },
        "languages": [{"language": lang.language, "level": lang.level} for lang in person.languages.all()],
        "qualifications": [
            {
                "title": q.title,
                "country": str(q.country) or None,
                "year": q.year,
                "isced_level": q.isced_level,
                "recognition": q.recognition,
            }
            for q in person.qualifications.all()
        ],
        "work_history": [
            {
                "job_title": w.job_title,
                "employer": w.employer,
                "country": str(w.country) or None,
                "start": w.start.isoformat() if w.start else None,
                "end": w.end.isoformat() if w.end else None,
            }
            for w in person.work_history.all()
        ],
        "needs": [Sensitive(n.sensitive_group, {"kind": n.kind, "details": n.details}) for n in person.needs.all()],
        "notes": [
            Sensitive(
                n.group,
                {"group": n.group, "written": n.created_at.isoformat(), "by": n.organisation.name, "text": n.body},
                author_id=n.author_id,
                organisation_id=n.organisation_id,
            )
            for n in person.notes.select_related("organisation")
        ],
        "created_at": person.created_at.isoformat(),
    }


def _everything(person: Person, lens: Lens) -> dict[str, Any]:
    """Everything held about ``person`` that ``lens`` may read, as plain JSON (every contributor's values)."""
    consents = [
        {
            "purpose": c.purpose,
            "given_to": [o.name for o in c.recipients.all()],
            "scope": c.scope,
            "given_at": c.given_at,
            "evidence": c.evidence,
            "withdrawn_at": c.withdrawn_at,
        }
        for c in Consent.objects.filter(person=person).prefetch_related("recipients")
    ]
    access_log = [
        {"at": e.at, "who": e.actor_label, "action": e.action, "purpose": e.purpose, "fields": e.fields}
        for e in AuditEvent.objects.filter(person_id=person.pk).order_by("at")
    ]
    modules: dict[str, Any] = {}
    for provider in registry.personal_data_providers:
        modules[provider.key] = provider.export(person)
    data = {
        "generated_at": timezone.now(),
        "person": _person_core_data(person),
        "consents": consents,
        "messages": [
            {"at": m.created_at.isoformat(), "organisation": m.organisation.name, "text": m.body}
            for m in person.messages.select_related("organisation").order_by("created_at")
        ],
        "shared_with": sorted({s.organisation.name for s in person.shares.select_related("organisation")}),
        "handovers": [
            {
                "at": h.created_at.isoformat(),
                "from": h.from_organisation.name,
                "to": h.to_organisation.name,
                "subject": h.subject,
                "summary": h.summary,
                "name": h.contact_name,
                "phone": h.contact_phone,
                "email": h.contact_email,
                "consent": h.consent_statement,
            }
            for h in Handover.objects.filter(person=person).select_related("from_organisation", "to_organisation")
        ],
        "access_log": access_log,
        "modules": modules,
    }
    out: dict[str, Any] = disclose(data, lens)
    out["withheld_groups"] = lens.withheld_groups
    return out


def export_person_data(actor: Any, person: Person, *, channel: Channel = Channel.UI) -> dict[str, Any]:
    """Everything held about ``person`` that ``actor`` may read (right of access, GDPR art. 15, answered
    by staff), as JSON-ready data. Sensitive groups the actor cannot read on the person page are left out
    (``withheld_groups`` names them); the person's own copy is :func:`export_for_subject`."""
    if not actor.has_perm("core.export_person", person):
        raise PermissionDenied(_("Only an administrator of the organisation holding the record can export it."))
    lens = lens_for(actor, person)
    data = _everything(person, lens)
    audit.record(
        actor,
        AuditAction.EXPORT,
        channel=channel,
        person=person,
        purpose="gdpr_access",
        detail={"withheld_groups": lens.withheld_groups},
    )
    return data


def export_for_subject(
    actor: Any, person: Person, *, request_evidence: str = "", channel: Channel = Channel.UI
) -> dict[str, Any]:
    """The data subject's own copy: every group, sensitive ones included.

    Two ways only: the person signed in with their own account (``actor.person == person``), or an
    administrator of the holder acting on the person's request, whose evidence (how and when the person
    asked) is required and kept in the audit trail.
    """
    own = getattr(person, "account_id", None) is not None and person.account_id == getattr(actor, "pk", None)
    if not own:
        if not actor.has_perm("core.export_person", person):
            raise PermissionDenied(_("Only an administrator of the organisation holding the record can export it."))
        if not request_evidence.strip():
            raise ValidationError(_("Say how and when the person asked for their data."))
    data = _everything(person, subject_lens(person))
    audit.record(
        actor,
        AuditAction.EXPORT,
        channel=channel,
        person=person,
        purpose="gdpr_access_subject",
        detail={"by": "subject" if own else "on_request", "request": request_evidence.strip()[:300]},
    )
    return data


def _anonymise(person: Person) -> None:
    for provider in registry.personal_data_providers:
        if provider.erase is not None:
            provider.erase(person)
    for related in (
        "languages",
        "qualifications",
        "work_history",
        "needs",
        "notes",
        "name_keys",
        "shares",
        "consents",
        "messages",
    ):
        getattr(person, related).all().delete()
    Handover.objects.filter(person=person).update(
        subject="—",
        summary="",
        contact_name="",
        contact_phone="",
        contact_email="",
        best_time="",
        reason="",
        consent_statement="—",
        source_ref="",
    )
    _close_account(person)
    person.given_name = person.family_name = "—"
    person.given_name_native = person.family_name_native = ""
    person.birth_date = person.residence_expires = None
    person.citizenships = []  # type: ignore[assignment]
    person.email = person.phone = person.city = person.residence_document = ""
    person.education_level = person.household_adults = person.household_children = None
    person.youngest_child_birth_year = None
    person.assigned_counsellor = None
    person.is_anonymised = True
    person.save()


def _close_account(person: Person) -> None:
    """The person's own sign-in account goes with the record: it holds their name and address."""
    account = person.account
    if account is None:
        return
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.filter(user=account).delete()
    Authenticator.objects.filter(user=account).delete()
    account.notifications.all().delete()
    account.api_tokens.all().delete()
    account.first_name = account.last_name = ""
    account.email = ""
    account.username = f"erased-{account.pk}"
    account.is_active = False
    account.set_unusable_password()
    account.save()


def erase_person(actor: Any, person: Person, *, reason: str, channel: Channel = Channel.UI) -> Person:
    """Anonymise ``person`` (right to erasure, GDPR art. 17) unless a legal hold applies.

    The record stays as an empty shell so that statistics and the audit trail keep their counts; every
    module is told through the ``core.person_erased`` event to delete what it holds.
    """
    if not actor.has_perm("core.erase_person", person):
        raise PermissionDenied(_("Only an administrator of the organisation holding the record can erase it."))
    if person.is_anonymised:
        raise ErasureRefused(_("This record has already been erased."))
    if person.legal_hold_reason:
        audit.record(
            actor,
            AuditAction.DENIED,
            channel=channel,
            person=person,
            purpose="gdpr_erasure",
            detail={"reason": "legal_hold"},
        )
        raise ErasureRefused(
            _("The record is under a legal hold and cannot be erased: %(reason)s")
            % {"reason": person.legal_hold_reason}
        )
    with transaction.atomic():
        _anonymise(person)
        audit.record(
            actor, AuditAction.ERASE, channel=channel, person=person, purpose="gdpr_erasure", detail={"reason": reason}
        )
        events.publish(events.PERSON_ERASED, person_id=person.pk, actor_id=getattr(actor, "pk", None))
    return person


def _due(policy: RetentionPolicy, now: Any) -> Any:
    cutoff = now - timedelta(days=policy.days)
    return policy.model_class()._default_manager.filter(
        **{f"{policy.date_field}__lt": cutoff}, **dict(policy.extra_filter)
    )


def build_retention_report() -> RetentionReport:
    """Find what every retention policy would delete now, and store it for a person to review."""
    now = timezone.now()
    findings = {
        policy.key: {
            "label": str(policy.label),
            "days": policy.days,
            "ids": list(_due(policy, now).values_list("pk", flat=True)),
        }
        for policy in registry.retention_policies
    }
    return RetentionReport.objects.create(findings=findings)


@transaction.atomic
def apply_retention_report(report: RetentionReport) -> dict[str, int]:
    """Delete (people: anonymise) what the report listed and is still due; the rest is left alone."""
    if report.applied_at is not None:
        raise ValueError(f"retention report {report.pk} was applied on {report.applied_at:%Y-%m-%d}")
    now = timezone.now()
    deleted: dict[str, int] = {}
    for policy in registry.retention_policies:
        ids = report.findings.get(policy.key, {}).get("ids", [])
        due = _due(policy, now).filter(pk__in=ids)
        if policy.model == "core.Person":
            count = 0
            for person in due:
                _anonymise(person)
                audit.record(None, AuditAction.ERASE, channel=Channel.SYSTEM, person=person, purpose="retention")
                events.publish(events.PERSON_ERASED, person_id=person.pk, actor_id=None)
                count += 1
            deleted[policy.key] = count
        elif policy.scrub:
            from django.utils.module_loading import import_string

            deleted[policy.key] = import_string(policy.scrub)(due)
        else:
            deleted[policy.key] = due.delete()[0]
    report.applied_at = now
    report.deleted = deleted
    report.save(update_fields=["applied_at", "deleted"])
    return deleted
