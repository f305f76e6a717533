"""Invoices, credit notes and dispatch notes: issuing them (by hand and automatically), reading
them with their tenancy, and their PDF, XLSX/CSV and API forms. E-invoices are in ``einvoice``."""
