from django.urls import path

from ownpath.modules.matching import views

app_name = "matching"
urlpatterns = [
    path("esco/", views.esco_search, name="esco_search"),
    path("people/<int:person_id>/", views.profile_action, name="profile_action"),
    path("people/<int:person_id>/jobs/", views.person_jobs, name="person_jobs"),
    path("people/<int:person_id>/resume.json", views.resume_export, name="resume_export"),
    path("people/<int:person_id>/cv.pdf", views.cv_pdf, name="cv_pdf"),
    path("vacancies/<int:vacancy_id>/", views.vacancy, name="vacancy"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<int:proposal_id>/", views.proposal, name="proposal"),
]
