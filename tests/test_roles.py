"""The role table names real models and actions: a misspelt one fails loudly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from registry import roles
from registry.choices import Role


def test_the_role_table_names_real_models_and_actions():
    roles.check_role_permissions()


@pytest.mark.parametrize(
    "entry, complaint",
    [({"fnding": roles.VIEW}, "no model 'fnding'"), ({"finding": ("approve",)}, "no approve")],
)
def test_a_misspelt_entry_is_refused(monkeypatch, entry, complaint):
    table = {
        **roles.ROLE_PERMISSIONS,
        Role.AUDITOR: {**roles.ROLE_PERMISSIONS[Role.AUDITOR], **entry},
    }
    monkeypatch.setattr(roles, "ROLE_PERMISSIONS", table)
    with pytest.raises(ImproperlyConfigured, match=complaint):
        roles.check_role_permissions()
    with pytest.raises(ImproperlyConfigured):
        roles.sync_role_groups()
