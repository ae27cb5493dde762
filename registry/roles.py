"""Registry roles as Django groups, so the admin grants each role the model permissions it needs.

sync_role_groups() runs after every migrate (post_migrate) and rewrites each role's group to match
ROLE_PERMISSIONS; a user's group follows their Profile.role (post_save on Profile). Row-level
limits (which companies, which missions) are not permissions: they live in registry/access.py.
"""

from django.contrib.auth.models import Group, Permission

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


def sync_role_groups(**kwargs) -> None:
    """Create or update one group per role with exactly the permissions in ROLE_PERMISSIONS."""
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
        group, _ = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
        # Models another branch has not added yet simply have no permission row.
        group.permissions.set([perms[c] for c in codenames if c in perms])


def apply_role_group(user, role: str) -> None:
    """Put the user in their role's group and out of the other role groups."""
    others = [name for r, name in ROLE_GROUP_NAMES.items() if r != role]
    user.groups.remove(*Group.objects.filter(name__in=others))
    if role in ROLE_GROUP_NAMES:
        group, _ = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
        user.groups.add(group)
