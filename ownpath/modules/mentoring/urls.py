from django.urls import path

from ownpath.modules.mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("mentors/new/", views.mentor_new, name="mentor_new"),
    path("mentors/<uuid:mentor_id>/", views.mentor, name="mentor"),
    path("mentees/new/", views.mentee_new, name="mentee_new"),
    path("mentees/<uuid:mentee_id>/", views.mentee, name="mentee"),
    path("matches/new/", views.run_new, name="run_new"),
    path("matches/<uuid:run_id>/", views.run, name="run"),
    path("pairs/<uuid:pair_id>/", views.pair, name="pair"),
    path("mine/", views.mine, name="mine"),
    path("report/", views.report, name="report"),
    path("contract/<str:token>/", views.contract, name="contract"),
]
