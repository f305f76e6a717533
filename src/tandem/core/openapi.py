"""Pieces of the OpenAPI document that ninja cannot infer: multipart uploads read from
``request.FILES`` in the view."""

from typing import Any


def multipart_body(properties: dict[str, dict[str, Any]], *, required: list[str]) -> dict[str, Any]:
    """``openapi_extra`` for an operation that takes a multipart form with these fields."""
    return {
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "required": required, "properties": properties}
                }
            }
        }
    }


FILE = {"type": "string", "format": "binary"}
