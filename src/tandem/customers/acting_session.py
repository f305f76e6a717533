"""Acting state of a browser session: which company the signed-in rep acts for.

The session holds only the company's id; ``acting_company_of`` checks it against the rules
(``acting.acting_company``) once per request, so an id the rep may not (or no longer) use —
a customer reassigned to another rep, a deactivated company, a lost permission — is dropped
instead of trusted.
"""

from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.http import HttpRequest

from tandem.customers.acting import acting_company
from tandem.customers.models import Company

SESSION_KEY = "acting_company_id"
_UNSET = object()


def acting_company_of(request: HttpRequest) -> Company | None:
    """The company the signed-in staff user acts for in this request, else None."""
    company = getattr(request, "_acting_company", _UNSET)
    if company is not _UNSET:
        return company
    company = None
    session = getattr(request, "session", None)
    company_id = session.get(SESSION_KEY) if session is not None else None
    # Only for the user this session belongs to (an API token sent with someone's cookie is not them).
    if company_id is not None and session.get(AUTH_SESSION_KEY) == str(request.user.pk):
        company = acting_company(request.user, company_id) if isinstance(company_id, int) else None
        if company is None:
            session.pop(SESSION_KEY, None)
    request._acting_company = company
    return company


def acting_session_start(request: HttpRequest, company: Company) -> None:
    request.session[SESSION_KEY] = company.pk
    request._acting_company = company


def acting_session_stop(request: HttpRequest) -> None:
    """Stop acting; the company's acting cart stays in the session for the next time."""
    request.session.pop(SESSION_KEY, None)
    request._acting_company = None
