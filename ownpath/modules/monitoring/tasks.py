from __future__ import annotations

from django.tasks import task


@task()
def refresh() -> int:
    """Recompute the figures new facts changed (queued by ``aggregate.fact_added``)."""
    from ownpath.modules.monitoring.aggregate import refresh_dirty

    return refresh_dirty()


@task()
def rebuild() -> dict[str, int]:
    from ownpath.modules.monitoring.aggregate import rebuild as rebuild_all

    return rebuild_all()
