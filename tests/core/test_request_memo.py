"""The per-request memo lives exactly as long as its request."""

from tandem.core.request_memo import request_memo


def test_a_request_keeps_nothing_for_what_runs_after_it_in_the_same_thread(client, db):
    client.get("/healthz")
    calls = []
    request_memo("answer", lambda: calls.append(1) or 41)
    request_memo("answer", lambda: calls.append(1) or 42)
    assert len(calls) == 2  # outside a request, every call computes afresh
