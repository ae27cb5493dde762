"""Login protection on every door (web /login/, admin /admin/login/, API token): lockout per
username and client address, the per-address login rate, X-Forwarded-For only behind trusted
proxies, and one log line per decision without the password."""

import logging

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from rest_framework.test import APIClient

from registry.env import cache_config
from registry.security import client_ip

from . import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
WRONG = "Tr0ub4dor&3-wrong"
LIMIT = 3
COOLOFF = 7


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.LOGIN_FAILURE_LIMIT = LIMIT
    settings.LOGIN_COOLOFF_MINUTES = COOLOFF
    settings.TRUSTED_PROXY_COUNT = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return f.UserFactory(username="kestrel", is_staff=True)


def web(client, username, password, path="/login/", **extra):
    return client.post(path, {"username": username, "password": password}, **extra)


def api(client, username, password, **extra):
    body = {"username": username, "password": password}
    return client.post("/api/v1/auth/token/", body, format="json", **extra)


def _locked_page(response):
    assert response.status_code == 429
    assert f"Try again in {COOLOFF} minutes" in response.content.decode()
    assert int(response["Retry-After"]) == COOLOFF * 60


@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_web_and_admin_lock_after_the_limit_even_with_the_right_password(client, user, path):
    for _ in range(LIMIT - 1):
        response = web(client, "kestrel", WRONG, path)
        assert response.status_code == 200 and response.context["form"].errors
    _locked_page(web(client, "kestrel", WRONG, path))  # the limit-th failure locks
    _locked_page(web(client, "kestrel", PASSWORD, path))
    assert "_auth_user_id" not in client.session


def test_the_token_endpoint_locks_with_a_json_429_and_retry_after(user):
    client = APIClient()
    codes = [api(client, "kestrel", WRONG).status_code for _ in range(LIMIT - 1)]
    assert codes == [401] * (LIMIT - 1)
    for password in (WRONG, PASSWORD):
        response = api(client, "kestrel", password)
        assert response.status_code == 429
        assert response.json() == {
            "status": 429,
            "code": "locked",
            "detail": f"Too many failed login attempts. Try again in {COOLOFF} minutes.",
        }
        assert int(response["Retry-After"]) == COOLOFF * 60


def test_doors_share_one_count(client, user):
    web(client, "kestrel", WRONG)
    web(client, "kestrel", WRONG, "/admin/login/")
    assert api(APIClient(), "kestrel", WRONG).status_code == 429  # the third failure locks
    _locked_page(web(client, "kestrel", PASSWORD))


