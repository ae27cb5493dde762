"""Keyset paging for the long web lists: each page starts after the last row of the one before,
so page 19,000 costs what page 1 costs (OFFSET reads and drops every row before the page), and
the count is capped, so the heading never scans a million rows to say how many there are."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

COUNT_CAP = 10_000


@dataclass
class KeysetPage:
    object_list: list[Any]
    count: int  # the rows in all, or COUNT_CAP + 1 when there are more than COUNT_CAP
    previous_key: str | None  # ?before= for the page before, None on the first page
    next_key: str | None  # ?after= for the page after, None on the last page

    @property
    def count_capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def cap(self) -> int:
        return COUNT_CAP


def _key(row, day_field: str) -> str:
    return f"{getattr(row, day_field).isoformat()}.{row.pk}"


def _parse(value: str | None) -> tuple[dt.date, int] | None:
    """A key as _key writes it; anything else (hand-edited, stale) means the first page."""
    day, _, pk = (value or "").partition(".")
    if not (pk.isascii() and pk.isdigit() and len(pk) < 19):
        return None
    try:
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def keyset_page(queryset: QuerySet[Any], params, size: int, day_field: str) -> KeysetPage:
    """One page of `queryset` newest `day_field` first, then by id, from the `after` or
    `before` key in `params` (the page's query string)."""
    newest_first = (f"-{day_field}", "pk")
    count = queryset.order_by()[: COUNT_CAP + 1].count()
    after, before = _parse(params.get("after")), _parse(params.get("before"))
    if before is not None:
        day, pk = before
        earlier = Q(**{f"{day_field}__gt": day}) | Q(**{day_field: day, "pk__lt": pk})
        rows = list(queryset.filter(earlier).order_by(day_field, "-pk")[: size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            rows,
            count,
            _key(rows[0], day_field) if rows and more_before else None,
            _key(rows[-1], day_field) if rows else None,
        )
    if after is not None:
        day, pk = after
        later = Q(**{f"{day_field}__lt": day}) | Q(**{day_field: day, "pk__gt": pk})
        rows = list(queryset.filter(later).order_by(*newest_first)[: size + 1])
        previous = _key(rows[0], day_field) if rows else None
    else:
        rows = list(queryset.order_by(*newest_first)[: size + 1])
        previous = None
    more_after = len(rows) > size
    rows = rows[:size]
    return KeysetPage(rows, count, previous, _key(rows[-1], day_field) if more_after else None)
