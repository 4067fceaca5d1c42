"""Every module's pages and every API operation, as every role and as an anonymous visitor: the answer the
table in ``tests/access_matrix_table.py`` declares. The targets come from the URL conf and the OpenAPI schema,
so a new page or operation without a line in the table fails ``test_the_table_covers_every_page_and_operation``.

One client per role, no browser: a GET for a page (or an empty POST where the page only takes POSTs), an empty
JSON body for an API write. Objects the world has (the person, the centre, the employer) are real; every other
id exists nowhere, so the test checks each refusal (sign in, 403, 404) and that nothing answers 500.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from django.test import Client

from tests.access_matrix import ROLES, _api_uuid_params, fill, method_of, request, targets
from tests.access_matrix_table import EXPECTED, expected_status
from tests.conftest import World, signed_in


def _values(world: World) -> dict[str, int]:
    return {
        "person_id": world.person.pk,
        "organisation_id": world.centre.pk,
        "employer_id": world.employer.pk,
    }


# The table is drafted from what each role sees today (scripts/access_matrix_table.py) and reviewed line by
# line; until it is filled the two table tests skip, and the run still fails on any 500.
TABLE_FILLED = bool(EXPECTED)


def test_the_table_covers_every_page_and_operation() -> None:
    if not TABLE_FILLED:
        pytest.skip("tests/access_matrix_table.py is not filled yet (see its docstring)")
    keys = {target.key for target in targets()}
    missing = sorted(keys - set(EXPECTED))
    stale = sorted(set(EXPECTED) - keys)
    assert not missing, "Declare who may use these in tests/access_matrix_table.py:\n" + "\n".join(missing)
    assert not stale, "No longer in the URL conf or the API schema:\n" + "\n".join(stale)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_operation_answers_each_role_as_declared(world: World, role: str) -> None:
    if not TABLE_FILLED and not os.environ.get("OWNPATH_MATRIX_DUMP"):
        pytest.skip("tests/access_matrix_table.py is not filled yet (see its docstring)")
    _api_uuid_params()
    client = Client() if role == "anonymous" else signed_in(world.users[role])
    values = _values(world)
    seen: dict[str, tuple[str, int, float]] = {}
    failures = []
    for target in targets():
        declared = EXPECTED.get(target.key)
        method = method_of(target, declared[0] if declared else None)
        started = time.perf_counter()
        status = request(client, target, method, fill(target.path, values))
        if declared is None and status == 405 and method == "GET":  # a page that only takes POSTs
            method = "POST"
            status = request(client, target, method, fill(target.path, values))
        seen[target.key] = (method, status, round((time.perf_counter() - started) * 1000, 1))
        if status >= 500:
            failures.append(f"{target.key} as {role}: {status}")
        elif declared is not None and status != expected_status(declared[1], role):
            failures.append(f"{target.key} as {role}: {status}, declared {expected_status(declared[1], role)}")
    dump = os.environ.get("OWNPATH_MATRIX_DUMP")
    if dump:  # scripts/access_matrix_table.py writes the table's first draft from these
        Path(dump, f"{role}.json").write_text(json.dumps(seen, indent=0, sort_keys=True))
        return
    assert not failures, "\n".join(failures)
