"""Helpers for the web page tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url) -> int:
    """Number of queries one GET of `url` runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx)


def assert_fixed_queries(client, url, grow, budget, django_assert_max_num_queries):
    """The page runs the same number of queries, within `budget`, before and after `grow()`."""
    with django_assert_max_num_queries(budget):
        few = queries_for(client, url)
    grow()
    with django_assert_max_num_queries(budget):
        many = queries_for(client, url)
    assert few == many, f"{url}: {few} queries with few rows, {many} with many"
