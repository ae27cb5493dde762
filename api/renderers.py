"""Export formats of /api/v1/contracts/. The rows are streamed by registry.exports; these
renderers only let content negotiation accept ?format=csv and ?format=ndjson."""

import json

from rest_framework.renderers import BaseRenderer


class _StreamedRenderer(BaseRenderer):
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only reached for non-list answers; the view turns those into JSON.
        return json.dumps(data, default=str).encode()


class CSVRenderer(_StreamedRenderer):
    media_type = "text/csv"
    format = "csv"


class NDJSONRenderer(_StreamedRenderer):
    media_type = "application/x-ndjson"
    format = "ndjson"
