"""The HTTP forms of a document: its PDF, its e-invoice XML, a dispatch note and an account
statement, named after the document's number. The client panel, the API and the admin all
answer with these."""

from datetime import date

from django.http import HttpResponse
from django.utils.translation import gettext as _

from tandem.billing.documents.pdf import dispatch_note_pdf, invoice_pdf, statement_pdf
from tandem.billing.models import Invoice
from tandem.core.errors import NotFound
from tandem.customers.models import Company
from tandem.orders.models import Shipment

EINVOICE_FORMATS = ("ubl", "fa3")


def _file_name(number: str, extension: str) -> str:
    return f"{number.replace('/', '-')}.{extension}"


def invoice_pdf_response(invoice: Invoice) -> HttpResponse:
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(invoice.number, "pdf")}"'
    return response


def einvoice_response(invoice: Invoice, file_format: str) -> HttpResponse:
    """UBL 2.1 (Peppol BIS 3) or FA(3) XML; a 404 that says why when the format does not
    apply to this document (FA(3): a Polish seller) or is not installed."""
    try:
        if file_format == "ubl":
            from tandem.billing.einvoice.ubl import invoice_ubl

            content, extension = invoice_ubl(invoice), "ubl.xml"
        else:
            from tandem.billing.einvoice import ksef

            if not ksef.ksef_applicable(invoice):
                raise NotFound(
                    _("FA(3) is only issued for a seller registered for VAT in Poland."),
                    code="einvoice_not_applicable",
                )
            content, extension = ksef.invoice_fa3(invoice), "fa3.xml"
    except (ModuleNotFoundError, ImportError) as error:
        raise NotFound(_("This e-invoice format is not available."), code="einvoice_unavailable") from error
    except ValueError as error:  # e.g. a VAT rate FA(3) has no field for
        raise NotFound(
            _("This document cannot be stated in this e-invoice format."), code="einvoice_not_applicable"
        ) from error
    response = HttpResponse(content, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(invoice.number, extension)}"'
    return response


def dispatch_note_response(shipment: Shipment) -> HttpResponse:
    response = HttpResponse(dispatch_note_pdf(shipment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(shipment.number, "pdf")}"'
    return response


def statement_response(company: Company, date_from: date, date_to: date) -> HttpResponse:
    response = HttpResponse(statement_pdf(company, date_from, date_to), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="statement-{date_from.isoformat()}-{date_to.isoformat()}.pdf"'
    )
    return response
