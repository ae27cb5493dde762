"""Management commands are thin wrappers: their arguments, output and errors."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from registry.choices import LicenceState

from .factories import LicenceFactory

pytestmark = pytest.mark.django_db


def test_expire_licences_on_a_given_date(capsys):
    today = timezone.localdate()
    licence = LicenceFactory(valid_until=today + dt.timedelta(days=10))
    call_command("expire_licences", "--date", (today + dt.timedelta(days=11)).isoformat())
    assert "Expired licences of 1 companies." in capsys.readouterr().out
    licence.refresh_from_db()
    assert licence.state == LicenceState.EXPIRED


def test_expire_licences_rejects_a_bad_date():
    with pytest.raises(CommandError, match="ISO date"):
        call_command("expire_licences", "--date", "29/11/2026")


def test_load_demo_reports_a_missing_fixture(tmp_path):
    with pytest.raises(CommandError, match="Cannot read the demo fixture"):
        call_command("load_demo", "--fixture", str(tmp_path / "none.json"))
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read the demo fixture"):
        call_command("load_demo", "--fixture", str(tmp_path / "bad.json"))
