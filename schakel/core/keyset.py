"""Keyset pagination: a page of a long list by its key, not by an offset.

An offset makes the database walk every row before the page, and a page count
makes it count the whole list; both grow with the table. A keyset page reads its
rows through the index that orders the list and stops: page 3,000 costs what page 1
costs. Links carry the key of the last (or first) row shown, never personal data.
"""

from dataclasses import dataclass, field


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


def bounded_page(queryset, number, *, per_page: int, bound: int = 1000) -> BoundedPage:
    """Page `number` of `queryset` without counting the whole list.

    1. The page's ids are read first, one more than shown (is there a next page?): an
       offset over the ids alone walks the index that orders the list, not the full
       rows (a "deferred join"); then the rows themselves by primary key.
    2. The list is counted only up to `bound` rows, from its start: the count costs the
       same on page 1 and page 3,000, and "more than 1,000" says enough.
    A page past the end is empty (with a link back), never an error.
    """
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), 10**7)
    offset = (number - 1) * per_page
    id_list = queryset.values_list("pk", flat=True)
    if offset + per_page <= bound:
        # The page lies within the part that is counted: one read of up to bound + 1 ids
        # gives both the page and the count.
        head = list(id_list[:bound + 1])
        ids = head[offset:offset + per_page + 1]
        total = len(head) if len(head) <= bound else None
    else:
        ids = list(id_list[offset:offset + per_page + 1])
        total = queryset.order_by().values("pk")[:bound + 1].count()
        total = total if total <= bound else None
    has_next = len(ids) > per_page
    ids = ids[:per_page]
    found = {row.pk: row for row in _rows_by_id(queryset, ids)} if ids else {}
    rows = [found[i] for i in ids if i in found]
    return BoundedPage(rows, number, has_next, total, bound, per_page)


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
