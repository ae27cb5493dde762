"""Stored status answers: the JSON of a status call, built once per version of what it shows.

A status answer reads a dozen tables; the status call is what mission staff and other systems
ask most. registry.services.status.answer_versions() gives, in one query, a version that moves
with every change the answer could show, for the caller's scope, today. The rendered answer and
its ETag are stored under it in the "answers" cache (ANSWER_CACHE_URL; local memory in each
worker by default) and served as they are until the version moves.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from rest_framework.renderers import JSONRenderer

from api.views.base import etag_matches

ANSWER_CACHE = "answers"
# Bumped when an answer's shape changes, so a shared cache never serves the old shape.
ANSWER_FORMAT = 1


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def stored_answer(
    request, kind: str, company_id: int, version: str, build: Callable[[], dict[str, Any]]
) -> HttpResponse:
    """The answer `build()` gives about the company, from the cache while `version` (from
    registry.services.status.answer_versions()) holds; 304 when If-None-Match names its ETag."""
    key = hashlib.sha256(f"{ANSWER_FORMAT}:{kind}:{company_id}:{version}".encode()).hexdigest()
    cache = caches[ANSWER_CACHE]
    stored = cache.get(key)
    if stored is None:
        body = JSONRenderer().render(build())
        stored = (body, _etag(body))
        cache.set(key, stored)
    body, etag = stored
    if etag_matches(request.headers.get("If-None-Match", ""), etag):
        return HttpResponseNotModified(headers={"ETag": etag})
    return HttpResponse(body, content_type="application/json", headers={"ETag": etag})
