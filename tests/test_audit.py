"""Audit trail: what is recorded, by whom, through which channel."""

import base64
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path
from rest_framework.authentication import BasicAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from registry import urls as registry_urls
from registry.audit import recorder
from registry.audit.chain import verify_chain
from registry.audit.context import audit_context, os_user
from registry.audit.models import AuditEntry
from registry.audit.queries import company_history_url, entries, history_url
from registry.choices import LicenceAction as A
from registry.choices import LicenceState as S
from registry.models import Company, Licence, LicensingAuthority
from registry.services.licensing import expire_licences, transition

from . import factories as f


def web_view(request):
    LicensingAuthority.objects.create(name=request.POST["name"], country_id="KE")
    if request.POST.get("fail"):
        raise RuntimeError("the view failed after writing")
    return HttpResponse("ok")


class ApiProbe(APIView):
    authentication_classes = [BasicAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request):
        LicensingAuthority.objects.create(name=request.data["name"], country_id="KE")
        return Response({"ok": True})


urlpatterns = [
    path("api/probe/", ApiProbe.as_view()),
    path("probe/", web_view),
    *registry_urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def last(**filters):
    return AuditEntry.objects.filter(**filters).order_by("-seq").first()


def test_it_records_create_update_delete_with_old_and_new_values(company):
    created = last(object_type="registry.company", object_id=str(company.pk))
    assert created.action == "create" and created.company_id == company.pk
    assert created.changes["legal_name"] == [None, company.legal_name]

    old_name = company.legal_name
    company.legal_name = "Harbour Watch Ltd"
    company.save()
    updated = last(object_type="registry.company")
    assert updated.action == "update"
    assert updated.changes == {"legal_name": [old_name, "Harbour Watch Ltd"]}

    count = AuditEntry.objects.count()
    company.save()  # nothing changed: nothing to record
    assert AuditEntry.objects.count() == count

    alias = company.aliases.create(name="Harbour Watch")
    alias.delete()
    deleted = last(object_type="registry.companyalias")
    assert deleted.action == "delete" and deleted.company_id == company.pk
    assert deleted.changes["name"] == ["Harbour Watch", None]


def test_many_to_many_changes_are_recorded_on_the_owning_object():
    licence = f.LicenceFactory(services=["armed_escort"])
    licence.services.add(f.service("unarmed_guarding"))
    entry = last(object_type="registry.licence", action="update")
    assert entry.changes == {"services": {"added": ["unarmed_guarding"]}}
    assert entry.company_id == licence.company_id

    f.service("armed_escort").licences.remove(licence)
    entry = last(object_type="registry.licence", action="update")
    assert entry.changes == {"services": {"removed": ["armed_escort"]}}
    licence.countries.clear()
    entry = last(object_type="registry.licence", action="update")
    assert entry.changes == {"countries": {"removed": ["KE"]}}


def test_secrets_and_identity_values_never_appear():
    person = f.PersonFactory()
    user = f.UserFactory()
    person.identity_hash = "f" * 64
    person.save()
    text = json.dumps(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert person.identity_hash not in text
    assert user.password not in text and "correct-horse" not in text
    assert last(object_type="registry.person").changes == {
        "identity_hash": ["[masked]", "[masked]"]
    }


def test_admin_channel_records_the_staff_user_and_request(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/registry/licensingauthority/add/",
        {"name": "Security Industry Board", "acronym": "SIB", "country": "KE"},
    )
    assert response.status_code == 302
    entry = last(object_type="registry.licensingauthority")
    assert (entry.channel, entry.actor, entry.actor_label) == ("admin", admin_user, "admin")
    assert entry.request_id == response["X-Request-ID"]


def test_web_channel_records_the_signed_in_user(client, regulator):
    client.force_login(regulator)
    response = client.post("/probe/", {"name": "Guarding Council"})
    entry = last(object_type="registry.licensingauthority")
    assert (entry.channel, entry.actor, entry.request_id) == (
        "web",
        regulator,
        response["X-Request-ID"],
    )


def test_a_failing_request_keeps_neither_change_nor_entry(client, regulator):
    client.force_login(regulator)
    client.raise_request_exception = False
    count = AuditEntry.objects.count()
    response = client.post("/probe/", {"name": "Half-written Board", "fail": "1"})
    assert response.status_code == 500
    assert not LicensingAuthority.objects.filter(name="Half-written Board").exists()
    assert AuditEntry.objects.count() == count


def test_api_channel_records_the_user_authenticated_by_the_view(client):
    user = f.UserFactory(username="integrator")
    token = base64.b64encode(b"integrator:correct-horse-battery").decode()
    response = client.post(
        "/api/probe/", {"name": "Licensing Office"}, HTTP_AUTHORIZATION=f"Basic {token}"
    )
    assert response.status_code == 200
    entry = last(object_type="registry.licensingauthority")
    assert (entry.channel, entry.actor, entry.actor_label) == ("api", user, "integrator")


def test_command_channel_names_the_command_and_the_os_user():
    licence = f.LicenceFactory(valid_until=dt.date.today() - dt.timedelta(days=1))
    call_command("expire_licences", stdout=io.StringIO())
    rows = AuditEntry.objects.filter(channel="command", object_type__startswith="registry.")
    assert {e.actor_label for e in rows} == {f"command:expire_licences (os:{os_user()})"}
    event = rows.get(action="event")
    assert (event.event, event.object_id, event.company_id) == (
        "licence.expire",
        str(licence.pk),
        licence.company_id,
    )
    assert rows.get(object_type="registry.licence", action="update").changes["state"] == [
        S.ACTIVE,
        S.EXPIRED,
    ]


def test_fixture_loading_is_the_fixture_channel(tmp_path):
    fixture = tmp_path / "authorities.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "registry.licensingauthority",
                    "pk": 9001,
                    "fields": {
                        "name": "Fixture Authority",
                        "country": "KE",
                        "created_at": "2026-01-01T00:00:00Z",
                        "updated_at": "2026-01-01T00:00:00Z",
                    },
                }
            ]
        )
    )
    call_command("loaddata", str(fixture), verbosity=0)
    entry = last(object_type="registry.licensingauthority", object_id="9001")
    assert entry.channel == "fixture" and entry.action == "create"
    assert entry.actor_label == f"command:loaddata (os:{os_user()})"


