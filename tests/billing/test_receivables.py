"""Receivables: payments and their allocation, bank statements, ageing, reminders,
adjustments and instalments."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.billing.documents.issuing import Correction, credit_note_issue, invoice_issue
from tandem.billing.models import (
    Invoice,
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentTerms,
    ReceivedPayment,
    ReminderSent,
)
from tandem.billing.receivables.reminders import reminders_send
from tandem.billing.receivables.selectors import company_overdue_days, credit_position, receivables_ageing
from tandem.billing.receivables.services import (
    AllocationRequest,
    BankFileError,
    PaymentError,
    bank_statement_import,
    instalments_create,
    invoice_open_amount,
    ledger_adjustment,
    on_invoice_issued,
    online_payment_booked,
    payment_allocate,
    payment_record,
)
from tandem.checkout.services import order_place
from tandem.core.errors import NotFound
from tandem.core.models import AuditEntry
from tandem.customers.models import CompanyRole
from tandem.customers.roles import staff_roles_sync
from tandem.messaging.models import Notification
from tests.checkout.conftest import company_details
from tests.concurrency import run_at_once
from tests.factories import (
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
)

TODAY = timezone.localdate()
NET_DAYS = 30  # make_company's payment terms


class Shop:
    """A company buying on account (net 30 days, PLN), its admin, and a product at 100.00
    net (123.00 gross, free delivery); ``invoice(units, days_overdue)`` places an order and
    invoices it so that it is that many days past its due date."""

    def __init__(self, name: str = "ACME", **company_fields):
        make_delivery("courier", price_net="0.00")
        # a generous overdue tolerance: the tests place orders next to overdue invoices
        self.company = make_company(
            name, credit_limit=Decimal("1000000"), overdue_tolerance=Decimal("1000000"), **company_fields
        )
        self.admin = make_company_user(self.company, CompanyRole.ADMIN, email=f"admin@{name.lower()}.test")
        self.address = company_address(self.company)
        self.variant = make_product(net="100.00", gross=None, stock=10000).variants.get()

    def invoice(self, units: int = 1, *, days_overdue: int = -NET_DAYS) -> Invoice:
        order = order_place(
            cart=make_cart(lines=[(self.variant, units)]),
            context=_context(self.admin),
            acting_user=self.admin,
            details=company_details(self.address.pk),
        )
        issued = TODAY - timedelta(days=NET_DAYS + days_overdue)
        return invoice_issue(order=order, actor=None, issue_date=issued)


def _context(user):
    from tests.factories import user_context

    return user_context(user)


@pytest.fixture
def shop(db) -> Shop:
    return Shop()


@pytest.fixture
def finance(db):
    staff_roles_sync()
    user = make_user("finance@shop.test", is_staff=True)
    user.groups.set(Group.objects.filter(name="Finance"))
    return type(user).objects.get(pk=user.pk)


def pay(shop: Shop, amount: str, allocations=None, **fields) -> ReceivedPayment:
    return payment_record(
        company=shop.company,
        amount=Decimal(amount),
        currency=fields.pop("currency", "PLN"),
        received_on=TODAY,
        reference="Transfer",
        actor=None,
        allocations=allocations,
        **fields,
    )


def allocated(invoice: Invoice) -> Decimal:
    return sum((row.amount for row in invoice.allocations.all()), Decimal(0))


# --- payments and allocations -----------------------------------------------------------------


def test_a_partial_payment_leaves_the_rest_of_the_invoice_open(shop):
    invoice = shop.invoice(2)  # 246.00
    pay(shop, "100.00", [AllocationRequest(invoice.number, Decimal("100.00"))])
    assert invoice_open_amount(invoice) == Decimal("146.00")
    assert credit_position(shop.company).balance == Decimal("146.00")


def test_an_overpayment_settles_the_invoice_and_stays_on_the_account_as_credit(shop):
    invoice = shop.invoice(1)  # 123.00
    payment = pay(shop, "200.00")
    assert invoice_open_amount(invoice) == 0 and allocated(invoice) == Decimal("123.00")
    assert payment.ledger_entry.credit == Decimal("200.00")
    assert credit_position(shop.company).balance == Decimal("-77.00")
    later = shop.invoice(1)
    on_invoice_issued(later)  # the credit is applied to the next invoice
    assert invoice_open_amount(later) == Decimal("46.00")


def test_a_payment_without_allocations_settles_the_oldest_invoices_first(shop):
    newest = shop.invoice(1, days_overdue=-5)
    oldest = shop.invoice(1, days_overdue=20)
    middle = shop.invoice(1, days_overdue=3)
    pay(shop, "200.00")
    assert [invoice_open_amount(invoice) for invoice in (oldest, middle, newest)] == [
        Decimal("0.00"),
        Decimal("46.00"),
        Decimal("123.00"),
    ]


def test_allocations_do_not_change_the_ledger_balance(shop):
    shop.invoice(1)
    payment = pay(shop, "50.00", [AllocationRequest(shop.invoice(1).number, Decimal("10.00"))])
    before = credit_position(shop.company)
    payment_allocate(payment=payment, allocations=[], actor=None)
    assert credit_position(shop.company) == before and before.balance == Decimal("196.00")
    assert payment.allocations.count() == 2


def test_a_payment_in_another_currency_than_the_company_s_is_refused(shop):
    shop.invoice(1)
    with pytest.raises(PaymentError) as error:
        pay(shop, "123.00", currency="EUR")
    assert error.value.code == "currency_mismatch"
    assert not ReceivedPayment.objects.exists() and not LedgerEntry.objects.filter(kind="payment").exists()


def test_another_company_s_invoice_cannot_be_paid_with_this_company_s_money(shop):
    theirs = Shop("Other").invoice(1)
    with pytest.raises(NotFound):
        pay(shop, "123.00", [AllocationRequest(theirs.number, Decimal("123.00"))])
    assert not ReceivedPayment.objects.exists() and invoice_open_amount(theirs) == Decimal("123.00")


@pytest.mark.parametrize(
    "amount, allocation",
    [("100.00", "123.00"), ("300.00", "150.00")],
    ids=["more-than-the-payment", "more-than-the-invoice"],
)
def test_allocating_more_than_there_is_is_refused(shop, amount, allocation):
    invoice = shop.invoice(1)
    with pytest.raises(PaymentError) as error:
        pay(shop, amount, [AllocationRequest(invoice.number, Decimal(allocation))])
    assert error.value.code == "over_allocated" and not ReceivedPayment.objects.exists()


def test_a_credit_note_lowers_what_an_invoice_can_be_allocated(shop):
    from tandem.billing.documents.issuing import Correction, credit_note_issue

    invoice = shop.invoice(2)
    credit_note_issue(
        invoice=invoice,
        actor=None,
        reason="One returned",
        corrections=[Correction(invoice.lines.get().pk, quantity=Decimal(1))],
    )
    assert invoice_open_amount(invoice) == Decimal("123.00")
    with pytest.raises(PaymentError):
        pay(shop, "246.00", [AllocationRequest(invoice.number, Decimal("246.00"))])


def test_an_adjustment_needs_a_reason_moves_the_balance_and_is_audited(shop, finance):
    with pytest.raises(PaymentError) as error:
        ledger_adjustment(company=shop.company, amount=Decimal("-10"), reason="  ", actor=finance)
    assert error.value.code == "reason_required"
    entry = ledger_adjustment(
        company=shop.company, amount=Decimal("-10.50"), reason="Bank fee refunded", actor=finance
    )
    assert (entry.kind, entry.credit, entry.debit) == (LedgerKind.ADJUSTMENT, Decimal("10.50"), 0)
    assert credit_position(shop.company).balance == Decimal("-10.50")
    audit = AuditEntry.objects.get(action="ledger.adjusted")
    assert audit.actor == finance and audit.changes["reason"] == "Bank fee refunded"
    assert audit.changes["amount"] == "-10.50"


def test_instalments_add_up_to_the_gross_and_fall_due_by_the_invoice_s_due_date(shop):
    PaymentTerms.objects.filter(pk=shop.company.payment_terms_id).update(instalments=3)
    shop.company.refresh_from_db()
    invoice = shop.invoice(1, days_overdue=-NET_DAYS)  # issued today, 123.00: the plan is made with it
    plan = list(invoice.instalments.order_by("due_date"))
    assert [part.amount for part in plan] == [Decimal("41.00")] * 3
    assert sum(part.amount for part in plan) == invoice.total_gross
    assert [part.due_date for part in plan] == [
        TODAY + timedelta(days=10),
        TODAY + timedelta(days=20),
        invoice.due_date,
    ]
    assert instalments_create(invoice) == []  # made once


def test_odd_instalments_give_the_last_one_the_rounding(shop):
    PaymentTerms.objects.filter(pk=shop.company.payment_terms_id).update(instalments=7)
    shop.company.refresh_from_db()
    invoice = shop.invoice(1)
    plan = list(invoice.instalments.order_by("due_date", "pk"))
    assert [part.amount for part in plan] == [Decimal("17.57")] * 6 + [Decimal("17.58")]


def test_an_instalment_past_due_is_overdue_while_the_invoice_is_not(shop):
    PaymentTerms.objects.filter(pk=shop.company.payment_terms_id).update(instalments=2)
    shop.company.refresh_from_db()
    invoice = shop.invoice(2, days_overdue=-10)  # 246.00: 123.00 due 5 days ago, 123.00 in 10 days
    on_invoice_issued(invoice)
    ageing = receivables_ageing(TODAY)
    assert (ageing.rows[0].days_1_30, ageing.rows[0].current) == (Decimal("123.00"), Decimal("123.00"))
    assert company_overdue_days(shop.company) == 5


def test_an_online_payment_of_a_company_order_is_booked_once_and_settles_its_invoice(shop):
    order = order_place(
        cart=make_cart(lines=[(shop.variant, 1)]),
        context=_context(shop.admin),
        acting_user=shop.admin,
        details=company_details(shop.address.pk, payment_method="online"),
    )
    invoice = invoice_issue(order=order, actor=None)
    payment = order.payments.get()
    Payment.objects.filter(pk=payment.pk).update(status="paid", confirmed_at=timezone.now())
    payment.refresh_from_db()
    received = online_payment_booked(payment)
    assert online_payment_booked(payment) == received and ReceivedPayment.objects.count() == 1
    assert received.source == "online" and invoice_open_amount(invoice) == 0
    assert received.ledger_entry is None and credit_position(shop.company).balance == 0


# --- bank statements ----------------------------------------------------------------------------


def statement(*lines: str, header: str = "date;amount;currency;title;counterparty") -> bytes:
    return "\n".join([header, *lines]).encode()


def test_a_bank_file_without_the_needed_columns_is_refused_as_a_whole(shop):
    with pytest.raises(BankFileError) as error:
        bank_statement_import(
            file_name="bank.csv", actor=None, content=statement("2026-01-01;10;PLN", header="date;sum;cur")
        )
    assert error.value.code == "bank_file_columns" and "amount, currency, title" in str(error.value.message)
    assert not ReceivedPayment.objects.exists()


def test_bad_lines_are_reported_one_by_one_while_good_lines_are_booked(shop):
    invoice = shop.invoice(1)
    day = TODAY.isoformat()
    report = bank_statement_import(
        file_name="bank.csv",
        actor=None,
        content=statement(
            f"{day};12x;PLN;{invoice.number};ACME",
            f"31.02.2026;123,00;PLN;{invoice.number};ACME",
            f"{day};-50,00;PLN;Card fee;Bank",
            f"{day};123,00;EUR;{invoice.number};ACME",
            f"{day};123,00;PLN",
            f"{day};123,00;PLN;{invoice.number};ACME",
        ),
    )
    assert [(line.line, line.status) for line in report.lines] == [
        (2, "invalid"),
        (3, "invalid"),
        (4, "invalid"),
        (5, "invalid"),
        (6, "invalid"),
        (7, "booked"),
    ]
    assert "12x" in report.lines[0].message and "31.02.2026" in report.lines[1].message
    assert "pays in PLN" in report.lines[3].message and "title" in report.lines[4].message
    assert invoice_open_amount(invoice) == 0 and ReceivedPayment.objects.get().source == "bank"


def test_the_same_statement_imported_twice_books_nothing_the_second_time(shop):
    invoice = shop.invoice(1)
    other = shop.invoice(2)
    content = statement(
        f"{TODAY};123.00;PLN;Zapłata za {invoice.number};ACME",
        f"{TODAY};100.00;PLN;{other.number} part;ACME",
        f"{TODAY};100.00;PLN;{other.number} part;ACME",
    )  # the line repeated in the file
    first = bank_statement_import(file_name="bank.csv", content=content, actor=None)
    assert [line.status for line in first.lines] == ["booked", "booked", "duplicate"]
    again = bank_statement_import(file_name="bank.csv", content=content, actor=None)
    assert [line.status for line in again.lines] == ["duplicate"] * 3
    assert ReceivedPayment.objects.count() == 2
    assert LedgerEntry.objects.filter(kind="payment").count() == 2
    assert invoice_open_amount(other) == Decimal("146.00")


def test_lines_are_matched_by_the_invoice_number_in_the_title_or_by_a_unique_open_amount(shop):
    by_number = shop.invoice(1)
    by_amount = shop.invoice(3)  # 369.00, the only invoice open for that amount
    twins = [shop.invoice(5), shop.invoice(5)]  # 615.00 twice: an amount cannot tell them apart
    year, serial = by_number.number.split("/")[1:]
    report = bank_statement_import(
        file_name="bank.csv",
        actor=None,
        content=statement(
            f"{TODAY};50,00;PLN;fv {year} {int(serial)};ACME",
            f"{TODAY};369,00;PLN;Payment for goods;ACME",
            f"{TODAY};615,00;PLN;Payment;ACME",
        ),
    )
    assert [line.status for line in report.lines] == ["booked", "booked", "unmatched"]
    assert report.lines[0].invoices == [by_number.number] and report.lines[1].invoices == [by_amount.number]
    assert invoice_open_amount(by_number) == Decimal("73.00") and invoice_open_amount(by_amount) == 0
    assert all(invoice_open_amount(invoice) == Decimal("615.00") for invoice in twins)
    assert report.lines[2].message and ReceivedPayment.objects.count() == 2


def test_an_unreadable_bank_file_is_a_clear_error(shop):
    with pytest.raises(BankFileError):
        bank_statement_import(file_name="bank.csv", content=b"\xff\xfe\x00broken", actor=None)


# --- ageing and reminders -----------------------------------------------------------------------


def test_ageing_puts_each_open_invoice_in_its_bucket_and_totals_them(shop):
    for units, days in [(1, 0), (2, 10), (3, 45), (4, 75), (5, 120)]:
        shop.invoice(units, days_overdue=days)
    ageing = receivables_ageing(TODAY)
    [row] = ageing.rows
    assert (row.current, row.days_1_30, row.days_31_60, row.days_61_90, row.days_over_90) == (
        Decimal("123.00"),
        Decimal("246.00"),
        Decimal("369.00"),
        Decimal("492.00"),
        Decimal("615.00"),
    )
    assert row.total == Decimal("1845.00") and row.oldest_days_overdue == 120
    assert [total.total for total in ageing.totals] == [Decimal("1845.00")]
    assert company_overdue_days(shop.company) == 120


def test_paid_invoices_leave_the_ageing(shop):
    invoice = shop.invoice(1, days_overdue=45)
    pay(shop, "123.00", [AllocationRequest(invoice.number, Decimal("123.00"))])
    assert receivables_ageing(TODAY).rows == []


def reminder_mails():
    return [
        message
        for message in mail.outbox
        if "reminder" in message.subject.lower() or "przypomnienie" in message.subject.lower()
    ]


def test_reminders_go_out_at_each_step_once(shop, settings, django_capture_on_commit_callbacks):
    settings.REMINDER_STEPS = ["3", "14", "30"]
    invoice = shop.invoice(1, days_overdue=2)
    due = invoice.due_date
    sent = []
    for day in (2, 3, 3, 10, 14, 29, 30, 31, 60):
        with django_capture_on_commit_callbacks(execute=True):
            sent.append(reminders_send(today=due + timedelta(days=day)))
    assert sent == [0, 1, 0, 0, 1, 0, 1, 0, 0]
    assert sorted(ReminderSent.objects.values_list("step", flat=True)) == [3, 14, 30]
    assert len(reminder_mails()) == 3 and reminder_mails()[0].to == [shop.admin.email]
    assert Notification.objects.filter(user=shop.admin, kind="invoice.overdue").count() == 3


def test_a_paid_invoice_is_not_reminded_of(shop, django_capture_on_commit_callbacks):
    invoice = shop.invoice(1, days_overdue=5)
    pay(shop, "123.00", [AllocationRequest(invoice.number, Decimal("123.00"))])
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 0
    assert reminder_mails() == []


def test_a_reminder_is_written_in_the_company_s_language(db, django_capture_on_commit_callbacks):
    shop = Shop("Budmax", language="pl", email="faktury@budmax.test")
    invoice = shop.invoice(1, days_overdue=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
    [message] = reminder_mails()
    assert message.to == ["faktury@budmax.test", shop.admin.email]
    assert "Faktura: " + invoice.number in message.body and "Do zapłaty: 123,00 PLN" in message.body


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_reminder_runs_at_once_send_one_e_mail_per_step():
    shop = Shop()
    shop.invoice(1, days_overdue=14)
    results = run_at_once([reminders_send, reminders_send])
    assert sorted(results) == [0, 1], results
    assert len(reminder_mails()) == 1 and ReminderSent.objects.get().step == 14


# --- the API --------------------------------------------------------------------------------


def test_finance_records_a_payment_over_the_api_with_its_allocations(shop, finance, client):
    invoice = shop.invoice(2)
    client.force_login(finance)
    response = client.post(
        "/api/v1/payments",
        {
            "company_id": shop.company.pk,
            "amount": "300.00",
            "currency": "PLN",
            "received_on": TODAY.isoformat(),
            "reference": "Przelew",
            "allocations": [{"invoice": invoice.number, "amount": "246.00"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["allocations"] == [{"invoice": invoice.number, "amount": "246.00"}]
    assert body["unallocated"] == "54.00"


@pytest.mark.parametrize(
    "change, status, code",
    [
        ({"currency": "EUR"}, 400, "currency_mismatch"),
        ({"allocations": [{"invoice": "THEIRS", "amount": "10.00"}]}, 404, "not_found"),
        ({"amount": "10.00", "allocations": [{"invoice": "MINE", "amount": "20.00"}]}, 400, "over_allocated"),
    ],
    ids=["wrong-currency", "another-company-s-invoice", "over-allocated"],
)
def test_the_api_refuses_payments_that_break_the_rules(shop, finance, client, change, status, code):
    numbers = {"MINE": shop.invoice(1).number, "THEIRS": Shop("Other").invoice(1).number}
    payload = {
        "company_id": shop.company.pk,
        "amount": "123.00",
        "currency": "PLN",
        "received_on": TODAY.isoformat(),
        **change,
    }
    for row in payload.get("allocations", []):
        row["invoice"] = numbers[row["invoice"]]
    client.force_login(finance)
    response = client.post("/api/v1/payments", payload, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not ReceivedPayment.objects.exists()


def test_a_bank_statement_is_imported_over_the_api_with_a_report_per_line(shop, finance, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    invoice = shop.invoice(1)
    content = statement(f"{TODAY};123,00;PLN;{invoice.number};ACME", f"{TODAY};abc;PLN;x;y")
    client.force_login(finance)
    response = client.post("/api/v1/payments/import", {"file": SimpleUploadedFile("bank.csv", content)})
    assert response.status_code == 200
    lines = response.json()["lines"]
    assert [(line["line"], line["status"]) for line in lines] == [(2, "booked"), (3, "invalid")]
    again = client.post("/api/v1/payments/import", {"file": SimpleUploadedFile("bank.csv", content)})
    assert again.json()["duplicates"] == 1 and ReceivedPayment.objects.count() == 1
    wrong = client.post("/api/v1/payments/import", {"file": SimpleUploadedFile("bank.csv", b"a;b\n1;2")})
    assert (wrong.status_code, wrong.json()["code"]) == (400, "bank_file_columns")


def test_a_company_s_users_read_only_their_own_ledger_and_balance(shop, client):
    invoice = shop.invoice(1, days_overdue=4)
    pay(shop, "23.00", [AllocationRequest(invoice.number, Decimal("23.00"))])
    other = Shop("Other")
    client.force_login(shop.admin)
    ledger = client.get(f"/api/v1/companies/{shop.company.pk}/ledger").json()
    assert [(row["kind"], row["balance_after"]) for row in ledger] == [
        ("invoice", "123.00"),
        ("payment", "100.00"),
    ]
    balance = client.get(f"/api/v1/companies/{shop.company.pk}/balance").json()
    assert (balance["balance"], balance["overdue"], balance["overdue_days"]) == ("100.00", "100.00", 4)
    assert balance["open_invoices"][0]["open_amount"] == "100.00"
    assert client.get(f"/api/v1/companies/{other.company.pk}/balance").status_code == 404
    assert client.get(f"/api/v1/companies/{other.company.pk}/ledger").status_code == 404


def test_a_sales_rep_reads_their_customers_accounts_only(shop, client):
    staff_roles_sync()
    rep = make_user("rep@shop.test", is_staff=True)
    rep.groups.set(Group.objects.filter(name="Sales rep"))
    type(shop.company).objects.filter(pk=shop.company.pk).update(sales_rep=rep)
    other = Shop("Other")
    other.invoice(1, days_overdue=50)
    shop.invoice(1, days_overdue=50)
    client.force_login(rep)
    assert client.get(f"/api/v1/companies/{shop.company.pk}/balance").status_code == 200
    assert client.get(f"/api/v1/companies/{other.company.pk}/balance").status_code == 404
    ageing = client.get("/api/v1/receivables/ageing").json()
    assert [row["company"] for row in ageing["rows"]] == ["ACME"]
    assert (
        client.post(
            "/api/v1/payments/1/allocations", {"allocations": []}, content_type="application/json"
        ).status_code
        == 403
    )


# --- the finance pages in the admin -------------------------------------------------------------


def test_the_ageing_page_shows_a_table_and_a_chart_and_downloads_as_xlsx(shop, finance, client):
    shop.invoice(1, days_overdue=45)
    client.force_login(finance)
    page = client.get("/admin/billing/receivedpayment/ageing/")
    assert page.status_code == 200 and b"<svg" in page.content and b"ACME" in page.content
    export = client.get("/admin/billing/receivedpayment/ageing/?format=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="receivables.exported").exists()


def test_the_ageing_workbook_keeps_a_formula_like_company_name_as_text(shop, finance, client):
    import io

    from openpyxl import load_workbook

    shop.company.name = '=HYPERLINK("http://x")'
    shop.company.save(update_fields=["name"])
    shop.invoice(1, days_overdue=45)
    client.force_login(finance)
    book = load_workbook(io.BytesIO(client.get("/admin/billing/receivedpayment/ageing/?format=xlsx").content))
    rows = list(book.active.values)
    assert rows[1][0] == '\'=HYPERLINK("http://x")' and rows[1][1] == "PLN"


def test_finance_imports_a_statement_and_records_a_payment_in_the_admin(shop, finance, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    invoice = shop.invoice(2)
    client.force_login(finance)
    page = client.post(
        "/admin/billing/receivedpayment/import/",
        {
            "file": SimpleUploadedFile(
                "bank.csv", statement(f"{TODAY};100,00;PLN;{invoice.number};ACME", f"{TODAY};1;PLN;nothing;x")
            )
        },
    )
    assert page.status_code == 200 and b"1 booked" in page.content and b"bank-line-unmatched" in page.content
    form = client.post(
        "/admin/billing/receivedpayment/record/",
        {
            "company": shop.company.pk,
            "amount": "146.00",
            "currency": "PLN",
            "received_on": TODAY.isoformat(),
            "reference": "Rest",
            "allocations": f"{invoice.number} 146.00",
        },
    )
    assert form.status_code == 302 and invoice_open_amount(invoice) == 0
    refused = client.post(
        "/admin/billing/receivedpayment/record/",
        {"company": shop.company.pk, "amount": "5.00", "currency": "EUR", "received_on": TODAY.isoformat()},
    )
    assert refused.status_code == 200 and b"pays in PLN" in refused.content
    first = ReceivedPayment.objects.first().pk
    for url in (
        "documents/",
        "documents/?format=xlsx&from=2020-01-01&to=bad",
        "unmatched/",
        "adjust/",
        "",
        f"{first}/change/",
        f"{first}/allocate/",
    ):
        assert client.get(f"/admin/billing/receivedpayment/{url}").status_code == 200, url


def test_the_finance_pages_are_closed_to_staff_without_billing_access(shop, client):
    staff_roles_sync()
    worker = make_user("warehouse@shop.test", is_staff=True)
    worker.groups.set(Group.objects.filter(name="Fulfilment"))
    client.force_login(worker)
    for url in ("ageing/", "import/", "record/", "unmatched/", "documents/"):
        assert client.get(f"/admin/billing/receivedpayment/{url}").status_code == 403, url


def test_a_line_written_differently_in_another_file_is_still_the_same_line(shop):
    invoice = shop.invoice(2)
    bank_statement_import(
        file_name="a.csv", actor=None, content=statement(f"{TODAY};100;PLN;{invoice.number};ACME")
    )
    again = bank_statement_import(
        file_name="b.csv", actor=None, content=statement(f"{TODAY};100,00;PLN;{invoice.number};ACME")
    )
    assert [line.status for line in again.lines] == ["duplicate"] and ReceivedPayment.objects.count() == 1


def test_a_buyer_reads_neither_the_ledger_nor_the_balance_over_the_api(shop, client):
    shop.invoice(1)
    client.force_login(make_company_user(shop.company, CompanyRole.BUYER))
    for what in ("ledger", "balance"):
        assert client.get(f"/api/v1/companies/{shop.company.pk}/{what}").status_code == 403
    client.force_login(make_company_user(shop.company, CompanyRole.APPROVER))  # sees the balance only
    assert client.get(f"/api/v1/companies/{shop.company.pk}/balance").status_code == 200
    assert client.get(f"/api/v1/companies/{shop.company.pk}/ledger").status_code == 403


def test_a_rep_sees_only_their_customers_invoices_and_ledger_in_the_admin(shop, client):
    staff_roles_sync()
    rep = make_user("rep@shop.test", is_staff=True)
    rep.groups.set(Group.objects.filter(name="Sales rep"))
    theirs = Shop("Mine", sales_rep=rep).invoice(1)
    other = shop.invoice(1)
    client.force_login(rep)
    listing = client.get("/admin/billing/invoice/").text
    assert theirs.number in listing and other.number not in listing
    assert client.get(f"/admin/billing/invoice/{other.pk}/download/pdf/").status_code in (302, 404)
    assert other.number not in client.get("/admin/billing/ledgerentry/").text


def test_the_documents_per_month_page_takes_any_dates_without_an_error(shop, finance, client):
    client.force_login(finance)
    for query in ("to=0001-01-15", "from=0001-01-01&to=0005-01-01", "from=9999-12-31"):
        assert client.get(f"/admin/billing/receivedpayment/documents/?{query}").status_code == 200


def test_a_credit_note_on_a_paid_invoice_turns_the_payment_into_credit_that_settles_the_next(
    shop, django_capture_on_commit_callbacks
):
    paid = shop.invoice(1)
    pay(shop, "123.00", [AllocationRequest(paid.number, Decimal("123.00"))])
    later = shop.invoice(1)
    assert invoice_open_amount(later) == Decimal("123.00")
    with django_capture_on_commit_callbacks(execute=True):
        credit_note_issue(
            invoice=paid,
            actor=None,
            reason="Returned",
            corrections=[Correction(paid.lines.get().pk, quantity=Decimal(0))],
        )
    assert allocated(paid) == 0 and invoice_open_amount(later) == 0
    assert credit_position(shop.company).balance == 0


def test_a_ledger_page_starts_from_the_balance_of_the_entries_before_it(shop, client):
    shop.invoice(1)  # 123.00
    shop.invoice(2)  # 246.00
    pay(shop, "100.00")
    client.force_login(shop.admin)
    whole = client.get(f"/api/v1/companies/{shop.company.pk}/ledger").json()
    page = client.get(f"/api/v1/companies/{shop.company.pk}/ledger", {"offset": 2, "limit": 1}).json()
    assert [row["balance_after"] for row in whole] == ["123.00", "369.00", "269.00"]
    assert page == whole[2:]


def test_a_payment_posted_twice_with_one_idempotency_key_is_booked_once(shop, finance, client):
    """The retry gets the first answer; the same key with another body is refused."""
    from tandem.billing.models import ReceivedPayment

    client.force_login(finance)
    payload = {
        "company_id": shop.company.pk,
        "amount": "300.00",
        "currency": "PLN",
        "received_on": TODAY.isoformat(),
        "reference": "Przelew 7",
    }

    def post(body, key):
        return client.post(
            "/api/v1/payments", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
        )

    first, retry = post(payload, "pay-7"), post(payload, "pay-7")
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.content == first.content and retry["Idempotent-Replayed"] == "true"
    assert ReceivedPayment.objects.filter(reference="Przelew 7").count() == 1
    reused = post({**payload, "amount": "999.00"}, "pay-7")
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    assert post({**payload, "reference": "Przelew 8"}, "pay-8").status_code == 201  # a new key: a new payment
    assert ReceivedPayment.objects.count() == 2


def test_the_payments_feed_gives_each_payment_once_with_its_allocations(client, shop, finance, settings):
    settings.SYNC_SETTLE_SECONDS = 0
    first, second, third = pay(shop, "10.00"), pay(shop, "20.00"), pay(shop, "30.00")
    client.force_login(finance)

    page = client.get("/api/v1/payments/changes?limit=2").json()
    rest = client.get(f"/api/v1/payments/changes?cursor={page['next_cursor']}").json()

    assert [item["id"] for item in page["items"] + rest["items"]] == [first.pk, second.pk, third.pk]
    assert page["items"][0]["amount"] == "10.00" and "allocations" in page["items"][0]
    assert client.get(f"/api/v1/payments/changes?cursor={rest['next_cursor']}").json()["items"] == []
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/payments/changes?limit=1")
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/payments/changes?limit=3")
    assert len(many) == len(few)  # no query per payment

    client.force_login(make_user("clerk@shop.test"))
    assert client.get("/api/v1/payments/changes").status_code == 403


def test_an_overdue_reminder_reaches_webhooks_without_the_people(shop, django_capture_on_commit_callbacks):
    from tandem.messaging.models import WebhookDelivery, WebhookEndpoint

    WebhookEndpoint.objects.create(
        name="ERP", url="https://erp.example.com/hooks", events=["invoice.overdue"]
    )
    invoice = shop.invoice(1, days_overdue=5)
    with django_capture_on_commit_callbacks(execute=False):  # recorded; not sent in this test
        assert reminders_send() == 1
    delivery = WebhookDelivery.objects.get(event="invoice.overdue")
    assert delivery.payload == {
        "invoice_id": invoice.pk,
        "number": invoice.number,
        "company_id": invoice.company_id,
        "step": 3,
        "days_overdue": 5,
        "due_date": invoice.due_date.isoformat(),
    }
