from django import template

from registry.web import readable

register = template.Library()


@register.filter
def isodate(value):
    """A date, or an ISO date string from a stored record, as the pages show dates."""
    return readable.show_date(value)


@register.filter
def countries(codes, names):
    """Country codes as "Kenya (KE), Somalia (SO)", names from the view's country_names()."""
    return ", ".join(readable.show_country(code, names) for code in codes or [])


@register.filter
def country(code, names):
    return readable.show_country(code, names) if code else ""


@register.simple_tag
def reason(message, names, services=None):
    return readable.show_message(message or "", names, services)


@register.filter
def lookup_each(codes, names):
    """Codes shown by their names, e.g. service codes from a stored record."""
    return ", ".join(names.get(code, code) for code in codes or [])


@register.filter
def lookup(code, names):
    return names.get(code, code)
