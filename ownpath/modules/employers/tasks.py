from __future__ import annotations

from django.tasks import task


@task()
def expire_agreements() -> int:
    """Active agreements past their end become ended (scheduled daily); a second run finds none."""
    from ownpath.modules.employers.services import expire_agreements as expire

    return expire()
