from django.urls import path

from tandem.service import views

app_name = "service"

urlpatterns = [
    path("faq/", views.faq, name="faq"),
    path("assistant/", views.assistant, name="assistant"),
    path("assistant/handover/", views.assistant_handover, name="handover"),
]
