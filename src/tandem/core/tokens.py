"""Secrets handed out once (API keys, invitation links, feed URLs, punchout secrets): only a
digest of each is stored, and what arrives is looked up by its digest."""

import hashlib


def token_digest(token: str) -> str:
    """The stored form of a secret token (SHA-256, hex)."""
    return hashlib.sha256(token.encode()).hexdigest()
