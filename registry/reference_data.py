"""Reference tables that come from standards, not from users: countries and the service catalogue."""

import pycountry

from registry.choices import SERVICE_CATALOGUE


def sync_reference_data(apps=None) -> None:
    """Insert or update ISO 3166-1 countries and the service catalogue. Safe to run again."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Country = apps.get_model("registry", "Country")
    ServiceCategory = apps.get_model("registry", "ServiceCategory")
    countries = [
        Country(code=c.alpha_2, name=getattr(c, "common_name", None) or c.name)
        for c in pycountry.countries
    ]
    Country.objects.bulk_create(
        countries, update_conflicts=True, unique_fields=["code"], update_fields=["name"]
    )
    ServiceCategory.objects.bulk_create(
        [
            ServiceCategory(code=s.code, name=s.name, armed=s.armed, description=s.description)
            for s in SERVICE_CATALOGUE
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "armed", "description"],
    )
