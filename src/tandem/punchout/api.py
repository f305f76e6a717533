"""Punchout connections over the API: a company admin's own company's, staff's for the customers
they work with (thin: ``punchout.credentials`` decides)."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from tandem.core.client_ip import client_ip
from tandem.customers.api_auth import user_auth
from tandem.punchout import credentials
from tandem.punchout.models import PunchoutCredential, PunchoutOrder, PunchoutSession

router = Router(tags=["punchout"], auth=user_auth)


class CredentialOut(Schema):
    id: int
    company_id: int
    name: str
    protocol: str
    domain: str
    identity: str
    buyer_user_id: int
    vendor_number: str
    is_active: bool
    created_at: datetime
    last_used_at: datetime | None

    @staticmethod
    def of(credential: PunchoutCredential) -> "CredentialOut":
        return CredentialOut(
            id=credential.pk,
            company_id=credential.company_id,
            name=credential.name,
            protocol=credential.protocol,
            domain=credential.domain,
            identity=credential.identity,
            buyer_user_id=credential.buyer.user_id,
            vendor_number=credential.vendor_number,
            is_active=credential.is_active,
            created_at=credential.created_at,
            last_used_at=credential.last_used_at,
        )


class CredentialNewOut(CredentialOut):
    secret: str = Field(description="OCI PASSWORD or cXML SharedSecret: shown this once.")


class CredentialIn(Schema):
    name: str = Field(max_length=80)
    protocol: Literal["oci", "cxml"]
    identity: str = Field(max_length=128, description="OCI USERNAME, or the cXML From/Sender identity.")
    domain: str = Field("", max_length=40, description="cXML credential domain (NetworkID when empty).")
    buyer_user_id: int = Field(description="The company user as whom the system shops and orders.")
    vendor_number: str = Field("", max_length=40)
    company_id: int | None = Field(None, description="Staff: the customer; a company admin: their own.")


class SessionOut(Schema):
    id: int
    credential_id: int
    protocol: str
    status: str
    started_at: datetime
    transferred_at: datetime | None
    lines_transferred: int
    remote_address: str | None

    @staticmethod
    def of(session: PunchoutSession) -> "SessionOut":
        return SessionOut(
            id=session.pk,
            credential_id=session.credential_id,
            protocol=session.protocol,
            status=session.status,
            started_at=session.started_at,
            transferred_at=session.transferred_at,
            lines_transferred=session.lines_transferred,
            remote_address=session.remote_address,
        )


class PurchaseOrderOut(Schema):
    id: int
    credential_id: int
    payload_id: str
    po_number: str
    order_number: str | None
    status: str
    error: str
    received_at: datetime

    @staticmethod
    def of(received: PunchoutOrder) -> "PurchaseOrderOut":
        return PurchaseOrderOut(
            id=received.pk,
            credential_id=received.credential_id,
            payload_id=received.payload_id,
            po_number=received.po_number,
            order_number=received.order.number if received.order else None,
            status=received.status,
            error=received.error,
            received_at=received.received_at,
        )


@router.get("/credentials", response=list[CredentialOut])
def punchout_credentials(request: HttpRequest):
    """The punchout connections of the caller's company (company admin) or of their customers
    (staff), newest first."""
    return [CredentialOut.of(credential) for credential in credentials.credentials_of(request.user)[:500]]


@router.post("/credentials", response={201: CredentialNewOut})
def punchout_credential_create(request: HttpRequest, payload: CredentialIn):
    """A connection for one procurement system; the secret is shown once. Honours
    ``Idempotency-Key``."""
    credential, secret = credentials.credential_create(
        actor=request.user,
        name=payload.name,
        protocol=payload.protocol,
        identity=payload.identity,
        domain=payload.domain,
        buyer_user_id=payload.buyer_user_id,
        vendor_number=payload.vendor_number,
        company_id=payload.company_id,
        ip_address=client_ip(request) or None,
    )
    return Status(201, CredentialNewOut(**CredentialOut.of(credential).dict(), secret=secret))


@router.post("/credentials/{credential_id}/rotate", response={201: CredentialNewOut})
def punchout_credential_rotate(request: HttpRequest, credential_id: int):
    """A new secret; the old one stops working at once."""
    credential, secret = credentials.credential_rotate(
        actor=request.user, credential_id=credential_id, ip_address=client_ip(request) or None
    )
    return Status(201, CredentialNewOut(**CredentialOut.of(credential).dict(), secret=secret))


@router.delete("/credentials/{credential_id}", response={204: None})
def punchout_credential_deactivate(request: HttpRequest, credential_id: int):
    """Switch a connection off: the system can no longer sign in nor send orders (the log stays)."""
    credentials.credential_deactivate(
        actor=request.user, credential_id=credential_id, ip_address=client_ip(request) or None
    )
    return Status(204, None)


@router.get("/sessions", response=list[SessionOut])
def punchout_sessions(request: HttpRequest):
    """The latest 200 punchout sessions of the connections the caller manages."""
    return [SessionOut.of(session) for session in credentials.sessions_of(request.user)[:200]]


@router.get("/orders", response=list[PurchaseOrderOut])
def punchout_orders(request: HttpRequest):
    """The latest 200 purchase orders received, with the order made or the reason of a refusal."""
    return [PurchaseOrderOut.of(received) for received in credentials.orders_of(request.user)[:200]]
