"""The registry's URLs plus the baselines under /bench/ (benchmarks/baseline.py)."""

from django.urls import path

from registry.urls import handler404, handler500
from registry.urls import urlpatterns as registry_urlpatterns

from . import baseline

__all__ = ["handler404", "handler500", "urlpatterns"]

urlpatterns = [
    path("bench/companies/<int:pk>/status/", baseline.company_status, name="bench-status"),
    path("bench/status/", baseline.status_lookup, name="bench-status-lookup"),
    path("bench/contracts/", baseline.contract_page, name="bench-contracts"),
    *registry_urlpatterns,
]
