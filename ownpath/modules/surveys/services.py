"""Writes of the surveys module: building and importing questionnaires, links, invitations and answers.

Every function checks what it is given and raises ``ValidationError`` (messages in the user's language)
before anything is written; each runs in one transaction, so a refused change leaves nothing behind.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ownpath.core.choices import AuditAction, Channel, ConsentPurpose
from ownpath.core.models import Consent, Organisation, Person
from ownpath.core.rules import require
from ownpath.core.services import audit
from ownpath.modules.surveys import collect, expressions, xlsform
from ownpath.modules.surveys.models import (
    CHOICE_TYPES,
    Audience,
    Link,
    Mode,
    Question,
    QuestionType,
    Response,
    Status,
    Survey,
    hash_key,
)

NAME = xlsform.NAME
LANGUAGE = xlsform.LANGUAGE_CODE
EXPRESSION_FIELDS = ("relevant", "constraint", "required_if", "calculation")


CHANGERS_ONLY = gettext_lazy(
    "Only coordinators, counsellors and administrators of the survey's organisation may change it."
)


def _editable(survey: Survey) -> None:
    if survey.responses.exists():
        raise ValidationError(
            _("People have answered this survey: its questions can no longer change. Copy it instead.")
        )


def _languages(languages: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(code.strip() for code in languages if code.strip()))
    if not cleaned:
        raise ValidationError({"languages": _("Give at least one language.")})
    bad = [code for code in cleaned if not LANGUAGE.match(code)]
    if bad:
        raise ValidationError({"languages": _("Not a language code: %(codes)s.") % {"codes": ", ".join(bad)}})
    return cleaned


# --- Surveys -------------------------------------------------------------------------------------------------


@transaction.atomic
def create_survey(
    actor: Any,
    organisation: Organisation,
    *,
    titles: dict[str, str],
    languages: list[str],
    audience: str = Audience.OTHER,
    mode: str = Mode.ANONYMOUS,
    min_group_size: int = 10,
    form_id: str = "",
    template_key: str = "",
    channel: Channel = Channel.UI,
) -> Survey:
    require(
        actor,
        "surveys.build_at",
        organisation,
        _("Only coordinators, counsellors and administrators may build surveys here."),
    )
    languages = _languages(languages)
    titles = {k: v.strip() for k, v in titles.items() if v and v.strip()}
    errors: dict[str, str] = {}
    if not titles:
        errors["titles"] = _("Give the survey a title.")
    if audience not in Audience.values:
        errors["audience"] = _("Choose who the survey is for.")
    if mode not in Mode.values:
        errors["mode"] = _("Choose how answers are collected.")
    if not 5 <= int(min_group_size) <= 1000:
        errors["min_group_size"] = _("The minimum group size is between 5 and 1,000.")
    form_id = slugify(form_id or next(iter(titles.values()), ""))[:80] or "survey"
    if Survey.objects.filter(organisation=organisation, form_id=form_id).exists():
        form_id = f"{form_id[:70]}-{secrets.token_hex(3)}"
    if errors:
        raise ValidationError(errors)
    survey = Survey.objects.create(
        organisation=organisation, form_id=form_id, titles=titles, languages=languages, audience=audience,
        mode=mode, min_group_size=min_group_size, template_key=template_key, created_by=actor,
    )  # fmt: skip
    audit.record(actor, AuditAction.CREATE, channel=channel, obj=survey, organisation_id=organisation.pk)
    return survey


@transaction.atomic
def set_status(actor: Any, survey: Survey, status: str, *, channel: Channel = Channel.UI) -> Survey:
    require(actor, "surveys.edit_survey", survey, CHANGERS_ONLY)
    if status not in Status.values:
        raise ValidationError(_("Unknown status."))
    if (
        status == Status.OPEN
        and not survey.questions.exclude(type__in=[QuestionType.NOTE, QuestionType.CALCULATE]).exists()
    ):
        raise ValidationError(_("Add at least one question before opening the survey."))
    survey.status = status
    survey.save(update_fields=["status", "updated_at"])
    audit.record(actor, AuditAction.UPDATE, channel=channel, obj=survey, fields=["status"])
    return survey


@transaction.atomic
def pair(actor: Any, survey: Survey, other: Survey | None, *, channel: Channel = Channel.UI) -> None:
    """Make ``survey`` and ``other`` a mirrored pair (both directions), or undo the pairing with None."""
    require(actor, "surveys.edit_survey", survey, CHANGERS_ONLY)
    if other is not None:
        require(actor, "surveys.edit_survey", other, CHANGERS_ONLY)
        if other.pk == survey.pk:
            raise ValidationError(_("A survey cannot mirror itself."))
    for old in (survey.mirror, getattr(survey, "mirrored_by", None)):
        if old is not None:
            Survey.objects.filter(pk=old.pk).update(mirror=None)
    Survey.objects.filter(pk=survey.pk).update(mirror=None)
    if other is not None:
        Survey.objects.filter(Q(mirror=other) | Q(pk=other.pk)).update(mirror=None)
        Survey.objects.filter(pk=survey.pk).update(mirror=other)
    audit.record(actor, AuditAction.UPDATE, channel=channel, obj=survey, fields=["mirror"])


# --- Questions -----------------------------------------------------------------------------------------------


def _check_expressions(survey: Survey, question: Question, others: list[Question]) -> None:
    names = {q.name for q in others} | {question.name}
    errors: dict[str, str] = {}
    for field in EXPRESSION_FIELDS:
        text = getattr(question, field).strip()
        if not text:
            continue
        try:
            node = expressions.parse(text)
        except expressions.ExpressionError as error:
            errors[field] = str(error)
            continue
        unknown = sorted(expressions.references(node) - names)
        if unknown:
            errors[field] = _("No question named %(names)s.") % {"names": ", ".join("${" + n + "}" for n in unknown)}
        elif field == "constraint" and question.name in expressions.references(node):
            errors[field] = _("A constraint checks its own answer with a dot (.).")
        elif field != "constraint" and question.name in expressions.references(node):
            errors[field] = _("A question cannot depend on its own answer.")
    if errors:
        raise ValidationError(errors)
    dependencies: dict[str, set[str]] = {}
    for q in [*others, question]:
        for field in ("relevant", "required_if", "calculation"):
            text = getattr(q, field).strip()
            if text:
                dependencies.setdefault(q.name, set()).update(
                    expressions.references(expressions.parse(text)) - {q.name}
                )
    circle = expressions.cycle(dependencies)
    if circle:
        raise ValidationError(
            {"relevant": _("The conditions go round in a circle: %(chain)s.") % {"chain": " → ".join(circle)}}
        )


def _check_question(survey: Survey, question: Question) -> None:
    errors: dict[str, str] = {}
    if not NAME.match(question.name or ""):
        errors["name"] = _("A question needs a name of letters, digits and _.")
    elif survey.questions.filter(name=question.name).exclude(pk=question.pk).exists():
        errors["name"] = _("Another question of this survey has this name.")
    if question.type not in QuestionType.values:
        errors["type"] = _("Unknown or unsupported question type %(type)s.") % {"type": repr(question.type)}
    if not any(v.strip() for v in question.labels.values()) and question.type != QuestionType.CALCULATE:
        errors["labels"] = _("Give the question a label.")
    if question.type in CHOICE_TYPES:
        names = [c.get("name", "") for c in question.choices]
        if len(names) < 2:
            errors["choices"] = _("Give at least two options.")
        elif len(set(names)) != len(names) or not all(NAME.match(n) or n.isdigit() for n in names):
            errors["choices"] = _("Each option needs its own name of letters, digits and _.")
    else:
        question.choices = []
    if question.type == QuestionType.CALCULATE and not question.calculation.strip():
        errors["calculation"] = _("A calculation needs a formula.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_question(
    actor: Any, survey: Survey, question: Question | None = None, *, channel: Channel = Channel.UI, **values: Any
) -> Question:
    require(actor, "surveys.edit_survey", survey, CHANGERS_ONLY)
    _editable(survey)
    if question is None:
        last = survey.questions.order_by("-position").values_list("position", flat=True).first()
        question = Question(survey=survey, position=(last or 0) + 1)
    for key, value in values.items():
        setattr(question, key, value.strip() if isinstance(value, str) and key != "name" else value)
    question.name = (question.name or "").strip()
    _check_question(survey, question)
    _check_expressions(survey, question, list(survey.questions.exclude(pk=question.pk)))
    question.save()
    audit.record(actor, AuditAction.UPDATE, channel=channel, obj=survey, fields=["questions"])
    return question


@transaction.atomic
def delete_question(actor: Any, question: Question, *, channel: Channel = Channel.UI) -> None:
    survey = question.survey
    require(actor, "surveys.edit_survey", survey, CHANGERS_ONLY)
    _editable(survey)
    users = [
        q.name for q in survey.questions.exclude(pk=question.pk)
        if any("${" + question.name + "}" in getattr(q, f) for f in EXPRESSION_FIELDS)
    ]  # fmt: skip
    if users:
        raise ValidationError(
            _("Questions %(names)s refer to this one: change them first.") % {"names": ", ".join(users)}
        )
    question.delete()
    audit.record(actor, AuditAction.UPDATE, channel=channel, obj=survey, fields=["questions"])


@transaction.atomic
def move_question(actor: Any, question: Question, step: int) -> None:
    survey = question.survey
    require(actor, "surveys.edit_survey", survey, CHANGERS_ONLY)
    ordered = list(survey.questions.all())
    index = ordered.index(question)
    target = index + step
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
        for position, q in enumerate(ordered, start=1):
            if q.position != position:
                Question.objects.filter(pk=q.pk).update(position=position)


# --- XLSForm -------------------------------------------------------------------------------------------------


def _texts(texts: dict[str, str], languages: list[str]) -> dict[str, str]:
    """XLSForm texts keyed by language; a column without a language counts as the form's first language."""
    result = {k: v for k, v in texts.items() if k != "default"}
    if "default" in texts and languages and languages[0] not in result:
        result[languages[0]] = texts["default"]
    return result


