import pytest

from tandem.messaging.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_tandem(client, staff_admin):
    client.force_login(staff_admin)
    return client


def test_an_endpoint_is_added_with_a_generated_secret_and_chosen_events(admin_client_tandem):
    response = admin_client_tandem.post(
        "/admin/messaging/webhookendpoint/add/",
        {
            "name": "ERP",
            "url": "https://erp.example/hooks",
            "events": ["order.placed", "order.cancelled"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["order.placed", "order.cancelled"] and len(endpoint.secret) >= 40
    page = admin_client_tandem.get(f"/admin/messaging/webhookendpoint/{endpoint.pk}/change/").content.decode()
    assert endpoint.secret in page


def test_the_admin_refuses_a_non_http_url(admin_client_tandem):
    response = admin_client_tandem.post(
        "/admin/messaging/webhookendpoint/add/",
        {"name": "ERP", "url": "ftp://erp.example/hooks", "is_active": "on"},
    )
    assert response.status_code == 200 and not WebhookEndpoint.objects.exists()


def test_send_test_event_reaches_the_receiver(
    admin_client_tandem, endpoint, receiver, django_capture_on_commit_callbacks
):
    endpoint.events = ["order.shipped"]
    endpoint.save()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_tandem.post(
            "/admin/messaging/webhookendpoint/", {"action": "send_test", "_selected_action": [endpoint.pk]}
        )
    [(_path, headers, _body)] = receiver.requests
    assert headers["X-Tandem-Event"] == "webhook.test"
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_deliveries_are_read_only_but_can_be_retried(
    admin_client_tandem, endpoint, receiver, django_capture_on_commit_callbacks
):
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="order.placed", payload={}, status=DeliveryStatus.FAILED, attempts=5
    )
    page = admin_client_tandem.get(f"/admin/messaging/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert admin_client_tandem.get("/admin/messaging/webhookdelivery/add/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_tandem.post(
            "/admin/messaging/webhookdelivery/", {"action": "retry", "_selected_action": [delivery.pk]}
        )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.requests)) == (DeliveryStatus.DELIVERED, 6, 1)
