from django.urls import path

from tandem.quotes import resale_views as views

app_name = "resale"

urlpatterns = [
    path("account/resale-offers/", views.offer_list, name="list"),
    path("account/resale-offers/new/", views.offer_new, name="new"),
    path("account/resale-offers/<int:offer_id>/", views.offer_edit, name="edit"),
    path("account/resale-offers/<int:offer_id>/finalize/", views.offer_finalize, name="finalize"),
    path("account/resale-offers/<int:offer_id>/delete/", views.offer_delete, name="delete"),
    path("account/resale-offers/<int:offer_id>.pdf", views.offer_pdf, name="pdf"),
    path("account/company/logo/", views.company_logo, name="logo"),
]
