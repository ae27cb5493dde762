"""Where long reads go: the read replica when DATABASE_REPLICA_URL configures one, else the
primary. Only for reads that may lag the primary by a moment (exports, dashboard aggregates):
a page that has just been written, and every write, use the primary."""

from typing import Any, TypeVar

from django.conf import settings
from django.db.models import QuerySet

Q = TypeVar("Q", bound=QuerySet[Any])

REPLICA = "replica"


def reader() -> str:
    return REPLICA if REPLICA in settings.DATABASES else "default"


def on_replica(queryset: Q) -> Q:
    return queryset.using(reader())
