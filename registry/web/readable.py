"""Stored reason messages and check records carry ISO dates and country codes; pages show
dates as everywhere else ("9 Dec 2026") and countries by name with their code."""

import datetime as dt
import re

from django.utils.formats import date_format

from registry.models import Country

ISO_DATE = re.compile(r"(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-])")
# Rule messages name places as "in KE" or "in KE, SO"; other capitals (UN, AU as a body) stay.
IN_COUNTRIES = re.compile(r"\bin ([A-Z]{2}(?:, [A-Z]{2})*)\b")


def country_names(codes) -> dict[str, str]:
    """{code: name} for the given codes, in one query."""
    codes = {c for c in codes if c}
    return dict(Country.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


def codes_in(message: str) -> set[str]:
    return {code for m in IN_COUNTRIES.finditer(message) for code in m.group(1).split(", ")}


def show_date(value) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return date_format(value) if value else ""


def show_country(code: str, names: dict) -> str:
    return f"{names[code]} ({code})" if code in names else code


def show_message(message: str, names: dict) -> str:
    message = ISO_DATE.sub(lambda m: show_date(m.group(1)), message)
    return IN_COUNTRIES.sub(
        lambda m: "in " + ", ".join(show_country(c, names) for c in m.group(1).split(", ")), message
    )
