from django.urls import path

from tandem.privacy import views

app_name = "privacy"

urlpatterns = [
    path("account/privacy/", views.privacy, name="account"),
    path("account/privacy/marketing/", views.marketing, name="marketing"),
    path("account/privacy/export/", views.export, name="export"),
    path("account/privacy/erase/", views.erase, name="erase"),
]
