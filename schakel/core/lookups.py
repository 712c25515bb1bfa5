"""`field__in_constants=(...)`: an IN list written into the statement, not bound.

A partial index whose condition is `field IN (...)` serves a query only when the query's
condition is the index's own, constants included: SQLite does not look into bound
parameters (and PostgreSQL cannot for a prepared statement's generic plan). For the
code's own constants only (lower-case words, checked), never for input.
"""

import re

from django.db.models import CharField, Lookup

_CONSTANT = re.compile(r"^[a-z_]{1,40}$")


@CharField.register_lookup
class InConstants(Lookup):
    lookup_name = "in_constants"
    prepare_rhs = False

    def get_prep_lookup(self):
        values = tuple(str(value) for value in self.rhs)
        if not values or not all(_CONSTANT.match(value) for value in values):
            raise ValueError("in_constants takes the code's own lower-case constants only")
        return values

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({', '.join(f"'{value}'" for value in self.rhs)})", params
