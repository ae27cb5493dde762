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
