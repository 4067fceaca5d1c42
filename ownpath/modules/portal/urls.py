from __future__ import annotations

from django.urls import path

from ownpath.modules.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.service_finder, name="finder"),
    path("services/<str:service_id>/", views.service_page, name="service"),
    path("services/<str:service_id>/feedback/", views.feedback, name="feedback"),
    path("services/<str:service_id>/leaflet/", views.leaflet_toggle, name="leaflet_toggle"),
    path("leaflet/", views.leaflet, name="leaflet"),
    path("account/", views.account, name="account"),
    path("me/", views.me, name="me"),
    path("account/code/", views.verify, name="verify"),
    path("claims/", views.claims, name="claims"),
    path("claims/<int:claim_id>/", views.claim_decide, name="claim_decide"),
]
