"""Demo data: a deterministic generator (build.py) and a loader that moves it to today (load.py).

fixtures/demo.json holds the records dated relative to an anchor day written in the file;
load_demo shifts every date by the days between that anchor and today, so "expires in 30 days"
stays true whenever the demo is loaded.
"""

FIXTURE_PATH = "fixtures/demo.json"

# Demo-only passwords, documented in README.md. They exist nowhere but in the demo.
DEMO_USERS = {
    "regulator": "regulator-demo-2025",
    "mission": "mission-demo-2025",
    "auditor": "auditor-demo-2025",
    "admin": "admin-demo-2025",
}

# Demo-only two-factor secrets (base32, as authenticator apps take them), documented in README.md,
# for the roles that need a second factor. `manage.py demo_totp <username>` prints the current
# code. Real users enrol their own authenticator at their first sign-in.
DEMO_TOTP_SECRETS = {
    "regulator": "SUZ7VPWUC5J3SJDTSMUBR4YIZOPVJ3W3",
    "auditor": "5WAIRPHZYPMWM4ZLSC4R6M5Y2EISBYH7",
    "admin": "JQ3NWCJUSOS6ISD6FJSGRTUKLN4XFUEH",
}
