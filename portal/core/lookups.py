"""``in`` on an integer column ignores numbers no such column can hold.

Django already answers ``id=99999999999999999999`` (and ``<``, ``>``) with "no row" instead of
sending a number the database cannot take; ``id__in=[…]`` it sends as is, and SQLite raises
OverflowError. Every multiple choice of rows (a profile's roles and languages, an opening's,
the admin's groups and permissions) checks what was sent with ``pk__in``, so one such number
in a form answered 500 where a form error was due. Registered on IntegerField, this covers
every integer and auto field, every form and every query, with Django's own rule: a number
outside the column's range matches nothing.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            kept = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)
