"""Fixed value sets with stable machine codes. Codes are part of the API: never rename one."""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class ServiceCategoryDef:
    code: str
    name: str
    armed: bool
    description: str


# The service catalogue. `armed` marks services that by nature involve armed personnel.
SERVICE_CATALOGUE: tuple[ServiceCategoryDef, ...] = (
    ServiceCategoryDef(
        "armed_static_guarding",
        "Armed static guarding",
        True,
        "Armed protection of fixed sites: compounds, offices, warehouses, installations.",
    ),
    ServiceCategoryDef(
        "unarmed_guarding",
        "Unarmed guarding",
        False,
        "Unarmed guards, access control, reception and patrols of premises.",
    ),
    ServiceCategoryDef(
        "armed_escort",
        "Armed escort and convoy protection",
        True,
        "Armed protection of people or goods on the move: convoys, escorts, movement security.",
    ),
    ServiceCategoryDef(
        "close_protection",
        "Close protection",
        True,
        "Personal protection of named individuals (bodyguarding), armed or unarmed.",
    ),
    ServiceCategoryDef(
        "maritime_security",
        "Maritime security",
        True,
        "Protection of vessels, ports and offshore installations, including embarked teams.",
    ),
    ServiceCategoryDef(
        "risk_analysis",
        "Risk analysis and intelligence",
        False,
        "Threat and risk assessments, security information and analysis.",
    ),
    ServiceCategoryDef(
        "training_advising",
        "Training and advising of security forces",
        False,
        "Training, mentoring and advising of police, military or other security forces.",
    ),
    ServiceCategoryDef(
        "logistics_support",
        "Logistics and operational support",
        False,
        "Transport, maintenance, base support and other operational logistics.",
    ),
    ServiceCategoryDef(
        "demining_eod",
        "Demining and explosive ordnance disposal",
        False,
        "Mine clearance, explosive ordnance disposal and weapons and ammunition management.",
    ),
    ServiceCategoryDef(
        "detention_support",
        "Detention support",
        False,
        "Guarding, operation or support of detention and prison facilities.",
    ),
    ServiceCategoryDef(
        "crisis_response",
        "Crisis response and evacuation",
        False,
        "Hostage and kidnap response, emergency evacuation and crisis management.",
    ),
)
SERVICE_CODES = frozenset(s.code for s in SERVICE_CATALOGUE)


class LicenceState(models.TextChoices):
    APPLIED = "applied", "Applied"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"
    SURRENDERED = "surrendered", "Surrendered"
    REFUSED = "refused", "Refused"


class LicenceAction(models.TextChoices):
    GRANT = "grant", "Grant"
    REFUSE = "refuse", "Refuse"
    SUSPEND = "suspend", "Suspend"
    REINSTATE = "reinstate", "Reinstate"
    REVOKE = "revoke", "Revoke"
    SURRENDER = "surrender", "Surrender"
    RENEW = "renew", "Renew"
    EXPIRE = "expire", "Expire"


class Standing(models.TextChoices):
    GOOD = "good", "Good standing"
    RESTRICTED = "restricted", "Restricted"
    NOT_CLEARED = "not_cleared", "Not cleared"


class StandardKind(models.TextChoices):
    CODE_OF_CONDUCT = "code_of_conduct", "Code of conduct"
    MANAGEMENT_STANDARD = "management_standard", "Management system standard"
    NATIONAL_CODE = "national_code", "National code"
    MISSION_CODE = "mission_code", "Mission code"


class Organisation(models.TextChoices):
    UN = "UN", "United Nations"
    AU = "AU", "African Union"
    EU = "EU", "European Union"
    NATO = "NATO", "NATO"
    ECOWAS = "ECOWAS", "ECOWAS"
    OSCE = "OSCE", "OSCE"
    OTHER = "other", "Other"


class ClientKind(models.TextChoices):
    MISSION = "mission", "Peace support mission"
    UN_AGENCY = "un_agency", "UN agency, fund or programme"
    GOVERNMENT = "government", "Government"
    NGO = "ngo", "Non-governmental organisation"
    COMPANY = "company", "Company"
    INTERNATIONAL_ORGANISATION = "international_org", "Other international organisation"


class ContractStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    TERMINATED_CONVENIENCE = "terminated_convenience", "Terminated for convenience"
    TERMINATED_CAUSE = "terminated_cause", "Terminated for cause"


TERMINATED_STATUSES = (ContractStatus.TERMINATED_CONVENIENCE, ContractStatus.TERMINATED_CAUSE)


class PersonnelOrigin(models.TextChoices):
    INTERNATIONAL = "international", "International (home country)"
    THIRD_COUNTRY = "third_country", "Third-country national"
    LOCAL = "local", "Local national"


class Role(models.TextChoices):
    REGULATOR = "regulator", "Regulator"
    MISSION_STAFF = "mission_staff", "Mission staff"
    AUDITOR = "auditor", "Auditor"
    ADMIN = "admin", "Administrator"


class IncidentCategory(models.TextChoices):
    USE_OF_FORCE = "use_of_force", "Use of force"
    WEAPONS_DISCHARGE = "weapons_discharge", "Weapons discharge"
    INJURY_OR_DEATH = "injury_or_death", "Injury or death"
    HUMAN_RIGHTS = "human_rights", "Human-rights allegation"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation and abuse"
    UNLAWFUL_DETENTION = "unlawful_detention", "Unlawful detention"
    MISCONDUCT = "misconduct", "Misconduct"
    OTHER = "other", "Other"


class IncidentSeverity(models.TextChoices):
    MINOR = "minor", "Minor"
    MODERATE = "moderate", "Moderate"
    SERIOUS = "serious", "Serious"
    CRITICAL = "critical", "Critical"


SERIOUS_SEVERITIES = (IncidentSeverity.SERIOUS, IncidentSeverity.CRITICAL)


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", "Reported"
    UNDER_INVESTIGATION = "under_investigation", "Under investigation"
    SUBSTANTIATED = "substantiated", "Substantiated"
    UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
    CLOSED = "closed", "Closed"


class SanctionKind(models.TextChoices):
    WARNING = "warning", "Warning"
    FINE = "fine", "Fine"
    CONTRACTING_SUSPENSION = "contracting_suspension", "Suspension from contracting"
    DEBARMENT = "debarment", "Debarment"


EXCLUDING_SANCTIONS = (SanctionKind.CONTRACTING_SUSPENSION, SanctionKind.DEBARMENT)


class SanctionScope(models.TextChoices):
    GLOBAL = "global", "Global"
    COUNTRY = "country", "One country"
    MISSION = "mission", "One mission"


class VettingOutcome(models.TextChoices):
    CLEARED = "cleared", "Cleared"
    REFUSED = "refused", "Refused"
    PENDING = "pending", "Pending"


class TrainingKind(models.TextChoices):
    USE_OF_FORCE = "use_of_force", "Use of force"
    HUMAN_RIGHTS = "human_rights", "Human rights"
    CODE_OF_CONDUCT = "code_of_conduct", "Code of conduct"
    SEA_PREVENTION = "sea_prevention", "Prevention of sexual exploitation and abuse"
    FIREARMS = "firearms", "Firearms qualification"


class Severity(models.TextChoices):
    BLOCKER = "blocker", "Blocker"
    WARNING = "warning", "Warning"
    INFO = "info", "Info"


class FindingState(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    WAIVED = "waived", "Waived"


class Verdict(models.TextChoices):
    CLEARED = "cleared", "Cleared"
    CLEARED_WITH_WARNINGS = "cleared_with_warnings", "Cleared with warnings"
    REFUSED = "refused", "Refused"
