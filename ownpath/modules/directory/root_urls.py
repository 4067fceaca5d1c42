from __future__ import annotations

from django.urls import path

from ownpath.core.db import replica_urls
from ownpath.modules.directory import views
from ownpath.modules.directory.hsds_api import api

urlpatterns = [
    path("hsds/profile", views.hsds_profile, name="hsds_profile"),
    path("hsds/", replica_urls(api.urls)),
]
