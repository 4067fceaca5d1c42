"""A bare Django view in one file, the yardstick of bench/load.py: the same gunicorn shape serves it, and each
page's throughput is read as a share of this one's (what the machine gives a Django request that does nothing).

    .venv/bin/gunicorn bench.bare:application -w 4 -k gthread --threads 16 -b 127.0.0.1:18701
"""

from __future__ import annotations

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-bare-view-" + "x" * 40,
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["*"],
        MIDDLEWARE=[],
    )


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("", hello)]
application = get_wsgi_application()
