"""The contract tally (registry.models.ContractTally) kept by database triggers: equal to the
contracts counted directly after every kind of write, for every reader of the dashboard."""

import datetime as dt
from decimal import Decimal

import pytest

from registry.access import Viewer
from registry.audit.transactions import write_transaction
from registry.choices import Role
from registry.models import Contract, ContractTally
from registry.services.tallies import aggregated_groups, contract_groups

from . import factories as f

pytestmark = pytest.mark.django_db
EVERYTHING = Viewer(user=None, role=Role.ADMIN)


def key(groups):
    return sorted(
        (g.mission or "", g.year, g.currency, g.contracts, g.value and Decimal(g.value))
        for g in groups
    )


def assert_tally_holds(who=EVERYTHING):
    assert key(contract_groups(who)) == key(aggregated_groups(who))


@pytest.fixture
def contracts(mission, company):
    other = f.MissionFactory(acronym="UNOTH")
    made = [
        f.ContractFactory(client__mission=mission, company=company, value=1000),
        f.ContractFactory(client__mission=mission, company=company, value=250, currency="EUR"),
        f.ContractFactory(client__mission=other, value=None, currency=""),
        f.ContractFactory(
            client__mission=None, client__kind="ngo", start=dt.date(2019, 3, 1), value=5
        ),
    ]
    return made


def test_creates_are_counted(contracts):
    assert_tally_holds()
    groups = {(g.mission, g.currency): g for g in contract_groups(EVERYTHING)}
    assert groups[(None, "USD")].year == 2019
    assert groups[("UNOTH", "")].value is None


def test_an_update_moves_the_contract_between_groups(contracts, mission):
    c = contracts[0]
    c.value, c.currency, c.start = Decimal("7.50"), "GBP", dt.date(2021, 1, 4)
    c.mission = f.MissionFactory()
    c.save()
    assert_tally_holds()
    c.value = None
    c.save()
    assert_tally_holds()


def test_a_delete_is_counted_and_an_emptied_group_not_shown(contracts):
    contracts[2].countries.clear()
    contracts[2].services.clear()
    Contract.objects.filter(pk=contracts[2].pk).delete()
    assert_tally_holds()
    assert all(g.mission != "UNOTH" for g in contract_groups(EVERYTHING))
    assert ContractTally.objects.filter(contracts=0).exists()


def test_set_based_writes_are_counted(contracts, mission, company):
    with write_transaction():
        Contract.objects.bulk_create(
            [
                Contract(
                    reference=f"BULK-{i}",
                    client=contracts[0].client,
                    mission=mission,
                    company=company,
                    personnel_local=1,
                    value=i,
                    currency="USD",
                    start=dt.date(2020 + i % 3, 1, 1),
                    end=dt.date(2030, 1, 1),
                )
                for i in range(30)
            ]
        )
        Contract.objects.filter(reference__startswith="BULK-1").update(currency="EUR")
        Contract.objects.filter(reference__startswith="BULK-2").update(value=None)
    assert_tally_holds()


def test_an_update_that_changes_nothing_counted_leaves_the_tally(contracts):
    before = list(ContractTally.objects.order_by("id").values())
    Contract.objects.update(title="Renamed")
    assert list(ContractTally.objects.order_by("id").values()) == before


@pytest.mark.parametrize("role", ["auditor", "mission_officer", "regulator"])
def test_each_reader_gets_the_groups_of_the_contracts_they_read(request, contracts, role):
    user = request.getfixturevalue(role)
    assert_tally_holds(user)
    assert contract_groups(user)


def test_the_public_gets_no_groups(contracts):
    from django.contrib.auth.models import AnonymousUser

    assert contract_groups(AnonymousUser()) == []
