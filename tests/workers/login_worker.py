"""One worker process of tests/test_login_workers.py: the application set up from the
environment (DATABASE_URL, CACHE_URL...), like one of several server workers. It reads one JSON
command a line on stdin and writes one JSON answer a line on stdout:

    {"door": "web" | "admin" | "api", "username": …, "password": …, "address": …}  -> {"status": 429}
    {"rate": "6/minute"}                                                        -> {"ok": true}
"""

import json
import os
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()  # the test client's host name; nothing else changes
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if os.environ.get("CREATE_CACHE_TABLE") == "1":
    call_command("createcachetable", verbosity=0)  # a no-op unless CACHE_URL is db://

PATHS = {"web": "/login/", "admin": "/admin/login/", "api": "/api/v1/auth/token/"}


def attempt(command):
    client = Client(REMOTE_ADDR=command.get("address", "127.0.0.1"))
    body = {"username": command["username"], "password": command["password"]}
    if command["door"] == "api":
        response = client.post(PATHS["api"], json.dumps(body), content_type="application/json")
    else:
        response = client.post(PATHS[command["door"]], body)
    return {"status": response.status_code, "pid": os.getpid()}


def main():
    print(json.dumps({"ready": os.getpid()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        if "rate" in command:
            rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
            rates["login"] = command["rate"]
            print(json.dumps({"ok": True}), flush=True)
        else:
            print(json.dumps(attempt(command)), flush=True)


if __name__ == "__main__":
    main()
