"""Production refuses weak secrets (ASVS 2.9 / 6.4): the start stops with a clear error."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from registry.env import check_secret

ROOT = Path(__file__).resolve().parent.parent
STRONG = "Zq8-vK2mP9xL4nR7tW1yB6cH3jF5gD0sA_eU"  # 36 characters, fictional


@pytest.mark.parametrize(
    "weak",
    [
        "x",
        "a" * 64,
        "1234567890" * 5,
        "abcabcabcabcabcabcabcabcabcabcabcabc",
        "abcdefghijklmnopqrstuvwxyzabcdefgh",
    ],
)
def test_weak_secrets_are_refused(weak):
    with pytest.raises(ImproperlyConfigured, match="IDENTITY_HASH_KEY is too weak"):
        check_secret("IDENTITY_HASH_KEY", weak, 32)


def test_a_strong_secret_passes():
    assert check_secret("IDENTITY_HASH_KEY", STRONG, 32) == STRONG


def _start(**env):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(
        DEBUG="0",
        ALLOWED_HOSTS="registry.example.org",
        # A fixed test key (32 bytes, base64); production keeps its own out of the database.
        AUDIT_SIGNING_KEY=base64.b64encode(bytes(range(32))).decode(),
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_start_stops_on_a_weak_identity_hash_key():
    result = _start(SECRET_KEY=STRONG * 2, IDENTITY_HASH_KEY="x")
    assert result.returncode != 0
    assert "IDENTITY_HASH_KEY is too weak for production" in result.stderr


def test_production_start_stops_on_a_short_secret_key():
    result = _start(SECRET_KEY="short-but-mixed-Key-123", IDENTITY_HASH_KEY=STRONG)
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for production" in result.stderr


def test_production_starts_with_strong_secrets():
    result = _start(SECRET_KEY=STRONG * 2, IDENTITY_HASH_KEY=STRONG)
    assert result.returncode == 0, result.stderr
