from django.urls import path

from ownpath.modules.helpline import views

app_name = "helpline"

urlpatterns = [
    path("", views.console, name="console"),
    path("contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/<int:contact_id>/", views.contact_detail, name="contact"),
    path("contacts/<int:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:contact_id>/crisis/", views.contact_crisis, name="contact_crisis"),
    path("contacts/<int:contact_id>/handover/", views.contact_handover, name="contact_handover"),
    path("contacts/<int:contact_id>/callback/", views.contact_callback, name="contact_callback"),
    path("contacts/<int:contact_id>/interpreter/", views.contact_interpreter, name="contact_interpreter"),
    path("contacts/<int:contact_id>/join/", views.contact_join, name="contact_join"),
    path("contacts/<int:contact_id>/interpret/", views.interpret, name="interpret"),
    path("suggest/", views.suggest, name="suggest"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("me/", views.profile, name="profile"),
    path("shifts/", views.shifts, name="shifts"),
    path("hours/", views.hours, name="hours"),
    path("topics/", views.topics, name="topics"),
    path("articles/", views.articles, name="articles"),
    path("articles/new/", views.article_edit, name="article_new"),
    path("articles/<uuid:article_id>/", views.article_detail, name="article"),
    path("articles/<uuid:article_id>/edit/", views.article_edit, name="article_edit"),
    path("articles/<uuid:article_id>/translate/", views.article_translate, name="article_translate"),
    path("chats/", views.chats, name="chats"),
    path("chats/<uuid:chat_id>/pick/", views.chat_pick, name="chat_pick"),
    path("chats/<uuid:chat_id>/", views.chat_operator, name="chat_operator"),
    path("chats/<uuid:chat_id>/poll/", views.chat_operator_poll, name="chat_operator_poll"),
    path("stats/", views.stats, name="stats"),
    path("stats.csv", views.stats_csv, name="stats_csv"),
    # Callers, without an account
    path("chat/", views.chat_start, name="chat_start"),
    path("chat/callback/", views.callback_request, name="callback_request"),
    path("chat/<str:token>/", views.chat_room, name="chat_room"),
    path("chat/<str:token>/poll/", views.chat_room_poll, name="chat_room_poll"),
]
