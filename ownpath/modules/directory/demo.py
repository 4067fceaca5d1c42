"""An invented directory of the Pomeranian network, loaded through the HSDS importer itself."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import translation

from ownpath.core.models import Organisation
from ownpath.modules.directory import hsds, services, taxonomy
from ownpath.modules.directory.models import Service

NS = uuid.UUID("0d6c9d7a-8a43-4c3a-9b1e-5a2f6e1c7b90")


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NS, "/".join(parts)))


# slug of the ownpath organisation, name, description, locations: (name, street, postcode, city, lat, lon)
ORGANISATIONS = [
    (
        "rumia-library",
        "Rumia Public Library",
        "The town library runs free Polish courses and a job club.",
        [("Rumia Library, main branch", "ul. Starowiejska 6", "84-230", "Rumia", 54.5707, 18.3880)],
    ),
    (
        "migrant-rights",
        "Foundation for Migrant Rights",
        "Free legal advice on residence and work for foreigners.",
        [("Migrant Rights office", "ul. Długa 45", "80-827", "Gdańsk", 54.3489, 18.6520)],
    ),
    (
        "ukrainian-house",
        "Ukrainian House Gdynia",
        "Community centre for Ukrainians: advice, courses, psychological help.",
        [("Ukrainian House", "ul. Świętojańska 36", "81-372", "Gdynia", 54.5169, 18.5389)],
    ),
    (
        "career-centre",
        "Intercultural Career Counselling Centre",
        "Career counselling, recognition of diplomas and job search.",
        [("Career Centre", "ul. Długa 10", "80-827", "Gdańsk", 54.3487, 18.6537)],
    ),
    (
        "labour-office",
        "County Labour Office in Wejherowo",
        "Registration, vocational training and job offers.",
        [("Labour Office", "ul. Sobieskiego 279A", "84-200", "Wejherowo", 54.6044, 18.2370)],
    ),
]

# key, organisation slug, term code, name, description, languages, opening (days, from, to), fee, documents
SERVICES: list[tuple[Any, ...]] = [
    (
        "polish-a1",
        "rumia-library",
        "language_courses",
        "Polish course A1–A2 for adults",
        "Free evening Polish course in small groups, with childcare during the lessons.",
        ["pl", "uk", "ru"],
        ("MO,WE", "17:00:00", "19:00:00"),
        0,
        ["Identity document"],
    ),
    (
        "job-club",
        "rumia-library",
        "workshops",
        "Job club: CV and interviews",
        "Weekly workshop: write a Polish CV, practise job interviews, find offers.",
        ["pl", "uk"],
        ("TU", "16:00:00", "18:00:00"),
        0,
        [],
    ),
    (
        "legal-uk",
        "migrant-rights",
        "legal_advice",
        "Legal advice on residence and work (in Ukrainian)",
        "Lawyers explain residence permits, temporary protection, work permits and contracts. In Ukrainian, Russian and Polish.",
        ["uk", "ru", "pl"],
        ("MO,TU,WE,TH,FR", "09:00:00", "17:00:00"),
        0,
        ["Passport or residence card", "Work contract, if any"],
    ),
    (
        "legal-ar",
        "migrant-rights",
        "legal_advice",
        "Legal advice in Arabic and English",
        "Advice on asylum, international protection and work for Arabic speakers.",
        ["ar", "en"],
        ("TH", "12:00:00", "18:00:00"),
        0,
        ["Any decision you received"],
    ),
    (
        "psy-uk",
        "ukrainian-house",
        "psychological_help",
        "Psychological help in Ukrainian",
        "Individual and group support after war and displacement, with Ukrainian-speaking psychologists.",
        ["uk", "ru"],
        ("MO,WE,FR", "10:00:00", "16:00:00"),
        0,
        [],
    ),
    (
        "polish-b1",
        "ukrainian-house",
        "language_courses",
        "Polish B1 for work",
        "Polish for the workplace: health care, trade and logistics vocabulary. Paid course with certificate.",
        ["pl", "uk"],
        ("SA", "10:00:00", "13:00:00"),
        350,
        [],
    ),
    (
        "recognition",
        "career-centre",
        "recognition",
        "Recognition of foreign diplomas",
        "We check which route your diploma needs (nostrification or a regulated profession), which documents and translations.",
        ["pl", "en", "uk", "ru"],
        ("MO,TU,WE,TH,FR", "08:00:00", "16:00:00"),
        0,
        ["Diploma", "Transcript of records"],
    ),
    (
        "career",
        "career-centre",
        "employment_counselling",
        "Career counselling for migrants",
        "Individual career plan, job search and contact with employers, with an interpreter if needed.",
        ["pl", "en", "uk", "ar"],
        ("MO,TU,WE,TH,FR", "08:00:00", "18:00:00"),
        0,
        ["Identity document"],
    ),
    (
        "forklift",
        "labour-office",
        "vocational_training",
        "Forklift operator course",
        "Vocational course with the UDT exam, funded for registered unemployed people.",
        ["pl"],
        ("MO,TU,WE,TH,FR", "08:00:00", "15:00:00"),
        0,
        ["Registration at the labour office", "Medical certificate"],
    ),
    (
        "kindergarten",
        "ukrainian-house",
        "childcare",
        "Help finding a kindergarten place",
        "We help with applications to public nurseries and kindergartens in Gdynia.",
        ["uk", "pl"],
        ("TU,TH", "09:00:00", "14:00:00"),
        0,
        ["Child's birth certificate"],
    ),
]

TRANSLATIONS = {
    ("legal-uk", "name", "uk"): ("Юридична консультація щодо перебування та роботи (українською)", "human"),
    ("legal-uk", "description", "uk"): (
        "Юристи пояснюють дозволи на проживання, тимчасовий захист, дозволи на роботу та договори. Українською, російською та польською.",
        "human",
    ),
    ("legal-uk", "name", "pl"): ("Porady prawne: pobyt i praca (po ukraińsku)", "human"),
    ("legal-ar", "name", "ar"): ("استشارة قانونية بالعربية والإنجليزية", "human"),
    ("legal-ar", "description", "ar"): ("استشارات حول اللجوء والحماية الدولية والعمل للناطقين بالعربية.", "machine"),
    ("polish-a1", "name", "uk"): ("Курс польської мови A1–A2 для дорослих", "human"),
    ("polish-a1", "name", "pl"): ("Kurs języka polskiego A1–A2 dla dorosłych", "human"),
    ("polish-a1", "description", "pl"): (
        "Bezpłatny wieczorowy kurs polskiego w małych grupach, z opieką nad dziećmi.",
        "human",
    ),
    ("polish-a1", "name", "ar"): ("دورة اللغة البولندية A1–A2 للبالغين", "machine"),
    ("psy-uk", "name", "uk"): ("Психологічна допомога українською", "human"),
    ("career", "name", "ar"): ("الإرشاد المهني للمهاجرين", "human"),
    ("career", "name", "ru"): ("Карьерное консультирование для мигрантов", "human"),
}


def load() -> str:
    if Service.objects.filter(pk=_id("service", "legal-uk")).exists():
        return "Directory demo: already loaded."
    with translation.override("en"):
        taxonomy_record, terms = taxonomy.hsds_records()
    batch = hsds.Batch(taxonomies=[taxonomy_record], taxonomy_terms=terms)
    for slug, name, description, locations in ORGANISATIONS:
        batch.organizations.append({"id": _id("org", slug), "name": name, "description": description})
        for loc_name, street, postcode, city, lat, lon in locations:
            batch.locations.append(
                {
                    "id": _id("location", slug),
                    "organization_id": _id("org", slug),
                    "location_type": "physical",
                    "name": loc_name,
                    "latitude": lat,
                    "longitude": lon,
                    "addresses": [
                        {
                            "id": _id("address", slug),
                            "address_1": street,
                            "city": city,
                            "state_province": "pomorskie",
                            "postal_code": postcode,
                            "country": "PL",
                            "address_type": "physical",
                        }
                    ],
                    "accessibility": [{"id": _id("access", slug), "description": "Step-free entrance and lift."}],
                }
            )
    for key, slug, term, name, description, languages, (days, opens, closes), fee, documents in SERVICES:
        sid = _id("service", key)
        batch.services.append(
            {
                "id": sid,
                "organization_id": _id("org", slug),
                "name": name,
                "description": description,
                "status": "active",
                "email": f"{slug}@demo.ownpath.org",
                "application_process": "Come during opening hours or call first.",
                "languages": [{"id": _id("lang", key, code), "code": code} for code in languages],
                "schedules": [
                    {
                        "id": _id("schedule", key),
                        "freq": "WEEKLY",
                        "byday": days,
                        "opens_at": opens,
                        "closes_at": closes,
                    }
                ],
                "cost_options": [{"id": _id("cost", key), "amount": fee, "currency": "PLN"}],
                "required_documents": [{"id": _id("doc", key, d), "document": d} for d in documents],
                "phones": [{"id": _id("phone", key), "number": "+48 58 000 00 00"}],
                "attributes": [
                    {
                        "id": _id("attr", key),
                        "link_entity": "service",
                        "link_id": sid,
                        "taxonomy_term_id": taxonomy.term_id(term),
                    }
                ],
            }
        )
        batch.service_at_locations.append(
            {"id": _id("sal", key), "service_id": sid, "location_id": _id("location", slug)}
        )
    services.import_batch(batch, source_language="en")
    for slug, *_rest in ORGANISATIONS:
        owner = Organisation.objects.filter(slug=slug).first()
        from ownpath.modules.directory.models import DirectoryOrganization

        DirectoryOrganization.objects.filter(pk=_id("org", slug)).update(owner=owner)
    for (key, field, language), (text, status) in TRANSLATIONS.items():
        services.set_translation(None, "service", _id("service", key), field, language, text, status=status)
    return f"Directory demo: {len(SERVICES)} services of {len(ORGANISATIONS)} organisations, in HSDS 3.0."
