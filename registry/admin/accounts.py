from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry import twofactor
from registry.models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["authority"]
    filter_horizontal = ["missions"]


admin.site.unregister(User)
# Second factors change only through registry.twofactor (enrolment by the user, the reset action
# below), which also ends the sessions a removed device verified.
admin.site.unregister(TOTPDevice)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "email", "role", "is_staff", "is_active"]
    list_select_related = ["profile"]
    list_filter = ["profile__role", "is_staff", "is_active"]
    actions = ["reset_second_factor"]

    @admin.display(description="role", ordering="profile__role")
    def role(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.get_role_display() if profile else "—"

    @admin.action(
        description="Reset the second factor (lost authenticator and recovery codes)",
        permissions=["change"],
    )
    def reset_second_factor(self, request, queryset):
        users = list(queryset)
        for user in users:
            twofactor.reset(user, reason=f"reset in the admin by {request.user.get_username()}")
        self.message_user(
            request,
            f"Second factor reset for {len(users)} user(s): their sessions are ended, and they "
            "set up a new authenticator app at their next sign-in.",
            messages.SUCCESS,
        )


admin.site.site_header = "PMSC Registry administration"
admin.site.site_title = "PMSC Registry"

_staff_permission = admin.site.has_permission


def _has_permission(request) -> bool:
    """Staff, and for regulators, auditors and administrators a session verified with their
    second factor (registry.twofactor; SecondFactorMiddleware also sends them to verify)."""
    return _staff_permission(request) and not twofactor.lacks_second_factor(request.user)


# A patch of the default site's method (mypy refuses any assignment to a method).
admin.site.has_permission = _has_permission  # type: ignore[method-assign]
