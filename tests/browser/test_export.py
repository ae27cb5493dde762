import pytest

from registry.choices import Role  # noqa: E402
from tests import factories as f  # noqa: E402

pytestmark = pytest.mark.browser


def test_auditor_downloads_contracts_as_csv(page, login, tmp_path):
    f.ContractFactory(reference="KE-2026-001", countries=["KE"])
    f.ContractFactory(reference="SO-2026-001", countries=["SO"])
    login(f.ProfileFactory(role=Role.AUDITOR).user)
    page.goto("/contracts/?country=SO")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("contracts-")
    target = tmp_path / "contracts.csv"
    download.save_as(target)
    text = target.read_text()
    assert "SO-2026-001" in text and "KE-2026-001" not in text