def test_imports_name_their_user(regulator):
    with audit_context(actor=regulator, channel="import"):
        company = f.CompanyFactory()
    entry = last(object_type="registry.company", object_id=str(company.pk))
    assert (entry.channel, entry.actor) == ("import", regulator)


def test_licence_transition_records_the_event_and_reason(regulator):
    licence = f.LicenceFactory()
    transition(licence, A.SUSPEND, actor=regulator, reason="Inspection report 12")
    event = last(action="event")
    assert (event.event, event.reason, event.actor, event.object_id) == (
        "licence.suspend",
        "Inspection report 12",
        regulator,
        str(licence.pk),
    )


def test_a_rolled_back_write_leaves_no_entry(company):
    count = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        f.CompanyFactory()
        raise RuntimeError("abort")
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(
            legal_name="Duplicate",
            home_country_id="KE",
            registering_authority=company.registering_authority,
            registration_number=company.registration_number,
        )
    assert AuditEntry.objects.count() == count
    assert verify_chain() == (True, None)


def test_recording_adds_a_fixed_number_of_queries_per_write(company, django_assert_max_num_queries):
    # Update: old values (1), advisory lock on PostgreSQL (1), chain head (1), insert (1).
    with django_assert_max_num_queries(1 + 4):
        company.legal_name = "Renamed Ltd"
        company.save()
    with django_assert_max_num_queries(1 + 3):
        company.aliases.create(name="Renamed")


