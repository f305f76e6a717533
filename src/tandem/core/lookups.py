"""``field__in_array=values``: ``IN`` for a long list of values as one parameter.

On PostgreSQL it is ``field = ANY(%s)`` with the values sent as one array, instead of one
placeholder per value: psycopg converts the placeholders of every query longer than its
cache limit with a regular expression, on each call, which cost ~10 ms for each 1,000-value
list of a bulk write. Elsewhere (SQLite, local, no parsing per call) it is Django's ``IN``.
Used by the bulk paths (upserts, stock levels) that look up a thousand keys at once.
"""

from django.db.models import Field, ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class _OneArray:
    lookup_name = "in_array"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(dict.fromkeys(value for value in self.rhs if value is not None))
        cast = self.lhs.output_field.cast_db_type(connection)
        return f"{lhs} = ANY(%s::{cast}[])", (*lhs_params, values)


class InArray(_OneArray, In):
    pass


class RelatedInArray(_OneArray, RelatedIn):
    """The same on a foreign key (model instances are taken as their keys)."""


def lookups_register() -> None:
    Field.register_lookup(InArray)
    ForeignObject.register_lookup(RelatedInArray)
