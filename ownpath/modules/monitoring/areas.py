"""Areas are organisations: metropolis → county → municipality, with institutions below any of them.

A fact is counted in the institution it happened at and in every area above it, and in "all" (area 0, the
whole deployment). ``chain`` says which, from the organisation tree as it is now; a rebuild applies today's
tree to every fact.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ownpath.core.choices import OrganisationKind
from ownpath.core.models import Organisation

LEVELS = ("organisation_id", "municipality_id", "county_id", "metropolis_id")
AREA_KINDS = {
    OrganisationKind.MUNICIPALITY: "municipality_id",
    OrganisationKind.COUNTY: "county_id",
    OrganisationKind.METROPOLIS: "metropolis_id",
}
LEVEL_NAMES = {
    "organisation_id": _("Institution"),
    "municipality_id": _("Municipality"),
    "county_id": _("County"),
    "metropolis_id": _("Metropolis"),
}
ALL = 0


@dataclass(frozen=True)
class Tree:
    parent: dict[int, int | None]
    kind: dict[int, str]
    name: dict[int, str]

    def chain(self, organisation_id: int | None) -> dict[str, int | None]:
        result: dict[str, int | None] = dict.fromkeys(LEVELS)
        if organisation_id is None or organisation_id not in self.parent:
            return result
        result["organisation_id"] = organisation_id
        node: int | None = organisation_id
        seen: set[int] = set()
        while node is not None and node not in seen:
            seen.add(node)
            level = AREA_KINDS.get(self.kind[node])  # type: ignore[call-overload]
            if level and result[level] is None:
                result[level] = node
            node = self.parent.get(node)
        return result

    def level_of(self, area_id: int) -> str:
        if area_id == ALL:
            return "all"
        return AREA_KINDS.get(self.kind.get(area_id, ""), "organisation_id")  # type: ignore[call-overload]

    def children(self, area_id: int) -> list[int]:
        """The areas one level down (a county's municipalities; a metropolis's counties), else institutions."""
        if area_id == ALL:
            tops = [o for o, k in self.kind.items() if k == OrganisationKind.METROPOLIS]
            return sorted(tops, key=lambda o: self.name[o])
        below = [o for o, p in self.parent.items() if p == area_id]
        areas = [o for o in below if self.kind[o] in AREA_KINDS]
        return sorted(areas or below, key=lambda o: self.name[o])

    def areas(self) -> list[int]:
        """Every area (metropolises, counties, municipalities), by level then name."""
        order = {"metropolis_id": 0, "county_id": 1, "municipality_id": 2}
        found = [o for o, k in self.kind.items() if k in AREA_KINDS]
        return sorted(found, key=lambda o: (order[AREA_KINDS[self.kind[o]]], self.name[o]))  # type: ignore[index]

    def ancestors(self, area_id: int) -> list[int]:
        chain, node, seen = [], self.parent.get(area_id), set()
        while node is not None and node not in seen:
            seen.add(node)
            chain.append(node)
            node = self.parent.get(node)
        return chain


def tree() -> Tree:
    rows = list(Organisation.objects.values_list("pk", "parent_id", "kind", "name"))
    return Tree({r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows}, {r[0]: r[3] for r in rows})
