"""Stored reason messages and check records carry ISO dates and country codes; pages show
dates as everywhere else ("9 Dec 2026") and countries by name with their code."""

import datetime as dt
import re

from django.utils.formats import date_format

from registry.models import Country

ISO_DATE = re.compile(r"(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-])")
# Rule messages name places as "in KE" or "covers KE, SO". Only codes of the record's own
# countries are replaced (see country_codes), so capitals such as UN or AU the body stay.
IN_COUNTRIES = re.compile(r"\b(?:in|covers) ([A-Z]{2}(?:, [A-Z]{2})*)\b")
CODE = re.compile(r"(?<![(\w])([A-Z]{2})(?![\w)])")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


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


def show_message(message: str, names: dict, services: dict | None = None) -> str:
    """`names` maps the record's country codes to names; `services` service codes to names."""
    message = ISO_DATE.sub(lambda m: show_date(m.group(1)), message)
    message = CODE.sub(lambda m: show_country(m.group(1), names), message)
    if services:
        message = SNAKE.sub(lambda m: services.get(m.group(0), m.group(0)).lower(), message)
    return message