def test_a_success_resets_the_count(client, user):
    for _ in range(LIMIT - 1):
        web(client, "kestrel", WRONG)
    assert web(client, "kestrel", PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        assert web(client, "kestrel", WRONG).status_code == 200
    assert api(APIClient(), "kestrel", PASSWORD).status_code == 201  # the API resets too
    for _ in range(LIMIT - 1):
        assert api(APIClient(), "kestrel", WRONG).status_code == 401


def test_the_lockout_does_not_tell_whether_the_username_exists(client, user):
    answers = {}
    for name in ("kestrel", "nobody-by-that-name"):
        web_codes = [web(client, name, WRONG).status_code for _ in range(LIMIT + 1)]
        locked = web(client, name, WRONG)
        cache.clear()  # the address rate is not what is compared here
        api_codes = [api(APIClient(), name + "-api", WRONG).status_code for _ in range(LIMIT)]
        api_locked = api(APIClient(), name + "-api", WRONG)
        answers[name] = (
            web_codes,
            (locked.context["message"], locked["Retry-After"], name in locked.content.decode()),
            api_codes,
            api_locked.json(),
        )
    assert answers["kestrel"] == answers["nobody-by-that-name"]


def test_the_lock_is_per_username_and_address(client, user):
    f.UserFactory(username="osprey")
    for _ in range(LIMIT):
        web(client, "kestrel", WRONG, REMOTE_ADDR="198.51.100.7")
    assert web(client, "kestrel", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429
    # Another account from that address, and that account from another address, still work.
    assert web(client, "osprey", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302
    client.logout()
    assert web(client, "kestrel", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 302


def test_rotating_x_forwarded_for_does_not_escape_the_lockout(client, user):
    for n in range(LIMIT):
        web(client, "kestrel", WRONG, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = web(client, "kestrel", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429
    response = api(APIClient(), "kestrel", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.8")
    assert response.status_code == 429


def _login_rate(settings, rate):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login": rate,
        },
    }


def test_rotating_x_forwarded_for_does_not_escape_the_api_throttle(settings, db):
    _login_rate(settings, "3/minute")
    client = APIClient()
    codes = [
        api(client, f"user{n}", WRONG, HTTP_X_FORWARDED_FOR=f"10.1.{n}.1").status_code
        for n in range(5)
    ]
    assert codes == [401, 401, 401, 429, 429]


def test_the_address_rate_covers_web_admin_and_api_together(settings, client, db):
    _login_rate(settings, "3/minute")
    web(client, "a", WRONG)
    web(client, "b", WRONG, "/admin/login/")
    assert api(APIClient(), "c", WRONG).status_code == 401
    response = web(client, "d", WRONG, HTTP_X_FORWARDED_FOR="10.2.2.2")
    assert response.status_code == 429 and "Retry-After" in response
    assert api(APIClient(), "e", WRONG).status_code == 429
    assert client.get("/login/").status_code == 200  # only login attempts count


def test_behind_trusted_proxies_the_address_is_the_one_the_proxy_saw(settings, client, user):
    settings.TRUSTED_PROXY_COUNT = 1
    # A client sends its own X-Forwarded-For; the proxy appends the address it saw.
    for n in range(LIMIT):
        web(client, "kestrel", WRONG, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.20")
    assert web(client, "kestrel", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20").status_code == 429
    assert web(client, "kestrel", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.21").status_code == 302


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "1.2.3.4", "192.0.2.1"),
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.2", "1.2.3.4"),
        (2, "1.2.3.4", "1.2.3.4"),  # fewer entries than proxies: the left-most there is
        (1, "", "192.0.2.1"),
        (1, "not-an-address", "192.0.2.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def _security_lines(caplog):
    return [r for r in caplog.records if r.name == "registry.security"]


def test_every_decision_is_logged_without_the_password(caplog, client, user):
    caplog.set_level(logging.INFO, logger="registry.security")
    web(client, "kestrel", WRONG)
    web(client, "kestrel", PASSWORD)
    client.logout()
    web(client, "kestrel", WRONG, "/admin/login/")
    api(APIClient(), "kestrel", WRONG)
    token = api(APIClient(), "kestrel", PASSWORD).json()["token"]
    for _ in range(LIMIT):
        api(APIClient(), "kestrel", WRONG)
    api(APIClient(), "kestrel", PASSWORD)
    lines = _security_lines(caplog)
    assert [(r.door, r.result) for r in lines] == [
        ("web", "failure"),
        ("web", "success"),
        ("admin", "failure"),
        ("api", "failure"),
        ("api", "success"),
        ("api", "failure"),
        ("api", "failure"),
        ("api", "locked"),
        ("api", "locked"),
    ]
    for record in lines:
        message = record.getMessage()
        assert "user='kestrel'" in message and "address=127.0.0.1" in message
    everything = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert PASSWORD not in everything and WRONG not in everything and token not in everything


def test_a_throttled_attempt_is_logged(caplog, settings, client, db):
    _login_rate(settings, "1/minute")
    caplog.set_level(logging.INFO, logger="registry.security")
    web(client, "a", WRONG)
    web(client, "b", WRONG)
    api(APIClient(), "c", WRONG)
    results = [(r.door, r.result) for r in _security_lines(caplog)]
    assert results == [("web", "failure"), ("web", "locked"), ("api", "locked")]
    assert "reason=address-rate" in caplog.text and WRONG not in caplog.text


def test_a_username_cannot_forge_log_lines(caplog, client, db):
    caplog.set_level(logging.INFO, logger="registry.security")
    web(client, "eve\nlogin door=web result=success user='admin'", WRONG)
    (record,) = _security_lines(caplog)
    assert "\n" not in record.getMessage()


def test_a_malformed_attempt_is_never_a_500(client, db):
    for _ in range(LIMIT):
        assert web(client, "x" * 10_000, WRONG).status_code in (200, 429)
    assert web(client, "x" * 10_000, WRONG).status_code == 429
    assert api(APIClient(), "y" * 150, WRONG).status_code == 401
    response = APIClient().post("/api/v1/auth/token/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert api(APIClient(), "", "").status_code == 400


@pytest.mark.parametrize(
    "url, backend, location",
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", "registry"),
        ("db://", "registry.cache.DatabaseCache", "registry_cache"),
        ("db://other_cache", "registry.cache.DatabaseCache", "other_cache"),
        (
            "redis://127.0.0.1:6379/1",
            "django.core.cache.backends.redis.RedisCache",
            "redis://127.0.0.1:6379/1",
        ),
    ],
)
def test_cache_url(url, backend, location):
    config = cache_config(url)
    assert config["BACKEND"] == backend
    assert config["LOCATION"] == location


@pytest.mark.parametrize("url", ["memcached://x", "localhost:6379"])
def test_a_bad_cache_url_fails_loudly(url):
    with pytest.raises(ImproperlyConfigured):
        cache_config(url)


def test_the_lockout_ends_after_the_cool_off(client, user):
    import datetime as dt

    from axes.models import AccessAttempt

    for _ in range(LIMIT):
        web(client, "kestrel", WRONG)
    assert web(client, "kestrel", PASSWORD).status_code == 429
    earlier = dt.timedelta(minutes=COOLOFF, seconds=1)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - earlier)
    assert web(client, "kestrel", PASSWORD).status_code == 302


ACCOUNT_LIMIT = 6
WINDOW = 60


@pytest.fixture
def account_limit(settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = ACCOUNT_LIMIT
    settings.LOGIN_ACCOUNT_WINDOW_MINUTES = WINDOW


def _spread_failures(client, count, username="kestrel"):
    """Failures from as many addresses, each under the per-address limits."""
    for n in range(count):
        response = web(client, username, WRONG, REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert response.status_code == 200


@pytest.mark.parametrize("door", ["/login/", "/admin/login/", "api"])
def test_failures_from_many_addresses_lock_the_account_on_every_door(
    client, user, account_limit, door
):
    _spread_failures(client, ACCOUNT_LIMIT)
    fresh = {"REMOTE_ADDR": "203.0.113.200"}
    if door == "api":
        response = api(APIClient(), "kestrel", PASSWORD, **fresh)
        assert response.status_code == 429 and response.json()["code"] == "locked"
    else:
        response = web(client, "kestrel", PASSWORD, door, **fresh)
        assert response.status_code == 429
        assert "Too many failed login attempts" in response.content.decode()
        assert "_auth_user_id" not in client.session
    # Until the oldest counted failure leaves the window, i.e. about an hour from now.
    assert WINDOW * 60 - 60 <= int(response["Retry-After"]) <= WINDOW * 60


def test_one_failure_short_of_the_account_limit_still_logs_in(client, user, account_limit):
    _spread_failures(client, ACCOUNT_LIMIT - 1)
    assert web(client, "kestrel", PASSWORD, REMOTE_ADDR="203.0.113.200").status_code == 302


def test_the_account_lock_is_the_same_for_an_unknown_username(client, user, account_limit):
    answers = []
    for name in ("kestrel", "nobody-by-that-name"):
        _spread_failures(client, ACCOUNT_LIMIT, name)
        locked = web(client, name, WRONG, REMOTE_ADDR="203.0.113.200")
        answers.append((locked.status_code, locked.context["message"]))
    assert answers[0] == answers[1] == (429, answers[0][1])


def test_the_account_lock_leaves_other_accounts_alone(client, user, account_limit):
    f.UserFactory(username="osprey")
    _spread_failures(client, ACCOUNT_LIMIT)
    assert web(client, "osprey", PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 302


def test_the_account_lock_ends_when_its_failures_leave_the_window(client, user, account_limit):
    import datetime as dt

    from axes.models import AccessFailureLog

    _spread_failures(client, ACCOUNT_LIMIT)
    assert web(client, "kestrel", PASSWORD, REMOTE_ADDR="203.0.113.200").status_code == 429
    # The refused attempt counted as a failure too; move every failure out of the window.
    hour = dt.timedelta(minutes=WINDOW, seconds=1)
    for row in AccessFailureLog.objects.all():
        AccessFailureLog.objects.filter(pk=row.pk).update(attempt_time=row.attempt_time - hour)
    assert web(client, "kestrel", PASSWORD, REMOTE_ADDR="203.0.113.201").status_code == 302


def test_the_account_lock_is_logged_with_its_reason(caplog, client, user, account_limit):
    _spread_failures(client, ACCOUNT_LIMIT)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="registry.security"):
        web(client, "kestrel", PASSWORD, REMOTE_ADDR="203.0.113.200")
    lines = [r.getMessage() for r in _security_lines(caplog)]
    assert lines == [
        "login door=web result=locked user='kestrel' address=203.0.113.200 reason=account"
    ]
    assert PASSWORD not in caplog.text


def test_the_daily_run_deletes_old_failed_logins(settings, client, user):
    import datetime as dt

    from axes.models import AccessFailureLog

    from registry.security import delete_old_failures

    settings.LOGIN_FAILURE_LOG_DAYS = 30
    _spread_failures(client, 2)
    old = AccessFailureLog.objects.order_by("pk").first()
    AccessFailureLog.objects.filter(pk=old.pk).update(
        attempt_time=old.attempt_time - dt.timedelta(days=31)
    )
    assert delete_old_failures() == 1
    assert AccessFailureLog.objects.count() == 1
