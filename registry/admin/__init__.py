from . import accounts, companies, contracts, licences, oversight, reference  # noqa: F401
