"""Registry roles as Django groups, so the admin grants each role the model permissions it needs.

sync_role_groups() runs after every migrate (post_migrate) and rewrites each role's group to match
ROLE_PERMISSIONS; a user's group follows their Profile.role (post_save on Profile). Row-level
limits (which companies, which missions) are not permissions: they live in registry/access.py.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured

from registry.choices import Role

VIEW = ("view",)
EDIT = ("view", "add", "change")

_REGISTER_READ = {
    "country": VIEW,
    "servicecategory": VIEW,
    "licensingauthority": VIEW,
    "company": VIEW,
    "companyalias": VIEW,
    "licence": VIEW,
    "licenceevent": VIEW,
    "conductstandard": VIEW,
    "adherence": VIEW,
    "certification": VIEW,
    "mission": VIEW,
    "client": VIEW,
}

# role -> {registry model name: actions}. Admins are superusers and need no group.
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.REGULATOR: {
        **_REGISTER_READ,
        "company": EDIT,
        "companyalias": (*EDIT, "delete"),
        "licence": EDIT,
        "conductstandard": EDIT,
        "adherence": EDIT,
        "certification": EDIT,
        "contract": VIEW,
        "incident": EDIT,
        "sanction": EDIT,
        "person": EDIT,
        "employment": EDIT,
        "vetting": EDIT,
        "training": EDIT,
        "finding": VIEW,
        "hiringcheck": VIEW,
        # Rows limited to the companies the regulator regulates (StandingChangeAdmin).
        "standingchange": VIEW,
    },
    Role.MISSION_STAFF: {
        **_REGISTER_READ,
        "client": EDIT,
        "contract": EDIT,
        "incident": VIEW,
        "sanction": VIEW,
        "finding": VIEW,
        "hiringcheck": VIEW,
    },
    Role.AUDITOR: {
        **_REGISTER_READ,
        **{
            name: VIEW
            for name in [
                "contract",
                "incident",
                "sanction",
                "person",
                "employment",
                "vetting",
                "training",
                "finding",
                "hiringcheck",
                "profile",
                "standingchange",
            ]
        },
    },
}
ROLE_GROUP_NAMES = {
    Role.REGULATOR: "Regulators",
    Role.MISSION_STAFF: "Mission staff",
    Role.AUDITOR: "Auditors",
}


def check_role_permissions() -> None:
    """Refuse a ROLE_PERMISSIONS naming a model or an action the registry app does not have."""
    models = {m._meta.model_name: m for m in apps.get_app_config("registry").get_models()}
    unknown = []
    for role, table in ROLE_PERMISSIONS.items():
        for name, actions in table.items():
            model = models.get(name)
            if model is None:
                unknown.append(f"{role}: no model {name!r}")
            elif missing := sorted(set(actions) - set(model._meta.default_permissions)):
                unknown.append(f"{role}: {name} has no {', '.join(missing)} permission")
    if unknown:
        raise ImproperlyConfigured("ROLE_PERMISSIONS: " + "; ".join(unknown))


def sync_role_groups(**kwargs) -> None:
    """Create or update one group per role with exactly the permissions in ROLE_PERMISSIONS."""
    check_role_permissions()
    wanted = {
        role: {f"{action}_{model}" for model, actions in models.items() for action in actions}
        for role, models in ROLE_PERMISSIONS.items()
    }
    all_codenames = set().union(*wanted.values())
    perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="registry", codename__in=all_codenames
        )
    }
    for role, codenames in wanted.items():
        group, _ = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[Role(role)])
        # A model of a later migration than the one migrated to has no permission row yet.
        group.permissions.set([perms[c] for c in codenames if c in perms])


def apply_role_group(user, role: Role | str) -> None:
    """Put the user in their role's group and out of the other role groups."""
    others = [name for r, name in ROLE_GROUP_NAMES.items() if r != role]
    user.groups.remove(*Group.objects.filter(name__in=others))
    name = ROLE_GROUP_NAMES.get(Role(role)) if role in Role.values else None
    if name is not None:
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)
