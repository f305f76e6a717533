"""E-mails written from templates, in the recipient's language, sent by the worker."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tandem.core.events import in_event_delivery
from tandem.core.tasks import send_email


def site_url(view_name: str, *args) -> str:
    """An absolute link to a page of the shop (for e-mails)."""
    return settings.SHOP_URL + reverse(view_name, args=args)


def send_templated_email(*, template: str, context: dict, to: list[str], language: str) -> None:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` in ``language`` (with
    ``shop_name`` in the context) and queue the e-mail — or send it now when a domain event's
    subscriber sends it (it runs in the background already, and its receipt makes the send
    at least once: core.events)."""
    with translation.override(language):
        context = {"shop_name": settings.SHOP_NAME, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    if in_event_delivery():
        send_email.call(subject=subject, body=body, to=to)
    else:
        send_email.enqueue(subject=subject, body=body, to=to)
