"""INSERT and UPDATE statements made once per process, their values prepared apart.

The ORM builds its statement anew for every `create()`, `save()` or `update()`. Filing a
signal on SQLite holds the database's one write lock for all its writes, and building
them in Python under the lock took longer than the database took to write them: 2.7 of
the 4.1 ms the lock was held. Every other filing, and every logged read, waits that
long.

- `Insert(model)` makes the model's INSERT once per process and database, from the
  ORM's own fields. `values(obj)` prepares one row's values as `save()` would (each
  field's `pre_save`, then `get_db_prep_save`: the encryption of encrypted fields and
  the keyed hashes included), so a caller prepares its rows before it takes the lock
  and only executes under it (`run`). For models without database defaults or generated
  fields, with an automatic primary key (refused when made). No `pre_save`/`post_save`
  signals are sent: none of the models written this way has a receiver.
- `Update(model)` sets fields of the rows that match plain equalities, optionally
  counting fields up by one (a version), by one statement per shape (which fields,
  which conditions), made on its first use. Values go through `get_db_prep_save` as the
  ORM's update sends them; an object for a relation stands for its key.
"""

from django.db import connections, router
from django.db.models import Model
from django.db.models.fields import NOT_PROVIDED


def _alias(model) -> str:
    return router.db_for_write(model)


def insert_statement(connection, model: type[Model], fields, *, returning=None) -> str:
    """The INSERT of `fields` of `model` with one placeholder each, as `connection`
    quotes it; `returning`: the field whose value comes back."""
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} "
           f"({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    return sql if returning is None else f"{sql} RETURNING {qn(returning.column)}"


class Insert:
    """The INSERT of one model: `values(obj)` outside the lock, `run(obj, values)` in it."""

    def __init__(self, model: type[Model]):
        meta = model._meta
        if meta.auto_field is None or meta.auto_field is not meta.pk:
            raise TypeError(f"{meta.label}: Insert needs an automatic primary key")
        self.model = model
        self.fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
        for field in self.fields:
            if field.db_default is not NOT_PROVIDED or field.generated:
                raise TypeError(f"{meta.label}.{field.name}: Insert does not write "
                                "database defaults or generated fields")
        self._position = {f.attname: i for i, f in enumerate(self.fields)}
        self._sql = {}

    def statement(self, alias: str) -> str:
        """The statement for the database `alias`, made on its first use."""
        sql = self._sql.get(alias)
        if sql is None:
            sql = self._sql[alias] = insert_statement(
                connections[alias], self.model, self.fields, returning=self.model._meta.pk)
        return sql

    def values(self, obj: Model) -> list:
        """`obj`'s row as the database stores it, prepared as `save()` would."""
        connection = connections[_alias(self.model)]
        out = []
        for field in self.fields:
            value = field.pre_save(obj, True)
            if hasattr(value, "resolve_expression"):
                raise TypeError(f"{field.name}: Insert takes values, not expressions")
            out.append(field.get_db_prep_save(value, connection))
        return out

    def run(self, obj: Model, values: list | None = None, **late) -> Model:
        """Insert `obj` with its prepared `values` (prepared here when None); `late` sets
        fields only known now (the id of a row inserted just before, by attname).
        Sets `obj.pk`."""
        alias = _alias(self.model)
        connection = connections[alias]
        for attname, value in late.items():
            setattr(obj, attname, value)
        if values is None:
            values = self.values(obj)
        else:
            for attname, value in late.items():
                i = self._position[attname]
                values[i] = self.fields[i].get_db_prep_save(value, connection)
        with connection.cursor() as cursor:
            cursor.execute(self.statement(alias), values)
            obj.pk = cursor.fetchone()[0]
        obj._state.adding, obj._state.db = False, alias
        return obj


class Update:
    """UPDATE of one model by plain statements, one per shape."""

    def __init__(self, model: type[Model]):
        self.model = model
        self._sql = {}

    def _statement(self, alias: str, names: tuple, where: tuple, increment: tuple):
        key = (alias, names, where, increment)
        made = self._sql.get(key)
        if made is None:
            meta = self.model._meta
            qn = connections[alias].ops.quote_name
            fields = [meta.get_field(name) for name in names]
            conditions = [meta.get_field(name) for name in where]
            counted = [qn(meta.get_field(name).column) for name in increment]
            for field in (*fields, *conditions):
                if not field.concrete or field.many_to_many or field.primary_key and (
                        field in fields):
                    raise TypeError(f"{meta.label}.{field.name}: not a column to update")
            assignments = ([f"{qn(f.column)} = %s" for f in fields]
                           + [f"{c} = ({c} + 1)" for c in counted])
            sql = (f"UPDATE {qn(meta.db_table)} SET {', '.join(assignments)} "
                   f"WHERE {' AND '.join(f'{qn(f.column)} = %s' for f in conditions)}")
            made = self._sql[key] = (sql, fields, conditions)
        return made

    def run(self, set: dict, *, where: dict, increment: tuple = ()) -> int:
        """Set the fields of `set` (and count up those of `increment`) on the rows whose
        fields equal `where`'s values; how many rows changed."""
        if not where:
            raise TypeError("Update needs a condition")
        alias = _alias(self.model)
        connection = connections[alias]
        sql, fields, conditions = self._statement(alias, tuple(set), tuple(where),
                                                  tuple(increment))
        params = []
        for field, value in zip(fields, set.values(), strict=True):
            if isinstance(value, Model):
                value = value.pk
            if hasattr(value, "resolve_expression"):
                raise TypeError(f"{field.name}: Update takes values, not expressions")
            params.append(field.get_db_prep_save(value, connection))
        params += [field.get_db_prep_value(value, connection, prepared=False)
                   for field, value in zip(conditions, where.values(), strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount
