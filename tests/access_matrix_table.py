"""Who may use each page and API operation: ``key: (method, spec)``.

``spec`` reads ``"<anonymous> | <status> <who> | ... | <everyone else>"``: ``who`` is a group below or
roles joined with ``+``. ``ngo_counsellor`` is a counsellor of another organisation, which the person's record
is not shared with.
"""

from __future__ import annotations

GROUPS: dict[str, set[str]] = {
    # Literal role sets, written here rather than imported from the modules' rules: the table says what the
    # roles should get, so a changed role set in a module shows up as a failure, not as a new expectation.
    "casework": {
        "org_admin",
        "counsellor",
        "psychologist",
        "legal_adviser",
        "cultural_mediator",
        "helpline_operator",
        "mentoring_coordinator",
        "ngo_counsellor",
    },
    "helpline": {"helpline_operator", "org_admin", "psychologist", "cultural_mediator"},
    "coordinators": {"mentoring_coordinator", "org_admin"},
    "providers": {"org_admin", "trainer"},
    "surveys": {"network_admin", "org_admin", "migration_team_coordinator", "counsellor", "mentoring_coordinator"},
}

EXPECTED: dict[str, tuple[str, str]] = {}


def expected_status(spec: str, role: str) -> int:
    parts = [part.strip() for part in spec.split("|")]
    if role == "anonymous":
        return int(parts[0])
    for part in parts[1:-1]:
        status, who = part.split(" ", 1)
        roles: set[str] = set()
        for name in who.split("+"):
            roles |= GROUPS.get(name, {name})
        if role in roles:
            return int(status)
    return int(parts[-1])
