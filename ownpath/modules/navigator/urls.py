from __future__ import annotations

from django.urls import path

from ownpath.modules.navigator import views

app_name = "navigator"

urlpatterns = [
    path("", views.start_page, name="start_page"),
    path("review/", views.review, name="review"),
    path("review/<str:rule_id>/", views.mark_reviewed, name="mark_reviewed"),
    path("<str:audience>/case/", views.case, name="case"),
    path("<str:audience>/", views.start, name="start"),
    path("<str:audience>/question/", views.question, name="question"),
    path("<str:audience>/result/", views.result, name="result"),
]