def test_bulk_expiry_writes_audit_rows_in_bulk():
    def run(n, day):
        f.LicenceFactory.create_batch(n, valid_until=day)
        with CaptureQueriesContext(connection) as queries:
            expire_licences(today=day + dt.timedelta(days=1))
        return len(queries)

    small = run(2, dt.date.today() - dt.timedelta(days=30))
    # 20 licences: 60 audit rows, within one SQLite insert batch (999 parameters).
    large = run(20, dt.date.today() - dt.timedelta(days=10))
    assert small == large
    assert AuditEntry.objects.filter(event="licence.expire").count() == 22
    assert AuditEntry.objects.filter(object_type="registry.licenceevent").count() == 22
    assert verify_chain() == (True, None)


def test_record_bulk_is_three_queries_whatever_the_size(django_assert_max_num_queries):
    changes = [recorder.event(Licence, n, "licence.note", "bulk") for n in range(200)]
    batches = 1 if connection.vendor == "postgresql" else 4  # SQLite: 999 parameters a query
    with django_assert_max_num_queries(2 + batches):
        recorder.record_bulk(changes)
    assert AuditEntry.objects.filter(event="licence.note").count() == 200


def test_query_helpers_filter_by_company_object_actor_and_channel(regulator):
    licence = f.LicenceFactory()
    other = f.LicenceFactory()
    transition(licence, A.SUSPEND, actor=regulator, reason="Inspection")
    about_company = entries(company=licence.company)
    assert {e.object_type for e in about_company} >= {"registry.company", "registry.licence"}
    assert not about_company.filter(company_id=other.company_id).exists()
    assert list(entries(obj=licence)) == list(
        entries(object_type="registry.licence", object_id=licence.pk)
    )
    assert entries(actor=regulator, action="event").get().event == "licence.suspend"
    assert entries(channel="system", since=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)).exists()


def test_admin_change_page_links_to_the_object_history(client, admin_user, company):
    client.force_login(admin_user)
    page = client.get(f"/admin/registry/company/{company.pk}/change/")
    url = history_url(company)
    assert url.replace("&", "&amp;") in page.content.decode()
    listing = client.get(url)
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == list(entries(obj=company))
    entry = entries(obj=company).first()
    detail = client.get(f"/admin/audit/auditentry/{entry.seq}/change/")
    assert detail.status_code == 200 and entry.hash in detail.content.decode()
    assert client.post(f"/admin/audit/auditentry/{entry.seq}/delete/").status_code == 403
    listing = client.get(company_history_url(company))
    assert list(listing.context["cl"].result_list) == list(entries(company=company))


def test_a_login_is_not_a_change(client, regulator):
    f.totp_device(regulator)  # enrolling is a change (audited); signing in with it is not
    count = AuditEntry.objects.count()
    # django-axes needs the request (every login door passes one; Client.login does not).
    assert client.login(
        request=HttpRequest(), username="regulator", password="correct-horse-battery"
    )
    assert AuditEntry.objects.count() == count


def test_collect_writes_the_entries_of_row_by_row_saves_in_one_insert(
    company, django_assert_max_num_queries
):
    # 30 inserts; savepoint and release (2); lock, chain head, one audit insert (3).
    with django_assert_max_num_queries(30 + 5), transaction.atomic(), recorder.collect():
        for n in range(30):
            company.aliases.create(name=f"Trading name {n}")
    assert entries(company=company, object_type="registry.companyalias").count() == 30
    assert verify_chain() == (True, None)


@pytest.mark.parametrize(
    "table, entry",
    [
        ("CLEAR_FIELDS_ONLY", {"api.apitokn": {"user"}}),
        ("CLEAR_FIELDS_ONLY", {"api.apitoken": {"usr"}}),
        ("IGNORED_ON_UPDATE_OF", {"otp_totp.totpdevise": {"last_t"}}),
    ],
)
def test_a_misspelt_masking_table_refuses_to_start(monkeypatch, table, entry):
    from django.core.exceptions import ImproperlyConfigured

    from registry.audit import recorder

    monkeypatch.setattr(recorder, table, {**getattr(recorder, table), **entry})
    with pytest.raises(ImproperlyConfigured):
        recorder.check_model_tables()
