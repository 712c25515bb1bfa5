"""Keyset pagination: a page of a long list by its key, not by an offset.

An offset makes the database walk every row before the page, and a page count
makes it count the whole list; both grow with the table. A keyset page reads its
rows through the index that orders the list and stops: page 3,000 costs what page 1
costs. Links carry the key of the last (or first) row shown, never personal data.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator


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



class IdFirstPaginator(Paginator):
    """Django's Paginator, but a page's rows are found by id first (a "deferred join").

    An offset over the full rows makes the database read every skipped row; over the
    ids alone it walks only the index that orders the list. The page's rows are then
    read by primary key and put in the same order.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        found = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([found[i] for i in ids if i in found], number, self)
