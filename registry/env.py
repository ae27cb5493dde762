"""Typed readers for settings taken from environment variables; bad values fail loudly."""

import os
from typing import overload

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no), not {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


@overload
def envstr(name: str, default: str) -> str: ...
@overload
def envstr(name: str, default: None = None) -> str | None: ...
def envstr(name: str, default: str | None = None) -> str | None:
    raw = os.environ.get(name)
    return default if raw is None or raw == "" else raw


CACHE_TABLE = "registry_cache"


def cache_config(url: str) -> dict:
    """A CACHES entry from CACHE_URL: `locmem://` (one process only), `db://` (the table
    registry_cache, or `db://<table>`; create it with `manage.py createcachetable`),
    `redis://host:port/db` or `rediss://…` (Django's RedisCache; needs the redis package)."""
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if not sep:
        raise ImproperlyConfigured(f"CACHE_URL must look like scheme://…, not {url!r}")
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": rest or "registry",
        }
    if scheme == "db":
        return {
            "BACKEND": "registry.cache.DatabaseCache",
            "LOCATION": rest.strip("/") or CACHE_TABLE,
        }
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        f"CACHE_URL scheme must be locmem, db, redis or rediss, not {scheme!r}"
    )


def check_secret(name: str, value: str, min_length: int, min_unique: int = 10) -> str:
    """`value` if strong enough for production, else ImproperlyConfigured naming `name`: at least
    `min_length` characters, `min_unique` distinct ones, and not all of one class (all digits,
    all letters...)."""
    problems = []
    if len(value) < min_length:
        problems.append(f"at least {min_length} characters (it has {len(value)})")
    if len(set(value)) < min_unique:
        problems.append(f"at least {min_unique} different characters")
    classes = [str.isdigit, str.islower, str.isupper]
    if any(all(test(ch) for ch in value) for test in classes):
        problems.append(
            "more than one kind of character (not only digits, only lower or only upper case)"
        )
    if problems:
        raise ImproperlyConfigured(
            f"{name} is too weak for production (DEBUG off): it needs {'; '.join(problems)}."
            " Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return value
