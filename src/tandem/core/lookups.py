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

# the array's element type: the base type, without a length or a precision (a cast to
# varchar(64)[] would cut a longer value short and match a key it does not equal)
ARRAY_TYPES = {
    "CharField": "text",
    "TextField": "text",
    "SlugField": "text",
    "EmailField": "text",
    "IntegerField": "bigint",
    "BigIntegerField": "bigint",
    "SmallIntegerField": "bigint",
    "PositiveIntegerField": "bigint",
    "PositiveBigIntegerField": "bigint",
    "PositiveSmallIntegerField": "bigint",
    "AutoField": "bigint",
    "BigAutoField": "bigint",
    "SmallAutoField": "bigint",
}


class _OneArray:
    lookup_name = "in_array"

    def as_postgresql(self, compiler, connection):
        field = self.lhs.output_field
        target = getattr(field, "target_field", field)  # a foreign key: the key it points at
        element = ARRAY_TYPES.get(target.get_internal_type())
        if not self.rhs_is_direct_value() or element is None:
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(dict.fromkeys(value for value in self.rhs if value is not None))
        return f"{lhs} = ANY(%s::{element}[])", (*lhs_params, values)


class InArray(_OneArray, In):
    pass


class RelatedInArray(_OneArray, RelatedIn):
    """The same on a foreign key (model instances are taken as their keys)."""


def lookups_register() -> None:
    Field.register_lookup(InArray)
    ForeignObject.register_lookup(RelatedInArray)