@transaction.atomic
def import_xlsform(
    actor: Any,
    organisation: Organisation,
    data: bytes,
    *,
    audience: str = Audience.OTHER,
    mode: str = Mode.ANONYMOUS,
    min_group_size: int = 10,
    channel: Channel = Channel.UI,
) -> Survey:
    """A new draft survey from an XLSForm workbook; ``xlsform.XLSFormError`` names every problem."""
    form = xlsform.read(data)
    languages = form.languages or ["en"]
    survey = create_survey(
        actor, organisation, titles={languages[0]: form.title or form.form_id or _("Imported survey")},
        languages=languages, audience=audience, mode=mode, min_group_size=min_group_size, form_id=form.form_id,
        channel=channel,
    )  # fmt: skip
    Question.objects.bulk_create(questions_from_form(form, survey))
    audit.record(actor, AuditAction.CREATE, channel=channel, obj=survey, fields=["xlsform"])
    return survey


def questions_from_form(form: xlsform.Form, survey: Survey) -> list[Question]:
    """The survey's questions (not yet saved) from a form read by ``xlsform.read``."""
    languages = form.languages or ["en"]
    questions = []
    for position, item in enumerate(form.questions, start=1):
        kind = item.type
        if kind == "select_one" and "likert" in item.appearance:
            kind = QuestionType.SCALE
        choices = [
            {"name": c.name, "labels": _texts(c.labels, languages)} for c in form.choices.get(item.list_name, [])
        ]
        exprs = {k: expressions_text(item, k) for k in ("relevant", "constraint", "required", "calculation")}
        questions.append(Question(
            survey=survey, position=position, name=item.name, type=kind, labels=_texts(item.labels, languages),
            hints=_texts(item.hints, languages), list_name=item.list_name, choices=choices, group=item.group,
            relevant=exprs["relevant"], constraint=exprs["constraint"],
            constraint_messages=_texts(item.constraint_messages, languages), required=item.required,
            required_if=exprs["required"], calculation=exprs["calculation"],
        ))  # fmt: skip
    return questions


