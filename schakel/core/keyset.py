"""Keyset pagination: a page of a long list by its key, not by an offset.

An offset makes the database walk every row before the page, and a page count
makes it count the whole list; both grow with the table. A keyset page reads its
rows through the index that orders the list and stops: page 3,000 costs what page 1
costs. Links carry the key of the last (or first) row shown, never personal data.
"""

import hashlib
import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db.models import F
from django.db.models.fields.tuple_lookups import TupleGreaterThan, TupleLessThan

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class KeysetPage:
    rows: list = field(default_factory=list)
    older: int | None = None  # key for the "older" link (rows after this page)
    newer: int | None = None  # key for the "newer" link (rows before this page)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    @property
    def object_list(self):
        return self.rows

    @property
    def has_other_pages(self) -> bool:
        return self.older is not None or self.newer is not None


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < 2**63 else None


def keyset_page(queryset, params, *, key: str = "seq", size: int = 50) -> KeysetPage:
    """The rows of `queryset`, highest `key` first, around `params["before"|"after"]`.

    1. `before=k`: the `size` rows just below k (older); `after=k`: just above k (newer),
       read upwards and turned around; neither: the newest.
    2. One row more than shown is read to know whether another page follows.
    """
    before, after = _int(params.get("before")), _int(params.get("after"))
    if after is not None and before is None:
        rows = list(queryset.filter(**{f"{key}__gt": after}).order_by(key)[:size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        page = KeysetPage(rows=rows)
        if rows:
            page.older = getattr(rows[-1], key)
            page.newer = getattr(rows[0], key) if more_newer else None
        return page
    base = queryset
    if before is not None:
        queryset = queryset.filter(**{f"{key}__lt": before})
    rows = list(queryset.order_by(f"-{key}")[:size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    page = KeysetPage(rows=rows)
    if rows:
        page.older = getattr(rows[-1], key) if more_older else None
        newest = getattr(rows[0], key)
        newer_exist = before is not None and base.filter(**{f"{key}__gt": newest}).exists()
        page.newer = newest if newer_exist else None
    return page



def _union_ids(sources, *, below=None, above=None, limit: int) -> list[int]:
    """Up to `limit` ids from the union of `sources`, highest first (lowest first with
    `above`). Each source is (queryset, id field) and reads only `limit` entries of its
    index, ordered by that field: a union of indexed lookups, merged here."""
    found = set()
    for queryset, id_field in sources:
        if below is not None:
            queryset = queryset.filter(**{f"{id_field}__lt": below})
        if above is not None:
            queryset = queryset.filter(**{f"{id_field}__gt": above})
        order = id_field if above is not None else f"-{id_field}"
        found.update(queryset.order_by(order).values_list(id_field, flat=True)[:limit])
    return sorted(found, reverse=above is None)[:limit]


def union_keyset_page(sources, rows_of, params, *, size: int = 25) -> KeysetPage:
    """A list newest first by id, whose ids come from indexed lookups (`_union_ids`).

    1. `before=k`: the `size` ids just below k; `after=k`: just above k (read upwards and
       turned around); neither: the highest. One more than shown says whether more follow.
    2. `rows_of(ids)` reads the page's rows (through `visible_to`); they are put in the
       ids' order. Page 3,000 costs what page 1 costs; nothing is counted.
    """
    before, after = _int(params.get("before")), _int(params.get("after"))
    page = KeysetPage()
    ids = []
    if after is not None and before is None:
        ids = _union_ids(sources, above=after, limit=size + 1)
        more_newer = len(ids) > size
        ids = ids[:size][::-1]
        if ids:
            page.older = ids[-1]
            page.newer = ids[0] if more_newer else None
    if not ids:
        ids = _union_ids(sources, below=before, limit=size + 1)
        more_older = len(ids) > size
        ids = ids[:size]
        page.older = ids[-1] if more_older and ids else None
        page.newer = (ids[0] if before is not None and ids
                      and _union_ids(sources, above=ids[0], limit=1) else None)
    if not ids and (before is not None or after is not None):
        return union_keyset_page(sources, rows_of, {}, size=size)  # past the end: the newest
    found = {row.pk: row for row in rows_of(ids)} if ids else {}
    page.rows = [found[i] for i in ids if i in found]
    return page


class BoundedPage:
    """One page of a list that is counted only up to a bound ("page 3 of more than 1,000").

    Quacks like Django's `Page` for the templates: iterate, `number`, `has_next`, ...
    `total` is the number of rows when the list holds at most `bound`, else None.
    """

    def __init__(self, rows, number, has_next, total, bound, per_page):
        self.object_list, self.number, self._has_next = rows, number, has_next
        self.total, self.bound, self.per_page = total, bound, per_page
        # The sort keys of the first and the last row, for the "previous" and "next"
        # links: a page past the counted start is read from there, not by an offset.
        self.previous_cursor = self.next_cursor = ""

    @property
    def num_pages(self) -> int | None:
        """The number of pages when the list was counted whole, else None."""
        return None if self.total is None else max(1, -(-self.total // self.per_page))

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def bounded_page(queryset, number, *, per_page: int, bound: int = 1000,
                 after: str = "", before: str = "") -> BoundedPage:
    """Page `number` of `queryset` without counting the whole list.

    1. The page's ids are read first, one more than shown (is there a next page?): an
       offset over the ids alone walks the index that orders the list, not the full
       rows (a "deferred join"); then the rows themselves by primary key.
    2. The list is counted only up to `bound` rows, from its start: the count costs the
       same on page 1 and page 3,000, and "more than 1,000" says enough.
    3. Past those first `bound` rows a page is read from the sort key of the row before
       it (`after`, the "next" link) or after it (`before`, "previous") through the
       list's index: page 3,000 costs what page 41 costs. Without a key (a page number
       typed in) it is read from the remembered key of every `bound`-th row
       (`_anchored_ids`), else by offset.
    A page past the end is empty (with a link back), never an error.
    """
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), 10**7)
    offset = (number - 1) * per_page
    id_list = queryset.values_list("pk", flat=True)
    order = order_of(queryset)
    ids, has_next = None, False
    if offset + per_page <= bound:
        # The page lies within the part that is counted: one read of up to bound + 1 ids
        # gives both the page and the count.
        head = list(id_list[:bound + 1])
        ids = head[offset:offset + per_page + 1]
        total = len(head) if len(head) <= bound else None
    else:
        total = None
        cursor = decode_cursor(after or before, queryset.model, order)
        if cursor is not None and after:
            ids = _seek_ids(queryset, order, cursor, per_page + 1, forward=True)
        elif cursor is not None:
            # The rows before the one the key came from, read backwards and turned
            # around; that row follows the page.
            ids, has_next = _seek_ids(queryset, order, cursor, per_page, forward=False)[::-1], True
        if ids is None and order and offset >= bound:
            ids = _anchored_ids(queryset, order, offset, per_page + 1, bound)
        if ids is None:
            ids = list(id_list[offset:offset + per_page + 1])
            if not ids or offset < bound:
                # A row at or past `bound` says "more than bound" without counting.
                counted = queryset.order_by().values("pk")[:bound + 1].count()
                total = counted if counted <= bound else None
    has_next = has_next or len(ids) > per_page
    ids = ids[:per_page]
    found = {row.pk: row for row in _rows_by_id(queryset, ids)} if ids else {}
    rows = [found[i] for i in ids if i in found]
    page = BoundedPage(rows, number, has_next, total, bound, per_page)
    if rows and order:
        page.previous_cursor = encode_cursor(rows[0], order)
        page.next_cursor = encode_cursor(rows[-1], order)
    return page


ANCHOR_SECONDS = 600


def _anchored_ids(queryset, order, offset: int, limit: int, step: int) -> list | None:
    """The ids at `offset` (at least `step`), read from the row at the start of their
    stretch of `step` rows instead of walking every row before them.

    1. The sort key of the row just before that stretch (an "anchor") is read once by
       offset and kept in the cache for `ANCHOR_SECONDS`, per list (its SQL and
       parameters, so per tab, filter and role) and per stretch.
    2. The page is read from that key through the list's index (`_seek_ids`), at most
       `step` + `limit` ids. A signal filed or closed since the anchor was read shifts
       the page by that row, as it would shift any page a moment later; the order and
       the rows themselves are always as they are now.
    A stretch past the end has no anchor: []; an anchor with an empty sort field
    cannot be sought from: None (the caller reads by offset).
    """
    start = offset // step * step
    sql, params = queryset.values_list("pk").query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params, start)).encode()).hexdigest()
    key = f"keyset-anchor:{digest}"
    cursor = cache.get(key)
    if cursor is None:
        names = [name for name, _ in order]
        row = list(queryset.values_list(*names)[start - 1:start])
        if not row:
            return []
        cursor = list(row[0])
        if any(value is None for value in cursor):
            return None  # a key with an empty field: no row value to seek from
        cache.set(key, cursor, timeout=ANCHOR_SECONDS)
    ids = _seek_ids(queryset, order, cursor, offset - start + limit, forward=True)
    return ids[offset - start:]


def order_of(queryset) -> list[tuple[str, bool]]:
    """The queryset's order as (field, descending), the primary key last if missing."""
    order = []
    for name in queryset.query.order_by:
        if not isinstance(name, str):
            return []  # an expression: no keys, pages by offset
        descending = name.startswith("-")
        name = name.lstrip("-")
        name = "id" if name == "pk" else name
        if "__" in name:
            return []
        order.append((name, descending))
    if order and "id" not in {name for name, _ in order}:
        order.append(("id", order[-1][1]))
    return order


def _key_value(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return (value - EPOCH) // timedelta(microseconds=1)
    return value


def encode_cursor(row, order) -> str:
    """The row's sort key as an opaque token for a link (ids, dates, codes: never text
    about a person)."""
    values = [_key_value(getattr(row, name if name != "id" else "pk")) for name, _ in order]
    if any(value is None for value in values):
        return ""
    return urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode(
    ).rstrip("=")


def decode_cursor(token: str, model, order) -> list | None:
    """The sort key of a link, checked against the fields' types; None when unusable."""
    if not token or not order or len(token) > 400:
        return None
    try:
        values = json.loads(urlsafe_b64decode(token.encode() + b"=" * (-len(token) % 4)))
    except (ValueError, TypeError):
        return None
    if not isinstance(values, list) or len(values) != len(order):
        return None
    key = []
    for (name, _), value in zip(order, values, strict=True):
        field = model._meta.get_field(name)
        internal = field.get_internal_type()
        if internal == "BooleanField" and value in (0, 1):
            key.append(bool(value))
        elif internal == "DateTimeField" and isinstance(value, int) and abs(value) < 2**62:
            key.append(EPOCH + timedelta(microseconds=value))
        elif internal in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField",
                          "PositiveIntegerField") and isinstance(value, int) \
                and not isinstance(value, bool) and -(2**63) <= value < 2**63:
            key.append(value)
        elif internal == "CharField" and isinstance(value, str) and len(value) <= 200:
            key.append(value)
        else:
            return None
    return key


def _seek_ids(queryset, order, cursor, limit: int, *, forward: bool) -> list:
    """Up to `limit` ids just after (`forward`) or just before the row with sort key
    `cursor`, nearest first, each read through the index that orders the list.

    The order is cut into runs of one direction; a run is compared as a row value
    (`(a, b) < (x, y)`), which the database answers with an index range. The rows after
    the cursor are those with the earlier runs equal and the last run beyond it, then
    those with one run fewer equal, and so on: one query, two for a mixed order at a
    run's end.
    """
    if not forward:
        order = [(name, not descending) for name, descending in order]
    runs = []
    for index, (_name, descending) in enumerate(order):
        if runs and runs[-1][1] == descending:
            runs[-1][0].append(index)
        else:
            runs.append(([index], descending))
    sort = [f"-{name}" if descending else name for name, descending in order]
    ids = []
    for level in range(len(runs) - 1, -1, -1):
        filters = {order[i][0]: cursor[i] for run in runs[:level] for i in run[0]}
        indexes, descending = runs[level]
        columns = tuple(F(order[i][0]) for i in indexes)
        values = tuple(cursor[i] for i in indexes)
        beyond = (TupleLessThan if descending else TupleGreaterThan)(columns, values)
        ids += list(queryset.filter(beyond, **filters).order_by(*sort)
                    .values_list("pk", flat=True)[:limit - len(ids)])
        if len(ids) >= limit:
            break
    return ids


def _rows_by_id(queryset, ids):
    """The rows of `ids`, read as `queryset` reads them (its columns, joins and prefetches)
    but without its filters: the ids were found through them already, and compiling the
    visibility rule's subqueries a second time costs more than the query itself."""
    if queryset.query.annotations:
        return queryset.order_by().filter(pk__in=ids)
    rows = queryset.model._default_manager.filter(pk__in=ids)
    rows.query.select_related = queryset.query.select_related
    rows.query.deferred_loading = queryset.query.deferred_loading
    return rows.prefetch_related(*queryset._prefetch_related_lookups)
