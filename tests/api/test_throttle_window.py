"""registry.security.SlidingWindowThrottle: DRF's throttle counting in constant space."""

import pytest
from django.core.cache import cache

from registry.security import SlidingWindowThrottle

WINDOW = 1_000_020.0  # the start of a minute window (60 * 16,667 s)
START = WINDOW + 20


class ThreeAMinute(SlidingWindowThrottle):
    rate = "3/minute"

    def get_cache_key(self, request, view):
        return "throttle_test_client"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def attempt(at: float) -> ThreeAMinute:
    throttle = ThreeAMinute()
    throttle.timer = lambda: at
    throttle.allowed = throttle.allow_request(None, None)
    return throttle


def test_the_rate_is_kept_within_a_window():
    assert [attempt(START + i).allowed for i in range(4)] == [True, True, True, False]
    refused = attempt(START + 5)
    assert not refused.allowed and 0 < refused.wait() <= 60


def test_the_previous_window_counts_by_the_share_still_covered():
    for i in range(3):
        attempt(START + i)
    # A quarter into the next window the previous three count as 2.25: room for one.
    assert [attempt(WINDOW + 75 + i / 100).allowed for i in range(2)] == [True, False]
    # Half way in they count as 1.5, and 1 + 1.5 < 3: room for one more.
    assert [attempt(WINDOW + 90 + i / 100).allowed for i in range(2)] == [True, False]


def test_a_full_window_waits_for_its_end():
    for i in range(3):
        attempt(START + i)
    refused = attempt(START + 3)
    assert not refused.allowed
    assert refused.wait() == pytest.approx(37)
    assert not attempt(WINDOW + 59).allowed
    assert attempt(WINDOW + 60.01).allowed


def test_a_wait_while_the_previous_window_fades_is_enough_and_not_more():
    for i in range(3):
        attempt(START + i)
    attempt(WINDOW + 75)
    refused = attempt(WINDOW + 75.01)  # 1 + 3 * (44.99 / 60) = 3.2495
    assert not refused.allowed
    assert refused.wait() == pytest.approx(4.99)
    assert not attempt(WINDOW + 75.01 + refused.wait() - 0.5).allowed
    assert attempt(WINDOW + 75.01 + refused.wait() + 0.01).allowed


def test_a_window_long_gone_is_forgotten():
    for i in range(3):
        attempt(START + i)
    assert attempt(START + 150).allowed


def test_the_stored_count_stays_three_integers_however_many_requests():
    class Many(ThreeAMinute):
        rate = "100000/hour"

    for i in range(500):
        throttle = Many()
        throttle.timer = lambda i=i: START + i / 10
        assert throttle.allow_request(None, None)
    assert cache.get("throttle_test_client") == (277, 500, 0)