def expressions_text(question: xlsform.Question, column: str) -> str:
    return question.texts.get(column, "") if question.expressions.get(column) is not None else ""


# --- Collection ----------------------------------------------------------------------------------------------


@transaction.atomic
def create_link(actor: Any, survey: Survey, label: str = "", *, channel: Channel = Channel.UI) -> Link:
    require(actor, "surveys.edit_survey", survey, CHANGERS_ONLY)
    if survey.mode != Mode.ANONYMOUS:
        raise ValidationError(_("Answers to this survey are linked to people: invite each person instead."))
    link = Link.objects.create(survey=survey, label=label.strip()[:120], created_by=actor)
    audit.record(actor, AuditAction.CREATE, channel=channel, obj=link, organisation_id=survey.organisation_id)
    return link


@transaction.atomic
def deactivate_link(actor: Any, link: Link) -> None:
    require(actor, "surveys.edit_survey", link.survey, CHANGERS_ONLY)
    link.is_active = False
    link.save(update_fields=["is_active"])


def _new_response(survey: Survey, language: str, **values: Any) -> tuple[Response, str]:
    key = secrets.token_urlsafe(24)
    first = collect.State(survey, {}).next_page(-1)  # skip pages whose questions are all hidden at the start
    response = Response.objects.create(
        survey=survey, resume_hash=hash_key(key), language=language, page=first or 0, **values
    )
    return response, key


