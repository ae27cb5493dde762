"""A fixture that records every registry row written outside the domain services."""

import sys

import pytest
from django.apps import apps
from django.db.models.signals import m2m_changed, pre_delete, pre_save

SERVICE_PATHS = ("registry/services/", "registry/compliance/", "registry/audit/", "registry/demo/")


def _from_a_service() -> bool:
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename.replace("\\", "/")
        if any(p in name for p in SERVICE_PATHS) or "/tests/" in name and "factories" in name:
            return True
        frame = frame.f_back
    return False


@pytest.fixture
def writes_only_through_services():
    """Fail on any registry row written outside registry/services (and the engine, the audit
    trail and the demo loader) while the test runs."""
    offenders = []

    def check(sender, **kwargs):
        if not _from_a_service():
            offenders.append(sender._meta.label)

    models = list(apps.get_app_config("registry").get_models())
    for model in models:
        pre_save.connect(check, sender=model, weak=False, dispatch_uid=f"guard-{model}")
        pre_delete.connect(check, sender=model, weak=False, dispatch_uid=f"guard-d-{model}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                check, sender=field.remote_field.through, weak=False, dispatch_uid=f"g-{field}"
            )
    yield offenders
    for model in models:
        pre_save.disconnect(sender=model, dispatch_uid=f"guard-{model}")
        pre_delete.disconnect(sender=model, dispatch_uid=f"guard-d-{model}")
        for field in model._meta.local_many_to_many:
            m2m_changed.disconnect(sender=field.remote_field.through, dispatch_uid=f"g-{field}")
