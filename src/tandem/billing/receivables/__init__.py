"""What customers owe and pay: the ledger and credit position, received payments and their
allocation to invoices, instalments, bank statement import, reminders and ageing."""
