from django.urls import path

from tandem.messaging import views

app_name = "messaging"

urlpatterns = [
    path("account/inbox/", views.inbox, name="inbox"),
    path("account/inbox/read-all/", views.inbox_read_all, name="read_all"),
    path("account/inbox/<int:notification_id>/open/", views.notification_open, name="open"),
]
