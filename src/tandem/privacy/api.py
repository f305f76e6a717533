"""The caller's consents, a copy of their data and erasure of their account, over the API."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from tandem.core.client_ip import client_ip
from tandem.customers.api_auth import user_auth
from tandem.customers.consents import consent_record, consents_current
from tandem.customers.models import ConsentSource
from tandem.privacy.services import account_erase, personal_data_export, zip_download

router = Router(tags=["privacy"], auth=user_auth)


class ConsentOut(Schema):
    kind: str
    granted: bool
    version: str
    source: str
    at: datetime


class ConsentIn(Schema):
    kind: Literal["marketing_email"] = Field(
        description="Only offers by e-mail can be given or withdrawn here."
    )
    granted: bool


class ErasureIn(Schema):
    password: str = Field(max_length=128, description="The account's password, to confirm.")


class ErasureOut(Schema):
    orders_kept: int
    invoices_kept: int
    kept_until_year: int


def _out(consent) -> ConsentOut:
    return ConsentOut(
        kind=consent.kind,
        granted=consent.granted,
        version=consent.version,
        source=consent.source,
        at=consent.created_at,
    )


@router.get("/consents", response=list[ConsentOut])
def consents(request: HttpRequest):
    """The consent of every kind that holds now (kinds never given are left out)."""
    return [_out(consent) for consent in consents_current(request.user).values() if consent is not None]


@router.post("/consents", response={201: ConsentOut})
def consent_give(request: HttpRequest, payload: ConsentIn):
    """Give or withdraw consent to offers by e-mail; recorded with time, version and address."""
    consent = consent_record(
        user=request.user,
        kind=payload.kind,
        granted=payload.granted,
        source=ConsentSource.API,
        ip_address=client_ip(request) or None,
    )
    return Status(201, _out(consent))


@router.get(
    "/export", response={200: None}, openapi_extra={"responses": {200: {"content": {"application/zip": {}}}}}
)
def export(request: HttpRequest):
    """Everything kept about the caller as a ZIP (data.json and CSV files)."""
    archive = personal_data_export(
        user=request.user, actor=request.user, ip_address=client_ip(request) or None
    )
    return zip_download(archive, f"my-data-{timezone.localdate():%Y-%m-%d}.zip")


@router.post("/erasure", response=ErasureOut)
def erasure(request: HttpRequest, payload: ErasureIn):
    """Erase the caller's account (anonymise it) for good. 403 ``wrong_password`` (or
    ``throttled`` after too many: password checks count like sign-ins);
    409 ``erasure_refused`` with the reason (orders in progress, a staff account)."""
    report = account_erase(user=request.user, password=payload.password, ip_address=client_ip(request))
    return ErasureOut(
        orders_kept=report.orders_kept,
        invoices_kept=report.invoices_kept,
        kept_until_year=report.kept_until_year,
    )
