"""The demo fixture's building blocks: dates as offsets from ANCHOR (the loader shifts them to
today), fictional but well-formed LEIs, and the armed services."""

import datetime as dt

from registry.choices import SERVICE_CATALOGUE

ANCHOR = dt.date(2026, 1, 15)
ARMED_SERVICES = {s.code for s in SERVICE_CATALOGUE if s.armed}


def lei(seed: str) -> str:
    """A well-formed LEI (ISO 17442) built from `seed`: 18 characters and MOD 97-10 check digits."""
    body = (seed.upper() + "0" * 18)[:18]
    digits = "".join(str(int(ch, 36)) for ch in body + "00")
    return f"{body}{98 - int(digits) % 97:02d}"


def day(offset: int) -> str:
    return (ANCHOR + dt.timedelta(days=offset)).isoformat()


def at(offset: int, hour: int = 10) -> str:
    return f"{day(offset)}T{hour:02d}:00:00+00:00"
