"""The staff member's own calendar (day or week, everything every module holds) and its private feed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ownpath.core.models import CalendarFeed
from ownpath.core.services import calendar
from ownpath.core.views import require_perm


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()


@login_required
@require_http_methods(["GET", "POST"])
def my_calendar(request: HttpRequest) -> HttpResponse:
    """``?view=day|week&date=YYYY-MM-DD``; POST ``feed=new`` issues a feed address, ``feed=revoke`` ends it."""
    require_perm(request, "core.view_dashboard")
    user = request.user
    new_url = None
    notice = ""
    if request.method == "POST":
        action = request.POST.get("feed", "")
        if action == "new":
            key = calendar.issue_feed(user)  # type: ignore[arg-type]
            new_url = request.build_absolute_uri(reverse("core:calendar_feed", args=[key]))
        elif action == "revoke":
            calendar.revoke_feed(user)  # type: ignore[arg-type]
            notice = _("The feed address was revoked: calendar programs can no longer read it.")
    view = "day" if request.GET.get("view") == "day" else "week"
    chosen = _day(request.GET.get("date"))
    first = chosen if view == "day" else chosen - timedelta(days=chosen.weekday())
    length = 1 if view == "day" else 7
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(first + timedelta(days=length), time.min, tzinfo=zone)
    items = calendar.busy_times({user.pk or 0}, start, end)
    days = []
    for offset in range(length):
        current = first + timedelta(days=offset)
        days.append(
            {
                "date": current,
                "items": [i for i in items if timezone.localtime(i.start).date() == current],
                "today": current == timezone.localdate(),
            }
        )
    step = timedelta(days=length)
    return render(
        request,
        "core/calendar.html",
        {
            "view": view,
            "days": days,
            "first": first,
            "last": first + step - timedelta(days=1),
            "previous": (first - step).isoformat(),
            "next": (first + step).isoformat(),
            "chosen": chosen.isoformat(),
            "feed": CalendarFeed.objects.filter(user_id=user.pk or 0).first(),
            "new_url": new_url,
            "notice": notice,
        },
    )


@require_GET
def calendar_feed(request: HttpRequest, key: str) -> HttpResponse:
    """The private iCalendar feed: the past 30 days and the next 180, titles only; the key is the password."""
    owner = calendar.feed_owner(key)
    if owner is None:
        return HttpResponse(_("This calendar address is not valid (any more)."), status=404, content_type="text/plain")
    now = timezone.now()
    host = urlsplit(settings.OWNPATH_BASE_URL).hostname or "ownpath.local"
    with translation.override(owner.preferred_language or settings.LANGUAGE_CODE):  # the owner's, not the client's
        items = calendar.busy_times({owner.pk}, now - timedelta(days=30), now + timedelta(days=180))
        body = calendar.as_icalendar(items, name=_("ownpath: my calendar"), host=host)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
