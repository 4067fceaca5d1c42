"""schemathesis over every operation of the published OpenAPI, against the WSGI application in-process:
zero server errors, and every answer (status, content type, body) as the schema says.

Bounded so it fits the suite: ``EXAMPLES`` valid and ``NEGATIVE_EXAMPLES`` invalid requests per operation,
no shrinking, no example database. Set ``OWNPATH_FUZZ_EXAMPLES`` for a longer sweep, e.g.
``OWNPATH_FUZZ_EXAMPLES=100 .venv/bin/pytest tests/test_api_fuzz.py``."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ownpath.core.choices import Role
from ownpath.core.models import ApiToken, Membership
from tests.conftest import World

EXAMPLES = int(os.environ.get("OWNPATH_FUZZ_EXAMPLES", "3"))
NEGATIVE_EXAMPLES = max(1, EXAMPLES // 2)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def _run(operation: Any, mode: GenerationMode, examples: int, headers: dict[str, str], ids: dict[str, int]) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), real_id=st.booleans())
    def check(case: Any, real_id: bool) -> None:
        # Half the cases address records that exist, so the fuzzer gets past the 404s.
        if real_id and case.path_parameters:
            for name in case.path_parameters:
                if name in ids:
                    case.path_parameters[name] = ids[name]
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The real WSGI application, but keeping the test's database connection open between requests (as
    Django's test client does): its transaction holds the test data."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.postgres
def test_every_operation_answers_as_the_schema_says(world: World, wsgi_app: Any) -> None:
    random.seed(26)
    # One caller with every role at the centre (and the employer's contact role), so the cases get past
    # the permission checks of every module.
    fuzzer = world.users[Role.COUNSELLOR]
    for role in Role:
        organisation = world.employer if role == Role.EMPLOYER_CONTACT else world.centre
        Membership.objects.get_or_create(user=fuzzer, organisation=organisation, role=role)
    _token, key = ApiToken.issue(fuzzer, "fuzz")
    # In-process WSGI does not decompress: ask for the bodies as they are (GZipMiddleware compresses otherwise).
    headers = {"Authorization": f"Bearer {key}", "Accept-Encoding": "identity"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    ids = {"person_id": world.person.pk}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 100
    failures: list[str] = []
    for operation in operations:
        for mode, examples in ((GenerationMode.POSITIVE, EXAMPLES), (GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES)):
            try:
                _run(operation, mode, examples, headers, ids)
            except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure, then report them all
                if isinstance(exc, Unsatisfiable) and mode is GenerationMode.NEGATIVE:
                    continue  # nothing invalid to send (a lone free-text path parameter)
                failures.append(f"{operation.label} [{mode.value}]: {exc}"[:1500])
    assert not failures, "\n\n".join(failures)
