"""Demo data of the monitoring module: two years of invented, pseudonymous history in the demo metropolis
(people registered and served, paths, jobs, referrals, helpline contacts, officials trained, mentoring, language
levels), the standard-minimum checklist of its municipalities and counties, then a full rebuild. The demo's
own people add their facts through the events of the other modules, as in real use."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ownpath.core.choices import OrganisationKind
from ownpath.core.models import Membership, Organisation
from ownpath.modules.monitoring import aggregate, areas
from ownpath.modules.monitoring.checklist import applies
from ownpath.modules.monitoring.facts import age_band, new_fact
from ownpath.modules.monitoring.models import ChecklistEntry, ChecklistItem, ChecklistStatus, Fact

PEOPLE = 1500
CITIZENSHIPS = ["UA"] * 10 + ["BY"] * 3 + ["GE"] * 2 + ["IN", "PH", "SY", "TR", "UZ", "CO"]
TOPICS = ["legal_stay", "work_permit", "housing", "employment", "language", "health"]
SLUGS = {"pruszcz": 5, "kolbudy": 2, "reda": 3, "rumia": 4, "career-centre": 6, "labour-office": 3, "rumia-library": 1}


def _fact(
    rows: list[Fact], tree: areas.Tree, kind: str, source: str, on: date, organisation: int, **values: object
) -> None:
    rows.append(new_fact(kind, source, on, organisation, tree, **values))


def _history(organisations: dict[str, Organisation], today: date) -> int:
    rng = random.Random(2026)
    tree = areas.tree()
    rows: list[Fact] = []
    where = [organisations[s].pk for s in SLUGS if s in organisations]
    weights = [SLUGS[s] for s in SLUGS if s in organisations]
    start = today - timedelta(days=730)
    for n in range(1, PEOPLE + 1):
        person = -n  # pseudonymous: no record behind these ids
        birth = date(rng.randint(1962, 2007), rng.randint(1, 12), rng.randint(1, 28))
        first = start + timedelta(days=rng.randint(0, 720))
        organisation = rng.choices(where, weights)[0]
        person_values = {"person_id": person, "sex": rng.choice(["female", "female", "male", "male", "unknown"]),
                         "citizenship": rng.choice(CITIZENSHIPS)}  # fmt: skip

        def add(kind: str, on: date, key: str, person: int = person, organisation: int = organisation,
                birth: date = birth, person_values: dict[str, object] = person_values, **extra: object) -> None:  # fmt: skip
            if on <= today:
                _fact(rows, tree, kind, f"demo:{kind}:{person}:{key}", on, organisation,
                      age_band=age_band(birth, on), **person_values, **extra)  # fmt: skip

        add("registered", first, "0")
        sessions = rng.randint(1, 6)
        for s in range(sessions):
            add("served", first + timedelta(days=s * rng.randint(10, 40)), str(s))
        if rng.random() < 0.7:
            add("path_step", first + timedelta(days=rng.randint(5, 40)), "0")
        if rng.random() < 0.55:
            add("employed", first + timedelta(days=int(rng.triangular(20, 400, 120))), "0", category="employment")
        if rng.random() < 0.4:
            sent = first + timedelta(days=rng.randint(1, 60))
            add("referral_sent", sent, "0")
            if rng.random() < 0.7:
                add("referral_completed", sent + timedelta(days=rng.randint(5, 50)), "0")
        if rng.random() < 0.35:
            add("language_gain", first + timedelta(days=rng.randint(60, 300)), "pl", category="pl", value=1.0)
        if rng.random() < 0.08:
            for m in range(rng.randint(1, 8)):
                add("mentoring_meeting", first + timedelta(days=20 + 21 * m), str(m), subject=f"pair:demo{n}")
    for n in range(2400):
        on = start + timedelta(days=rng.randint(0, 730))
        contact = f"contact:demo{n}"
        for topic in rng.sample(TOPICS, rng.choice([1, 1, 1, 2])):
            _fact(rows, tree, "helpline_contact", f"demo:helpline:{n}:{topic}", on,
                  organisations["migrant-rights"].pk if "migrant-rights" in organisations else where[0],
                  subject=contact, category=topic)  # fmt: skip
    offices = [
        o for s, o in organisations.items() if o.kind in (OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY)
    ]
    for n in range(160):
        on = start + timedelta(days=rng.randint(0, 730))
        _fact(rows, tree, "training_completed", f"demo:training:{n}", on, rng.choice(offices).pk,
              subject=f"user:demo{n}", category="intercultural")  # fmt: skip
    Fact.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def _checklist(organisations: dict[str, Organisation], today: date) -> int:
    rng = random.Random(2)
    coordinator = (
        Membership.objects.filter(role="migration_team_coordinator", user__is_demo=True).select_related("user").first()
    )
    count = 0
    statuses = [ChecklistStatus.DONE] * 4 + [ChecklistStatus.IN_PROGRESS] * 3 + [ChecklistStatus.MISSING] * 2
    for year in (today.year - 1, today.year):
        for area in organisations.values():
            if area.kind not in (OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY):
                continue
            in_chain = coordinator is not None and coordinator.organisation_id in {
                area.pk,
                *(a.pk for a in area.ancestors()),
            }
            for item in ChecklistItem.objects.all():
                if not applies(item, area):
                    continue
                status = rng.choice(statuses) if year == today.year else ChecklistStatus.DONE
                figures = {key: rng.randint(1, 40) for key in item.figures} if status != ChecklistStatus.MISSING else {}
                ChecklistEntry.objects.update_or_create(area=area, period=str(year), item=item, defaults={
                    "status": status, "figures": figures, "responsible": coordinator.user if in_chain and coordinator else None,
                    "links": "https://bip.example.org/migration-team" if status == ChecklistStatus.DONE else "",
                    "notes": "", "updated_by": coordinator.user if coordinator else None,
                })  # fmt: skip
                count += 1
    return count


@transaction.atomic
def load() -> str:
    if Fact.objects.filter(source__startswith="demo:").exists():
        return "monitoring: already loaded"
    organisations = {o.slug: o for o in Organisation.objects.all()}
    if "metropolis" not in organisations:
        return "monitoring: no demo metropolis"
    today = timezone.localdate()
    facts = _history(organisations, today)
    entries = _checklist(organisations, today)
    built = aggregate.rebuild()
    return f"monitoring: {facts} invented facts, {entries} checklist entries, {len(built)} indicators built"
