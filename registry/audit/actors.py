"""Who did it: a user, or a system principal such as a management command (audit entries and
licence events name either)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SystemActor:
    """A non-human principal, e.g. SystemActor("command:expire_licences")."""

    label: str


def actor_fields(actor) -> dict:
    """The (actor, actor_label) pair to store for `actor` (a user, a SystemActor or None)."""
    if actor is None:
        return {"actor": None, "actor_label": "system"}
    if isinstance(actor, SystemActor):
        return {"actor": None, "actor_label": actor.label}
    return {"actor": actor, "actor_label": actor.get_username()}
