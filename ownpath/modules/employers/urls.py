from django.urls import path

from ownpath.modules.employers import views

app_name = "employers"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.employer_new, name="employer_new"),
    path("<int:employer_id>/", views.employer, name="employer"),
    path("<int:employer_id>/vacancies/new/", views.vacancy_edit, name="vacancy_new"),
    path("<int:employer_id>/vacancies/<int:vacancy_id>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("agreements/<int:agreement_id>/", views.agreement_action, name="agreement_action"),
    path("vacancies/<int:vacancy_id>/", views.vacancy, name="vacancy"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:vacancy_id>/", views.job, name="job"),
    path("events/", views.events, name="events"),
    path("events/<int:event_id>/", views.event, name="event"),
    path("events/<int:event_id>/join/", views.event_public, name="event_public"),
    path("package/", views.articles, name="articles"),
    path("package/<slug:key>/", views.article, name="article"),
    path("good-practices/", views.practices, name="practices"),
    path("people/<int:person_id>/hire/", views.hire_new, name="hire_new"),
    path("hires/<int:hire_id>/", views.hire, name="hire"),
]
