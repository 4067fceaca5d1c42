#!/usr/bin/env python3
"""Draft lines for tests/access_matrix_table.py from what each role saw.

    OWNPATH_MATRIX_DUMP=/tmp/m pytest tests/test_access_matrix_every_module.py -k declared
    python scripts/access_matrix_table.py /tmp/m

Prints ``EXPECTED`` entries (every role's status folded into the table's spec) for the keys given on the
command line after the directory, or for all. Read each line before pasting it: the table is what the roles
*should* get, and a draft only records what they *do* get.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.access_matrix import ROLES
from tests.access_matrix_table import GROUPS


def spec_for(statuses: dict[str, int]) -> str:
    staff = [role for role in ROLES if role != "anonymous"]
    default = Counter(statuses[role] for role in staff).most_common(1)[0][0]
    parts = [str(statuses["anonymous"])]
    for status in sorted({statuses[role] for role in staff} - {default}):
        roles = {role for role in staff if statuses[role] == status}
        names = [name for name, members in GROUPS.items() if members == roles]
        parts.append(f"{status} {names[0] if names else '+'.join(sorted(roles))}")
    parts.append(str(default))
    return " | ".join(parts)


def main() -> None:
    folder = Path(sys.argv[1])
    seen = {role: json.loads((folder / f"{role}.json").read_text()) for role in ROLES}
    wanted = set(sys.argv[2:])
    for key in sorted(seen["counsellor"]):
        if wanted and key not in wanted:
            continue
        methods = {seen[role][key][0] for role in ROLES}
        method = "POST" if "POST" in methods else sorted(methods)[0]
        statuses = {role: seen[role][key][1] for role in ROLES}
        print(f"    {key!r}: ({method!r}, {spec_for(statuses)!r}),")


if __name__ == "__main__":
    main()
