"""Structured e-invoices from issued invoices and credit notes.

``invoice_ubl``: UBL 2.1 Invoice / CreditNote, EN 16931 in the Peppol BIS Billing 3.0
profile. ``invoice_fa3``: the Polish KSeF FA(3) XML, for Polish sellers
(``ksef_applicable``). Both read only the document's snapshot; docs/einvoices.md maps the
fields.
"""

from tandem.billing.einvoice.ksef import invoice_fa3, ksef_applicable
from tandem.billing.einvoice.ubl import invoice_ubl

__all__ = ["invoice_fa3", "invoice_ubl", "ksef_applicable"]
