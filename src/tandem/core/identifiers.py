import uuid


def is_uuid(value: object) -> bool:
    """Whether ``value`` parses as a UUID (tokens from URLs and sessions are untrusted)."""
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
