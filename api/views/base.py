"""The base viewset: querysets from registry.access, role permissions, ETags and If-Match."""

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlencode

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import BaseParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.utils.mediatypes import media_type_matches

from api.errors import PreconditionFailed
from api.idempotency import idempotent
from api.parsers import StrictJSONParser
from api.permissions import EVERYONE
from registry import access
from registry.audit.queries import history_params
from registry.filters import INTEGER_FIELDS, strict_id
from registry.replica import on_replica
from registry.services import records


def etag_for(data) -> str:
    body = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def etag_matches(header: str, etag: str) -> bool:
    candidates = [part.strip().removeprefix("W/") for part in header.split(",")]
    return "*" in candidates or etag in candidates


# Type checkers see the views the mixins go into; at run time they are plain mixins.
if TYPE_CHECKING:
    _GenericViewBase = generics.GenericAPIView

    class _ListViewBase(mixins.ListModelMixin, generics.GenericAPIView): ...
else:
    _GenericViewBase = _ListViewBase = object


class RegistryMixin(_GenericViewBase):
    """Declare `queryset_fn` (a registry.access function), `serializer_class`, `filterset_class`,
    `read_roles`, `write_roles` and `write_rule`; the rest is shared."""

    parser_classes: Sequence[type[BaseParser]] = [StrictJSONParser]  # anything else answers 415
    queryset_fn: Callable[[access.Viewer], QuerySet[Any]] | None = None
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    read_roles: frozenset[str] = EVERYONE
    write_roles: frozenset[str] = frozenset()
    # (viewer, record, data) -> may write
    write_rule: Callable[[access.Viewer, Any, Any], bool] | None = None

    @property
    def viewer(self) -> access.Viewer:
        return access.viewer(self.request.user)

    def get_queryset(self):
        queryset_fn = type(self).queryset_fn
        if queryset_fn is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no queryset_fn")
        queryset = queryset_fn(self.viewer)
        return queryset.select_related(*self.select_related).prefetch_related(
            *self.prefetch_related
        )

    def get_object(self):
        """A path id that is not ASCII digits within the 64-bit range (/companies/١٢/,
        /companies/9223372036854775808/) is not found, never another record nor a 500."""
        field = self.lookup_field
        model = self.get_queryset().model
        model_field = model._meta.pk if field == "pk" else model._meta.get_field(field)
        if isinstance(model_field, INTEGER_FIELDS):
            value = self.kwargs.get(self.lookup_url_kwarg or field)
            if strict_id(value) is None:
                raise NotFound()
        return super().get_object()

    def may_write(self, obj) -> bool:
        """The record's write rule (registry.access.WRITE_RULES, or the view's `write_rule` for
        records written by a domain action, such as waiving a finding)."""
        rule = type(self).write_rule
        if rule is not None:
            return rule(self.viewer, obj, None)
        return access.may_write(self.viewer, type(obj), obj, None)

    def check_write(self, obj) -> None:
        if not self.may_write(obj):
            raise PermissionDenied(records.refusal(type(obj)))

    def check_if_match(self, instance) -> None:
        """412 when the request's If-Match is not the record's current ETag (the one its detail
        answers); the row is locked first, so nobody changes it between the check and the write.
        No If-Match: no check."""
        if_match = self.request.headers.get("If-Match")
        if not if_match:
            return
        list(type(instance).objects.select_for_update().filter(pk=instance.pk).values("pk"))
        current = self.get_object()
        if not etag_matches(if_match, etag_for(self.get_serializer(current).data)):
            raise PreconditionFailed()

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        etag = etag_for(data)
        headers = {"ETag": etag, **self.history_link(instance)}
        if etag_matches(request.headers.get("If-None-Match", ""), etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(data, headers=headers)

    def history_link(self, instance) -> dict:
        """A `Link: <…/audit/?object_type=…&object_id=…>; rel="history"` header for the callers
        who may read the change history."""
        if not self.viewer.reads_everything or instance._meta.app_label != "registry":
            return {}
        url = reverse("api:audit-list", request=self.request)
        return {"Link": f'<{url}?{urlencode(history_params(instance))}>; rel="history"'}


class RegistryViewSet(RegistryMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            # The write service checks the write rule, saves and re-checks compliance.
            instance = serializer.save()
        data = self.get_serializer(self.get_queryset().get(pk=instance.pk)).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"ETag": etag_for(data)})

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.get_object()
            # Lock the row, then read it again: If-Match compares with what we will overwrite.
            list(type(instance).objects.select_for_update().filter(pk=instance.pk).values("pk"))
            instance = self.get_object()
            if_match = request.headers.get("If-Match")
            if if_match and not etag_matches(
                if_match, etag_for(self.get_serializer(instance).data)
            ):
                raise PreconditionFailed()
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            instance = serializer.save()
        data = self.get_serializer(self.get_object()).data
        return Response(data, headers={"ETag": etag_for(data)})


class ReadOnlyRegistryViewSet(RegistryMixin, viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "head", "options"]


def _by_preference(header: str) -> list[str]:
    """The media types of an Accept header, most preferred first (RFC 9110 quality values)."""
    weighted = []
    for part in header.split(","):
        media_type, *params = [piece.strip() for piece in part.split(";")]
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media_type and quality > 0:
            weighted.append((-quality, media_type))
    return [media_type for _, media_type in sorted(weighted, key=lambda pair: pair[0])]


class Export(NamedTuple):
    """One streamed format of a list: a generator of encoded rows over a queryset."""

    stream: Callable[[QuerySet[Any]], Iterable[bytes]]
    content_type: str

    @property
    def media_type(self) -> str:
        return self.content_type.split(";")[0]


class StreamingExportMixin(_ListViewBase):
    """`?format=csv|ndjson` (or `.csv`, or an Accept header naming the media type) on a list
    streams the whole filtered set through `exports`, unpaginated, in constant memory.

    An export is not a renderer of the serializer's data, so it is chosen here, before DRF's
    content negotiation; errors and other answers of the view stay JSON."""

    exports: Mapping[str, Export] = {}
    export_name = "export"
    export_format: str | None = None

    def perform_content_negotiation(self, request, force=False):
        self.export_format = self._requested_export(request)
        if self.export_format is not None:
            return JSONRenderer(), JSONRenderer.media_type
        return super().perform_content_negotiation(request, force)

    def _requested_export(self, request) -> str | None:
        asked = self.format_kwarg or request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        if asked:
            return asked if asked in self.exports else None
        # The most preferred (q) media type the view can answer wins, JSON first on a tie.
        offered = [(None, JSONRenderer.media_type)] + [
            (name, export.media_type) for name, export in self.exports.items()
        ]
        for accepted in _by_preference(request.META.get("HTTP_ACCEPT", "*/*")):
            for name, media_type in offered:
                if media_type_matches(media_type, accepted):
                    return name
        return None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["json", "csv", "ndjson"],
                description="csv or ndjson stream the whole filtered set (not paginated).",
            )
        ],
    )
    def list(self, request, *args, **kwargs):
        if self.export_format is None:
            return super().list(request, *args, **kwargs)
        export = self.exports[self.export_format]
        response = StreamingHttpResponse(
            export.stream(on_replica(self.filter_queryset(self.get_queryset()))),
            content_type=export.content_type,
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{self.export_name}.{self.export_format}"'
        )
        return response