def start_anonymous(link: Link, language: str) -> tuple[Response, str]:
    """A new anonymous response through ``link``: nothing about who or where is kept, only the date."""
    survey = link.survey
    if not link.is_active or survey.status != Status.OPEN or survey.mode != Mode.ANONYMOUS:
        raise ValidationError(_("This survey is not open for answers."))
    return _new_response(survey, survey.language_for(language), link=link)


def survey_consent(person: Person, survey: Survey) -> Consent | None:
    now = timezone.now()
    return (
        Consent.objects.filter(
            person=person,
            purpose=ConsentPurpose.SURVEY,
            given_at__lte=now,
            withdrawn_at__isnull=True,
            recipients=survey.organisation,
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("-given_at")
        .first()
    )


@transaction.atomic
def invite(actor: Any, survey: Survey, person: Person, *, channel: Channel = Channel.UI) -> tuple[Response, str]:
    """A personal invitation: a response linked to ``person``, allowed only by their consent to surveys."""
    if not actor.has_perm("core.view_person", person):
        raise PermissionDenied(_("You cannot work with this person's record."))
    if survey.mode != Mode.LINKED:
        raise ValidationError(_("Answers to this survey are anonymous: share a link instead."))
    if survey.status != Status.OPEN:
        raise ValidationError(_("This survey is not open for answers."))
    consent = survey_consent(person, survey)
    if consent is None:
        raise ValidationError(
            _("%(person)s has no active consent to surveys by %(organisation)s. Record the consent first.")
            % {"person": person, "organisation": survey.organisation}
        )
    if survey.responses.filter(person=person, submitted_on__isnull=True).exists():
        raise ValidationError(_("This person has an unfinished invitation to this survey already."))
    response, key = _new_response(
        survey, survey.language_for(person.preferred_language or "en"), person=person, consent=consent
    )
    audit.record(actor, AuditAction.CREATE, channel=channel, person=person, obj=response, purpose="survey")
    return response, key


def find_response(key: str) -> Response | None:
    return Response.objects.select_related("survey").filter(resume_hash=hash_key(key)).first()


@transaction.atomic
def answer(response: Response, page_index: int, posted: Any, shown: set[str], action: str) -> collect.PageResult:
    """Apply one page of answers. ``action`` is "next" or "back".

    On an error or a newly shown question nothing is saved and the page comes back; "back" keeps what was
    posted only when it is valid. Once every page is done, the response is submitted.
    """
    response = Response.objects.select_for_update().get(pk=response.pk)
    survey = response.survey
    if response.submitted or survey.status != Status.OPEN:
        raise ValidationError(_("This survey is not open for answers."))
    state = collect.State(survey, response.answers)
    if not 0 <= page_index < len(state.pages) or page_index != response.page:
        raise ValidationError(_("This page is out of date: here is where you are now."))
    result = collect.answer_page(state, state.pages[page_index], posted, shown, response.language)
    if action == "back":
        if result.errors:
            result.errors.clear()
            state = collect.State(survey, response.answers)
        result.appeared.clear()
        previous = state.previous_page(page_index)
        response.answers, response.page = state.answers, previous if previous is not None else page_index
        response.save(update_fields=["answers", "page"])
        return result
    if not result.ok:
        return result
    response.answers = state.answers
    following = state.next_page(page_index)
    if following is not None:
        response.page = following
    else:
        gap = state.first_gap()
        if gap is not None:
            response.page = gap
        else:
            response.submitted_on = timezone.localdate()
    response.save(update_fields=["answers", "page", "submitted_on"])
    return result


def set_language(response: Response, language: str) -> None:
    if language in response.survey.languages and not response.submitted:
        Response.objects.filter(pk=response.pk).update(language=language)
        response.language = language


# --- Privacy -------------------------------------------------------------------------------------------------


def unlink_withdrawn(person_id: int, consent_id: int, purpose: str, **_payload: Any) -> None:
    """When a consent to surveys is withdrawn, its answers stay as anonymous answers without the person."""
    if purpose == ConsentPurpose.SURVEY:
        Response.objects.filter(person_id=person_id, consent_id=consent_id).update(person=None, consent=None)


def erase_person(person: Person) -> None:
    Response.objects.filter(person=person).delete()


def export_person(person: Person) -> list[dict[str, Any]]:
    return [
        {"survey": r.survey.title(r.language), "language": r.language, "started_on": r.started_on.isoformat(),
         "submitted_on": r.submitted_on.isoformat() if r.submitted_on else None, "answers": r.answers}
        for r in Response.objects.filter(person=person).select_related("survey")
    ]  # fmt: skip


# --- Templates -----------------------------------------------------------------------------------------------


def _from_spec(actor: Any, organisation: Organisation, spec: dict[str, Any], key: str, channel: Channel) -> Survey:
    from ownpath.modules.surveys.mirrored import AGREE, BARRIERS, LANGUAGES, YES_NO

    lists = {id(AGREE): "agree", id(BARRIERS): "barriers", id(YES_NO): "yes_no"}
    survey = create_survey(
        actor, organisation, titles=spec["titles"], languages=LANGUAGES, audience=spec["audience"],
        form_id=spec["form_id"], template_key=key, channel=channel,
    )  # fmt: skip
    for position, item in enumerate(spec["questions"], start=1):
        choices = item.get("choices", [])
        Question.objects.create(
            survey=survey, position=position, name=item["name"], type=item["type"], labels=item["labels"],
            list_name=lists.get(id(choices), item["name"]) if choices else "",
            choices=[{"name": name, "labels": labels} for name, labels in choices], group=item.get("group", ""),
            relevant=item.get("relevant", ""), constraint=item.get("constraint", ""),
            constraint_messages=item.get("constraint_messages", {}), required=item.get("required", False),
            mirror_key=item.get("mirror", ""), is_attribute=item.get("is_attribute", False),
        )  # fmt: skip
    return survey


@transaction.atomic
def from_template(
    actor: Any, organisation: Organisation, key: str, *, channel: Channel = Channel.UI
) -> tuple[Survey, Survey]:
    """The mirrored pair ``key`` as two draft surveys of ``organisation``, paired with each other."""
    from ownpath.modules.surveys.mirrored import TEMPLATES

    if key not in TEMPLATES:
        raise ValidationError(_("No such template."))
    first, second = (_from_spec(actor, organisation, spec, key, channel) for spec in TEMPLATES[key])
    pair(actor, first, second, channel=channel)
    first.refresh_from_db()
    return first, second
