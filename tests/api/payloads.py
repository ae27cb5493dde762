"""Request bodies more than one API test module sends."""

import datetime as dt


def hiring_request(world, **changes) -> dict:
    """A proposed hire of the world's company for its mission: unarmed guarding in Kenya,
    starting in ten days for three months."""
    today = dt.date.today()
    return {
        "company": world.company.pk,
        "mission": world.mission.pk,
        "countries": ["KE"],
        "services": ["unarmed_guarding"],
        "armed": False,
        "personnel": {"international": 2, "third_country": 0, "local": 10, "armed": 0},
        "start": (today + dt.timedelta(days=10)).isoformat(),
        "end": (today + dt.timedelta(days=100)).isoformat(),
        **changes,
    }
