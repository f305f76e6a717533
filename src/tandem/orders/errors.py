from tandem.core.errors import DomainError


class OrderStatusError(DomainError):
    """The order cannot move to that status from where it is."""

    code = "status_transition_not_allowed"
    status = 409


class ApprovalDecided(DomainError):
    """The order is no longer waiting for a decision (someone else decided first)."""

    code = "approval_decided"
    status = 409
