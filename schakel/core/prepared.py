"""Queries the ORM builds once per process and runs again with new values.

On the signal page at 100,000 signals (PostgreSQL, issue 15) the ORM spent about 2.5 ms
compiling the page's eight small queries, and about 1 ms building them (filters,
joins, annotations), against 2.5 ms for the database to run them: the shape of each
query is the same on every view, only the signal's id changes.

`Prepared(build)` takes a function that returns a QuerySet from scalar arguments (int,
str or date). Its first call in a process builds the query twice, with two sets of
stand-in values, compiles both and keeps the SQL and the places of the arguments in its
parameters. It refuses (`NotPreparable`) a query whose SQL or other parameters differ
between the two builds: an argument that changes the statement's shape (a list for
`__in`, a value that picks a branch), or a value `build` takes from elsewhere, e.g. the
clock. Every call then runs the kept SQL with the new values through the queryset's own
iterable: models with their `select_related` and annotations, or `values_list` rows,
exactly as the queryset makes them, with the query counted and logged as any other.

What `build` may not do: read anything but its arguments (settings, the clock, the
user), or pass an argument through a lookup that changes the value (`contains` adds
`%`): the first call raises for both. It returns a list, never a queryset to chain.
"""

import copy
import datetime
import threading
from dataclasses import dataclass

from django.db import connections

_INT64 = (-(2**63), 2**63 - 1)


class NotPreparable(TypeError):
    """The query's shape depends on its values, or it reads values `build` was not given."""


@dataclass(frozen=True)
class _Statement:
    queryset: object  # built with stand-ins, never evaluated: only chained from
    compiler: object  # compiled once; its select, klass_info, ... serve every call
    sql: str
    params: tuple
    slots: tuple[tuple[int, int], ...]  # (place in params, argument)
    kinds: tuple[type, ...]


def _kind(value) -> type:
    for kind in (int, str, datetime.date):
        if _fits(value, kind):
            return kind
    raise NotPreparable(f"{type(value).__name__} arguments are not supported")


def _fits(value, kind: type) -> bool:
    # A bool is an int and a datetime a date to isinstance, not to a lookup.
    return isinstance(value, kind) and not isinstance(value, bool | datetime.datetime)


def _stand_in(kind: type, build_round: int, index: int):
    # Inside the 32-bit range: Django turns an integer beyond a column's range into
    # "no rows" before any SQL is made.
    if kind is int:
        return 1_900_000_000 + 1_000 * build_round + index
    if kind is str:
        return f"\ue000stand-in {build_round}.{index}"
    return datetime.date(1901 + build_round, 1, 1) + datetime.timedelta(days=index)


def _adapt(connection, value):
    """The value as the lookup puts it in the parameters (a date as text on SQLite)."""
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


class Prepared:
    def __init__(self, build):
        self.build = build
        self._statement = None
        self._lock = threading.Lock()

    def __call__(self, *args) -> list:
        if any(isinstance(a, int) and not _INT64[0] <= a <= _INT64[1] for a in args):
            # Beyond what a database column holds: the ORM knows per lookup what that
            # means ("no rows" for `exact`, all rows for `lt`); SQLite's driver raises.
            return list(self.build(*args))
        statement = self._statement or self._prepare(args)
        if len(args) != len(statement.kinds) or not all(
                map(_fits, args, statement.kinds)):
            raise NotPreparable(f"expected arguments of {statement.kinds}, got {args!r}")
        queryset = statement.queryset._chain()
        connection = connections[queryset.db]
        params = list(statement.params)
        for place, index in statement.slots:
            params[place] = _adapt(connection, args[index])
        compiler = copy.copy(statement.compiler)
        compiler.connection = connection  # this thread's
        compiler.as_sql = lambda *_a, **_k: (statement.sql, tuple(params))
        queryset.query.get_compiler = lambda *_a, **_k: compiler
        return list(queryset)

    def _prepare(self, args) -> _Statement:
        with self._lock:
            if self._statement is None:
                self._statement = self._make(tuple(_kind(a) for a in args))
            return self._statement

    def _make(self, kinds) -> _Statement:
        stand_ins = [[_stand_in(k, r, i) for i, k in enumerate(kinds)] for r in (0, 1)]
        builds = []
        for values in stand_ins:
            queryset = self.build(*values)
            if queryset._known_related_objects:
                raise NotPreparable("built from a related manager: it would keep the "
                                    "stand-in's instance; filter by its id instead")
            compiler = queryset.query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
            builds.append((queryset, compiler, sql, list(params)))
        (queryset, compiler, sql, params), (_, _, sql_b, params_b) = builds
        if sql != sql_b or len(params) != len(params_b):
            raise NotPreparable("the SQL depends on the arguments' values")
        connection = connections[queryset.db]
        slots, used = [], set()
        for place, (a, b) in enumerate(zip(params, params_b, strict=True)):
            if a == b:
                continue
            index = next((i for i in range(len(kinds))
                          if a == _adapt(connection, stand_ins[0][i])
                          and b == _adapt(connection, stand_ins[1][i])), None)
            if index is None:
                raise NotPreparable(f"parameter {place} changes between builds but is no "
                                    "argument (the clock, or a lookup that alters values?)")
            slots.append((place, index))
            used.add(index)
        if used != set(range(len(kinds))):
            raise NotPreparable("an argument does not reach the SQL's parameters as given")
        return _Statement(queryset, compiler, sql, tuple(params), tuple(slots), kinds)
