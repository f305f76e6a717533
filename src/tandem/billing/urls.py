from django.urls import path, re_path

from tandem.billing import views

app_name = "billing"

# ids are at most 18 digits: a longer number is a 404, never a database overflow
urlpatterns = [
    path("account/documents/", views.documents, name="documents"),
    re_path(
        r"^account/documents/invoices\.(?P<file_format>csv|xlsx)$",
        views.invoice_export,
        name="invoice_export",
    ),
    re_path(
        r"^account/documents/invoices/(?P<invoice_id>[0-9]{1,18})\.(?P<file_format>pdf|ubl\.xml|fa3\.xml)$",
        views.invoice_download,
        name="invoice_download",
    ),
    re_path(
        r"^account/documents/dispatch-notes/(?P<shipment_id>[0-9]{1,18})\.pdf$",
        views.dispatch_note_download,
        name="dispatch_note",
    ),
    path("account/documents/statement.pdf", views.statement_download, name="statement"),
]
