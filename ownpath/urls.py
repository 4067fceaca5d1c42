from __future__ import annotations

from importlib.util import find_spec

from django.apps import apps
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from ownpath.api import api
from ownpath.core import views as core_views
from ownpath.core.api_contract import not_found_view as api_not_found
from ownpath.core.registry import registry

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    # The admin signs in through allauth too, so the second factor cannot be skipped.
    path("admin/login/", RedirectView.as_view(url="/accounts/login/?next=/admin/", query_string=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Whatever under /api/ no operation answers (an unknown route, an id that does not fit the path) is a
    # 404 in the API's one error shape, also with DEBUG on.
    re_path(r"^api/", api_not_found),
    path("", include("ownpath.core.urls")),
]

# A module's pages mount under /<label>/ when it has a urls.py; a root_urls.py adds paths at the root
# (the directory's /hsds/ API, the portal's public pages).
for label in registry.modules:
    config = apps.get_app_config(label)
    if getattr(config, "is_core", False):
        continue
    if find_spec(f"{config.name}.urls"):
        urlpatterns.append(path(f"{label}/", include(f"{config.name}.urls")))
    if find_spec(f"{config.name}.root_urls"):
        urlpatterns.insert(0, path("", include(f"{config.name}.root_urls")))

handler400 = core_views.error_page(400, "400.html")
handler403 = core_views.error_page(403, "403.html")
handler404 = core_views.error_page(404, "404.html")
handler500 = core_views.error_page(500, "500.html")
