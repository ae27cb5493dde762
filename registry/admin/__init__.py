from . import accounts, companies, contracts, licences, reference  # noqa: F401
