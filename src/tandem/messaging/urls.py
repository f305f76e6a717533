from django.urls import path

from tandem.messaging import thread_views, views

app_name = "messaging"

urlpatterns = [
    path("account/inbox/", views.inbox, name="inbox"),
    path("account/inbox/read-all/", views.inbox_read_all, name="read_all"),
    path("account/inbox/<int:notification_id>/open/", views.notification_open, name="open"),
    path("account/messages/", thread_views.thread_list, name="threads"),
    path("account/messages/<int:thread_id>/", thread_views.thread_detail, name="thread"),
    path("rep/messages/", thread_views.rep_thread_list, name="rep_threads"),
    path("rep/messages/<int:thread_id>/", thread_views.rep_thread_detail, name="rep_thread"),
]
