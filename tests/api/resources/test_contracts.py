"""Missions, clients, contracts and coordination summaries (api/views/contracts.py)."""

from ... import factories as f
from ..resource_cases import ADMINS, NOBODY, SIGNED_IN, ReadCases, WriteCases

CONTRACT_READERS = frozenset({"mission_staff", "regulator", "auditor", "admin"})


class TestMissions(WriteCases):
    basename = "mission"
    read_roles = SIGNED_IN
    write_roles = ADMINS
    make = staticmethod(lambda s: f.MissionFactory())
    create_body = staticmethod(
        lambda s: {
            "organisation": "AU",
            "name": "Transition Mission",
            "acronym": "ATMX",
            "countries": ["SO"],
            "start": "2026-01-01",
        }
    )
    update_body = {"name": "Transition Mission in Somalia"}


class TestClients(WriteCases):
    basename = "client"
    read_roles = SIGNED_IN
    write_roles = ADMINS
    make = staticmethod(lambda s: f.ClientFactory(mission=s.mission))
    create_body = staticmethod(lambda s: {"name": "Relief agency", "kind": "un_agency"})
    update_body = {"name": "Relief agency (Nairobi)"}


class TestContracts(WriteCases):
    basename = "contract"
    read_roles = CONTRACT_READERS
    write_roles = frozenset({"mission_staff", "regulator", "admin"})
    create_roles = frozenset({"mission_staff", "admin"})  # a regulator changes, never signs
    make = staticmethod(lambda s: f.ContractFactory(client=s.client, company=s.company))
    create_body = staticmethod(
        lambda s: {
            "reference": "NEW-C-1",
            "client": s.client.pk,
            "mission": s.mission.pk,
            "company": s.company.pk,
            "countries": ["KE"],
            "services": ["unarmed_guarding"],
            "start": "2026-01-01",
            "end": "2026-12-31",
        }
    )
    update_body = {"title": "Perimeter guarding"}


class TestCoordination(ReadCases):
    basename = "coordination"
    read_roles = SIGNED_IN
    write_roles = NOBODY
    # Another mission's contract: coordination shows every contract to every signed-in role.
    make = staticmethod(lambda s: f.ContractFactory(company=s.company))
