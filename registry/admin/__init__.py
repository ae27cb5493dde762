from . import (  # noqa: F401
    accounts,
    companies,
    compliance,
    contracts,
    licences,
    oversight,
    personnel,
    reference,
)
