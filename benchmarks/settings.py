"""The registry's settings, serving the baseline views of benchmarks/baseline.py beside the
registry's own URLs (benchmarks/urls.py). Everything else is production's: set DEBUG=0 and the
production secrets in the environment, as `make serve` does."""

from registry.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
