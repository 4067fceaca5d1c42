"""The core event bus. Modules publish and subscribe here instead of importing each other.

Handlers are registered by a module's ``ModuleConfig.event_handlers`` and run after the surrounding
transaction commits, so nobody reacts to a write that was rolled back. A failing handler is logged and
does not stop the others; work that takes time belongs in a background task the handler enqueues.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from ownpath.core.registry import registry

logger = logging.getLogger(__name__)

# Events published by core. Payloads carry ids, never personal data.
PERSON_CREATED = "core.person_created"  # person_id, organisation_id, actor_id
PERSON_UPDATED = "core.person_updated"  # person_id, fields, actor_id
PERSON_ERASED = "core.person_erased"  # person_id, actor_id: modules delete what they hold
PERSON_SHARED = "core.person_shared"  # person_id, organisation_id, purpose, consent_id
CONSENT_WITHDRAWN = "core.consent_withdrawn"  # person_id, consent_id, purpose
# A caller handed over between modules (helpline → counselling) through core.Handover.
HANDOVER_CREATED = "core.handover_created"  # handover_id, to_organisation_id, source, source_ref
HANDOVER_ANSWERED = "core.handover_answered"  # handover_id, source, source_ref, status, person_id
# A helpline contact ended (for statistics and monitoring); no caller data.
HELPLINE_CONTACT_RECORDED = (
    "helpline.contact_recorded"  # contact_id, organisation_id, channel, language, topics, outcome
)
# Between booking and employers (neither imports the other): a CV sent with consent, and the answer.
CV_SENT_TO_EMPLOYER = "booking.cv_sent"  # sending_id, cv_id, person_id, employer_id
EMPLOYER_ANSWERED_CV = "employers.cv_answered"  # sending_id, answer, note
# A trainee completed a course (mentoring's training gate, monitoring's "officials trained").
TRAINING_COMPLETED = "training.completed"
# ^ enrolment_id, curriculum_key, purpose, organisation_id, trainee_organisation_id, user_id, person_id, completed_on
# Vacancies and hires (matching keeps its index current; monitoring counts hires).
VACANCY_CHANGED = "employers.vacancy_changed"  # vacancy_id, employer_id, status
PERSON_HIRED = "employers.person_hired"  # hire_id, person_id, employer_id, vacancy_id, starts_on
# A person's level in a language changed (monitoring's language progress); CEFR steps, no levels kept.
LANGUAGE_LEVEL_CHANGED = "core.language_level_changed"  # person_id, organisation_id, language, steps
# A mentoring pair met (monitoring's "mentor pairs active").
MENTORING_MEETING_LOGGED = "mentoring.meeting_logged"  # meeting_id, pair_id, organisation_id, person_id, held_on
# A candidate's skills, occupations or availability changed (matching's index of candidates).
CANDIDATE_CHANGED = "matching.candidate_changed"  # person_id


def publish(event: str, **payload: Any) -> None:
    """Deliver ``event`` to its handlers once the current transaction commits."""
    transaction.on_commit(lambda: dispatch(event, payload))


def dispatch(event: str, payload: dict[str, Any]) -> None:
    for handler in registry.handlers_for(event):
        try:
            handler(**payload)
        except Exception:
            logger.exception("handler %s of %s failed", getattr(handler, "__qualname__", handler), event)
