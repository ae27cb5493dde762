from .accounts import Profile, RecoveryCodes
from .authorities import LicensingAuthority
from .base import Country, ServiceCategory, TimeStampedModel
from .companies import Company, CompanyAlias
from .compliance import Finding, HiringCheck
from .conduct import Adherence, Certification, ConductStandard
from .contracts import Contract, ContractTally
from .idempotency import IdempotencyKey
from .licences import Licence, LicenceEvent
from .missions import Client, Mission
from .oversight import Incident, Sanction
from .personnel import Employment, Person, Training, Vetting, identity_hash
from .standing import StandingChange
from .tokens import ApiToken

__all__ = [
    "ApiToken",
    "Adherence",
    "Certification",
    "Client",
    "Company",
    "CompanyAlias",
    "ConductStandard",
    "Contract",
    "ContractTally",
    "Country",
    "Employment",
    "Finding",
    "HiringCheck",
    "IdempotencyKey",
    "Incident",
    "Licence",
    "LicenceEvent",
    "LicensingAuthority",
    "Mission",
    "Person",
    "Profile",
    "RecoveryCodes",
    "Sanction",
    "ServiceCategory",
    "StandingChange",
    "TimeStampedModel",
    "Training",
    "Vetting",
    "identity_hash",
]
