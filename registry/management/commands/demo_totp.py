from base64 import b32encode

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry.demo import DEMO_TOTP_SECRETS


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of a demo user (regulator, auditor, admin), as an "
        "authenticator app given the user's demo secret would show it. Demo users only."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", choices=sorted(DEMO_TOTP_SECRETS))

    def handle(self, *args, username, **options):
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        secret = DEMO_TOTP_SECRETS[username]
        if device is None or User.objects.filter(username=username).count() != 1:
            raise CommandError(f"No demo authenticator for {username}: load the demo first.")
        if b32encode(device.bin_key).decode() != secret:
            # Never print codes for an authenticator someone enrolled themselves.
            raise CommandError(f"{username}'s authenticator is not the demo one.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
