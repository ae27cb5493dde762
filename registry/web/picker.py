"""A company picker for forms that would otherwise list every company in one select.

The select holds only the chosen company and the companies matching a search (at most LIMIT).
With JavaScript, typing in the search box refills the select through htmx
(web:company_options); without it, a small GET form reloads the page with the matches. The
form field keeps its full queryset, so validation is unchanged: any company the caller may see.
"""

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

LIMIT = 50
SEARCH_FORM_ID = "company-search"


def matches(companies, query: str, selected=None) -> tuple[list, bool]:
    """The chosen company first, then up to LIMIT companies matching `query`; and whether
    more match than are shown. Two queries at most, whatever the number of companies."""
    chosen = []
    if selected and str(selected).isdigit():
        chosen = list(companies.filter(pk=selected).only("id", "legal_name"))
    found = list(
        companies.search(query)
        .exclude(pk__in=[c.pk for c in chosen])
        .only("id", "legal_name")
        .order_by("legal_name", "id")[: LIMIT + 1]
    )
    return chosen + found[:LIMIT], len(found) > LIMIT


class CompanyPicker(forms.Select):
    """Renders a search box (tied to the page's GET search form) above a short select."""

    template = "registry/includes/company_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.companies = None
        self.query = ""

    def render(self, name, value, attrs=None, renderer=None):
        options, more = matches(self.companies, self.query, value)
        attrs = self.build_attrs(self.attrs, attrs)
        return render_to_string(
            self.template,
            {
                "name": name,
                "id": attrs.get("id", f"id_{name}"),
                "attrs": {k: v for k, v in attrs.items() if k != "id"},
                "options": options,
                "selected": str(value) if value not in (None, "") else "",
                "more": more,
                "query": self.query,
                "search_form": SEARCH_FORM_ID,
                "url": reverse("web:company_options"),
            },
        )


def use_picker(field, companies, query=""):
    """Give a ModelChoiceField of companies the picker, searching `companies` for `query`."""
    field.widget = CompanyPicker(attrs=field.widget.attrs)
    field.widget.companies = companies
    field.widget.query = (query or "").strip()
