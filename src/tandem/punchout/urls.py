from django.urls import path

from tandem.punchout import views

app_name = "punchout"

urlpatterns = [
    path("punchout/oci/", views.oci_login, name="oci"),
    path("punchout/cxml/", views.cxml_entry, name="cxml"),
    path("punchout/start/<str:token>/", views.start, name="start"),
    path("punchout/transfer/", views.transfer, name="transfer"),
    path("account/company/punchout/", views.company, name="company"),
    path("account/company/punchout/<int:credential_id>/rotate/", views.rotate, name="rotate"),
    path("account/company/punchout/<int:credential_id>/deactivate/", views.deactivate, name="deactivate"),
]
