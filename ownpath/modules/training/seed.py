"""The three curricula ownpath ships as editable seed content, written for this project.

Each is loaded once (``services.ensure_seed_curricula``, run by a data migration and by the demo) as
version 1, published, owned by the network (no organisation). After that they are ordinary curricula:
trainers edit them, translate them and make new versions. Texts are in English (the original); titles and
summaries also come in Polish and Ukrainian, marked as human translations.
"""

from __future__ import annotations

from typing import Any

SEED_CURRICULA: list[dict[str, Any]] = [
    {
        "key": "intercultural-competence",
        "purpose": "intercultural",
        "title": "Intercultural competence for social-service staff",
        "summary": (
            "A short course for staff of job centres, social-assistance centres, municipal offices and NGOs "
            "who serve migrants and refugees: how culture and migration shape what people expect from an "
            "office, how to communicate across languages, and how to spot and remove barriers in one's own "
            "service. Usable as a two-day course or as a unit of postgraduate studies."
        ),
        "audience": "Front-line staff and managers of public services and NGOs.",
        "translations": {
            "pl": {
                "title": "Kompetencje międzykulturowe dla pracowników służb społecznych",
                "summary": "Krótki kurs dla pracowników urzędów pracy, ośrodków pomocy społecznej, urzędów "
                "i organizacji pozarządowych, którzy obsługują migrantów i uchodźców.",
            },
            "uk": {
                "title": "Міжкультурна компетентність для працівників соціальних служб",
                "summary": "Короткий курс для працівників центрів зайнятості, соціальних служб, установ і "
                "громадських організацій, які обслуговують мігрантів і біженців.",
            },
        },
        "modules": [
            {
                "title": "Culture, migration and the first contact",
                "description": "What migrants bring to the first meeting with an office, and what the office brings.",
                "lessons": [
                    {
                        "title": "Iceberg of culture",
                        "minutes": 90,
                        "objectives": "Participants name visible and hidden layers of culture and recognise "
                        "their own cultural assumptions about punctuality, hierarchy and directness.",
                        "methods": "Mini-lecture, pair work, the iceberg exercise, debrief.",
                        "steps": "1. Warm-up: a greeting in five languages (10 min). 2. Mini-lecture on the "
                        "iceberg model (15 min). 3. Pairs sort 20 behaviour cards above or below the waterline "
                        "(25 min). 4. Plenary: which of these behaviours meet our office rules? (30 min). "
                        "5. Each participant writes one assumption they will check at work (10 min).",
                        "materials": [("Iceberg cards (printable)", "https://example.org/ownpath/iceberg-cards")],
                    },
                    {
                        "title": "The migration journey and its effect on trust",
                        "minutes": 90,
                        "objectives": "Understand stages of migration, loss of status and how experiences with "
                        "authorities at home and on the way shape trust in an office.",
                        "methods": "Case stories, small-group discussion.",
                        "steps": "1. Three anonymised case stories read in groups (30 min). 2. Map the "
                        "moments where trust was won or lost (30 min). 3. Plenary: what our office can change "
                        "(30 min).",
                    },
                ],
            },
            {
                "title": "Communication across languages",
                "description": "Plain language, working with interpreters and cultural mediators.",
                "lessons": [
                    {
                        "title": "Working with an interpreter",
                        "minutes": 120,
                        "objectives": "Plan and run a conversation through an interpreter: seating, first "
                        "person, short turns, confidentiality, checking understanding.",
                        "methods": "Demonstration, role play in threes (client, official, interpreter).",
                        "steps": "1. Demonstration of a poor and a good interpreted conversation (20 min). "
                        "2. Role play in threes, rotating roles (60 min). 3. Debrief with a checklist (40 min).",
                    },
                    {
                        "title": "Plain language in letters and forms",
                        "minutes": 90,
                        "objectives": "Rewrite an official letter so that a reader with A2 language level "
                        "understands what to do, by when and where.",
                        "methods": "Before-and-after examples, individual rewriting, peer review.",
                        "steps": "1. Five rules of plain language (15 min). 2. Rewrite a real letter (45 "
                        "min). 3. Swap and check against the rules (30 min).",
                    },
                ],
            },
            {
                "title": "Barriers in our own service",
                "description": "Analysing and removing barriers: a small audit of one service.",
                "lessons": [
                    {
                        "title": "Barrier walk-through",
                        "minutes": 120,
                        "objectives": "Walk through one service from the migrant's side and list barriers "
                        "(language, documents, opening hours, digital access, attitudes).",
                        "methods": "Service mapping, barrier checklist, action plan.",
                        "steps": "1. Choose one service and draw its steps (30 min). 2. Mark barriers with "
                        "the checklist (45 min). 3. Agree three changes with an owner and a date (45 min).",
                    }
                ],
            },
        ],
        "assessments": [
            {
                "title": "Knowledge check",
                "kind": "quiz",
                "instructions": "Twenty questions on the course content; 60 % to pass.",
                "max_score": 20,
                "pass_score": 12,
            },
            {
                "title": "Barrier action plan",
                "kind": "practical",
                "instructions": "A one-page plan of three changes in the participant's own service.",
                "max_score": 10,
                "pass_score": 6,
            },
        ],
    },
    {
        "key": "mentor-path",
        "purpose": "mentor_path",
        "title": "The mentor and peer-mentor path",
        "summary": (
            "For people who want to accompany a migrant on the way to work, whatever their formal "
            "education: volunteers, staff of social institutions, and peer mentors who have walked the same "
            "path (came as a refugee, had a diploma recognised, started work as a single parent). Completing "
            "it is what makes a mentor available for matching."
        ),
        "audience": "Would-be mentors and peer mentors.",
        "translations": {
            "pl": {
                "title": "Ścieżka kształcenia mentorów i peer-mentorów",
                "summary": "Dla osób, które chcą towarzyszyć migrantowi w drodze do pracy, niezależnie od "
                "wykształcenia: wolontariuszy, pracowników instytucji i peer-mentorów.",
            },
            "uk": {
                "title": "Шлях навчання менторів і рівних менторів",
                "summary": "Для людей, які хочуть супроводжувати мігранта на шляху до роботи, незалежно "
                "від освіти: волонтерів, працівників установ і рівних менторів.",
            },
        },
        "modules": [
            {
                "title": "The mentor's role",
                "description": "Who a mentor and a peer mentor are, what they do and what they do not do.",
                "lessons": [
                    {
                        "title": "Mentor, peer mentor, counsellor: who does what",
                        "minutes": 90,
                        "objectives": "Describe the mentor's role and its limits; know when to pass a "
                        "question to the counsellor, the psychologist or the legal adviser.",
                        "methods": "Discussion, role cards, case sorting.",
                        "steps": "1. What a good mentor did for me (round, 20 min). 2. Sort 15 requests: "
                        "mentor, counsellor or someone else (40 min). 3. Agree the limits (30 min).",
                    }
                ],
            },
            {
                "title": "Building the contract",
                "description": "Goal, rules of cooperation, duration, meeting frequency, forms of contact.",
                "lessons": [
                    {
                        "title": "A contract both can keep",
                        "minutes": 120,
                        "objectives": "Write with a mentee a contract with a measurable goal, rules, duration, "
                        "meeting frequency, forms of contact and confidentiality.",
                        "methods": "Worked example, pair practice with a contract template.",
                        "steps": "1. Parts of a contract (20 min). 2. Pairs draft a contract for a case "
                        "(60 min). 3. Another pair checks: is the goal measurable? (40 min).",
                    }
                ],
            },
            {
                "title": "Recognising needs and planning the work",
                "description": "Needs, possibilities and conditions; a work programme with the mentee.",
                "lessons": [
                    {
                        "title": "Needs and potential",
                        "minutes": 90,
                        "objectives": "Recognise a mentee's needs, strengths and conditions (childcare, "
                        "health, documents) and turn them into a work programme with small steps.",
                        "methods": "Case analysis, strengths map.",
                        "steps": "1. Strengths map of a case (30 min). 2. From needs to steps (40 min). "
                        "3. Review (20 min).",
                    },
                    {
                        "title": "Active listening",
                        "minutes": 90,
                        "objectives": "Use open questions, paraphrase and summary; notice one's own urge to advise.",
                        "methods": "Exercises in threes with an observer.",
                        "steps": "1. Demonstration (15 min). 2. Three rounds in threes (60 min). 3. Debrief (15 min).",
                    },
                ],
            },
            {
                "title": "Using one's own experience to start change",
                "description": "How a peer mentor's story helps, and when it gets in the way.",
                "lessons": [
                    {
                        "title": "My story as a tool",
                        "minutes": 90,
                        "objectives": "Tell one's own experience briefly and purposefully; keep the focus on "
                        "the mentee.",
                        "methods": "Storytelling with feedback.",
                        "steps": "1. Write a two-minute version of one's story (20 min). 2. Tell it in "
                        "pairs and get feedback (50 min). 3. Rules for using it (20 min).",
                    }
                ],
            },
        ],
        "assessments": [
            {
                "title": "Contract and work programme for a case",
                "kind": "practical",
                "instructions": "Write the contract and the first month's work programme for a given case.",
                "max_score": 10,
                "pass_score": 6,
            },
            {
                "title": "Observed listening conversation",
                "kind": "observation",
                "instructions": "A 15-minute conversation observed by the trainer with the listening checklist.",
                "max_score": 10,
                "pass_score": 6,
            },
        ],
    },
    {
        "key": "plain-language-instructors",
        "purpose": "plain_language",
        "title": "Plain language and guiding people of other cultures for workplace instructors",
        "summary": (
            "For workplace instructors and team leaders who introduce new colleagues from abroad to the "
            "job: explaining tasks and safety rules in plain language, showing instead of telling, checking "
            "understanding without embarrassment, and building a team where questions are welcome."
        ),
        "audience": "Workplace instructors, team leaders, HR staff of partner employers.",
        "translations": {
            "pl": {
                "title": "Prosty język i prowadzenie osób z innych kultur dla instruktorów pracy",
                "summary": "Dla instruktorów i liderów zespołów, którzy wprowadzają do pracy nowych "
                "współpracowników z zagranicy.",
            },
            "uk": {
                "title": "Проста мова та супровід людей інших культур для інструкторів на робочому місці",
                "summary": "Для інструкторів і керівників команд, які вводять у роботу нових колег з-за кордону.",
            },
        },
        "modules": [
            {
                "title": "Explaining work in plain language",
                "description": "Short sentences, one instruction at a time, pictures and demonstration.",
                "lessons": [
                    {
                        "title": "Instructions that work",
                        "minutes": 90,
                        "objectives": "Give a work instruction in plain language, with demonstration and a "
                        "check of understanding.",
                        "methods": "Demonstration, practice at a real workstation, feedback.",
                        "steps": "1. Show-tell-do-check method (20 min). 2. Practice with a task from the "
                        "participant's workplace (50 min). 3. Feedback round (20 min).",
                    },
                    {
                        "title": "Safety rules everyone understands",
                        "minutes": 60,
                        "objectives": "Turn the workplace's safety rules into a one-page picture guide.",
                        "methods": "Group work with the company's own rules.",
                        "steps": "1. Pick the five most important rules (15 min). 2. Draw and word them "
                        "plainly (35 min). 3. Test on a colleague (10 min).",
                    },
                ],
            },
            {
                "title": "Guiding a new colleague from another culture",
                "description": "The first weeks: expectations, feedback, language support at the workplace.",
                "lessons": [
                    {
                        "title": "The first four weeks",
                        "minutes": 90,
                        "objectives": "Plan an induction with check-ins, a buddy and language support; give "
                        "feedback that is understood the same way across cultures.",
                        "methods": "Planning template, role play of a feedback talk.",
                        "steps": "1. Induction plan (40 min). 2. Feedback role play (40 min). 3. Commitments (10 min).",
                    }
                ],
            },
        ],
        "assessments": [
            {
                "title": "Plain-language instruction",
                "kind": "observation",
                "instructions": "The participant gives one real work instruction, observed by the trainer.",
                "max_score": 10,
                "pass_score": 6,
            }
        ],
    },
]
