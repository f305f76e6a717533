"""Paging parameters shared by list endpoints: validated at the edge, so a huge offset is a
422 naming the parameter, never a database error."""

from ninja import Schema
from pydantic import Field

MAX_OFFSET = 1_000_000


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    status: str = Field("", max_length=20)
