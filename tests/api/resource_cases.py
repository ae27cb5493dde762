"""The cases every API resource shares, after NetBox's APIViewTestCases, in pytest style.

A resource's test class names its route and its factory, and inherits the cases:

    class TestLicences(WriteCases):
        basename = "licence"                        # the router's: api:licence-list, -detail
        read_roles = ALL                            # who may read; the view must agree
        write_roles = REGULATORS                    # who may write; the view must agree
        make = staticmethod(lambda s: f.LicenceFactory(company=s.company))
        create_body = staticmethod(lambda s: {"number": "L-NEW", ...})
        update_body = {"conditions": "No night convoys."}

`make(scene)` makes one record that every role of `read_roles` may read and every role of
`update_roles` may change: the scene's company is the regulator's, its mission the officer's.
`create_roles` and `update_roles` (both `write_roles` unless declared) are the roles whose
create or update of such a record succeeds; the view's role gate lets `write_roles` through and
the record's write rule (registry.access.WRITE_RULES) decides the rest.

ReadCases: the declared roles are the view's; list and detail per role (a refused role gets
401 or 403); a missing record is a 404; ETag and If-None-Match (304); no DELETE unless declared;
a list runs as many queries for a page of two rows as for a page of many.
WriteCases adds: create and update (PATCH) per role (a refused role changes nothing), and
If-Match (412 on a stale ETag, nothing changed).
"""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.urls import router
from api.views.base import RegistryMixin

from .conftest import ROLES

ALL = frozenset(ROLES)
SIGNED_IN = ALL - {"public"}
OVERSIGHT = frozenset({"regulator", "auditor", "admin"})
REGULATORS = frozenset({"regulator", "admin"})
AUDITORS = frozenset({"auditor", "admin"})
ADMINS = frozenset({"admin"})
NOBODY = frozenset()

VIEWSETS = {basename: viewset for _, viewset, basename in router.registry}
_numbers = itertools.count(1)


def unique() -> int:
    """A number no other call in this test run returns: for codes and names that must differ."""
    return next(_numbers)


def denied(role) -> int:
    return 401 if role == "public" else 403  # anonymous callers are asked for credentials


def rows(response) -> list[dict]:
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


class ReadCases:
    basename: str
    read_roles: frozenset[str]
    write_roles: frozenset[str] = NOBODY
    make = None  # staticmethod(lambda scene: a record)
    deletable = False
    list_roles_counted = ("mission_staff", "regulator", "auditor")
    batch = 5  # rows added before the second query count

    @property
    def view(self):
        return VIEWSETS[self.basename]

    @property
    def key_name(self) -> str:
        field = self.view.lookup_field
        return "id" if field == "pk" else field

    def key(self, obj):
        return getattr(obj, "pk" if self.key_name == "id" else self.key_name)

    def list_url(self) -> str:
        return reverse(f"api:{self.basename}-list")

    def detail_url(self, key) -> str:
        return reverse(f"api:{self.basename}-detail", args=[key])

    def reader(self) -> str:
        return "auditor" if "auditor" in self.read_roles else sorted(self.read_roles)[0]

    @staticmethod
    def stored(obj) -> dict:
        return type(obj).objects.filter(pk=obj.pk).values().get()

    # --- the cases ---------------------------------------------------------------------------

    def test_roles_are_the_views(self):
        view = self.view
        assert {str(r) for r in view.read_roles} == self.read_roles
        assert {str(r) for r in getattr(view, "write_roles", NOBODY)} == self.write_roles

    @pytest.mark.parametrize("role", ROLES)
    def test_list(self, scene, client_for, role):
        obj = self.make(scene)
        response = client_for(role).get(self.list_url(), {"page_size": 500})
        if role in self.read_roles:
            assert response.status_code == 200, response.content
            assert self.key(obj) in {row[self.key_name] for row in rows(response)}
        else:
            assert response.status_code == denied(role), response.content

    @pytest.mark.parametrize("role", ROLES)
    def test_detail(self, scene, client_for, role):
        obj = self.make(scene)
        response = client_for(role).get(self.detail_url(self.key(obj)))
        if role in self.read_roles:
            assert response.status_code == 200, response.content
            assert response.json()[self.key_name] == self.key(obj)
        else:
            assert response.status_code == denied(role), response.content

    def test_a_missing_record_is_not_found(self, scene, client_for):
        self.make(scene)
        missing = 2**62 if self.key_name in ("id", "seq") else "no_such_record"
        response = client_for(self.reader()).get(self.detail_url(missing))
        assert response.status_code == 404, response.content

    def test_etag_and_if_none_match(self, scene, client_for):
        client = client_for(self.reader())
        url = self.detail_url(self.key(self.make(scene)))
        if not issubclass(self.view, RegistryMixin):  # a plain DRF view (service categories)
            assert "ETag" not in client.get(url)
            return
        etag = client.get(url)["ETag"]
        assert etag.startswith('"') and etag.endswith('"')
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert unchanged.status_code == 304 and not unchanged.content
        assert unchanged["ETag"] == etag
        assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200

    def test_delete(self, scene, client_for):
        view = self.view
        assert ("delete" in view.http_method_names and hasattr(view, "destroy")) == self.deletable
        for role in ROLES:
            obj = self.make(scene)
            response = client_for(role).delete(self.detail_url(self.key(obj)))
            gone = not type(obj).objects.filter(pk=obj.pk).exists()
            if self.deletable and role in self.write_roles:
                assert (response.status_code, gone) == (204, True), role
            else:
                expected = 405 if not self.deletable else denied(role)
                assert (response.status_code, gone) == (expected, False), role

    def test_list_queries_do_not_grow_with_rows(self, scene, client_for):
        self.make(scene)
        for role in [r for r in self.list_roles_counted if r in self.read_roles] or ["admin"]:
            client = client_for(role)
            self._count(client, 2)  # the first request also resolves the caller's viewer
            few = self._count(client, 2)
            for _ in range(self.batch):
                self.make(scene)
            assert self._count(client, 2) == few, f"{role}: more rows, more queries"
            assert self._count(client, 500) == few, f"{role}: a longer page, more queries"

    def _count(self, client, page_size) -> int:
        """Queries for a page of at most `page_size` rows (two: the empty related sets of one
        row would save a prefetch query and hide the cost of the others)."""
        with CaptureQueriesContext(connection) as queries:
            response = client.get(self.list_url(), {"page_size": page_size})
        assert response.status_code == 200, response.content
        listed = len(rows(response))
        assert 1 <= listed <= page_size and (page_size < 500 or listed > self.batch)
        return len(queries)


class WriteCases(ReadCases):
    create_body = None  # staticmethod(lambda scene: a valid body)
    update_body: dict = {}
    create_roles: frozenset[str] | None = None  # write_roles unless declared
    update_roles: frozenset[str] | None = None

    def creators(self):
        return self.write_roles if self.create_roles is None else self.create_roles

    def updaters(self):
        return self.write_roles if self.update_roles is None else self.update_roles

    @staticmethod
    def same(sent, answered) -> bool:
        if isinstance(sent, list) and isinstance(answered, list):
            return sorted(map(str, sent)) == sorted(map(str, answered))
        return str(sent) == str(answered)

    @pytest.mark.parametrize("role", ROLES)
    def test_create(self, scene, client_for, role):
        body = self.create_body(scene)
        model = self.view.serializer_class.Meta.model
        before = model.objects.count()
        response = client_for(role).post(self.list_url(), body, format="json")
        if role in self.creators():
            assert response.status_code == 201, response.content
            answer = response.json()
            echoed = {k: v for k, v in body.items() if k in answer}
            assert {k for k, v in echoed.items() if not self.same(v, answer[k])} == set()
            assert model.objects.count() == before + 1
            detail = client_for(role).get(self.detail_url(answer[self.key_name]))
            assert detail.json() == answer and detail["ETag"] == response["ETag"]
        else:
            assert response.status_code == denied(role), response.content
            assert model.objects.count() == before

    @pytest.mark.parametrize("role", ROLES)
    def test_update(self, scene, client_for, role):
        obj = self.make(scene)
        before = self.stored(obj)
        client = client_for(role)
        response = client.patch(self.detail_url(self.key(obj)), self.update_body, format="json")
        if role in self.updaters():
            assert response.status_code == 200, response.content
            answer = response.json()
            assert all(self.same(v, answer[k]) for k, v in self.update_body.items()), answer
            assert self.stored(obj) != before
            assert response["ETag"] == client.get(self.detail_url(self.key(obj)))["ETag"]
        else:
            # 404 for a role that may not even read the record
            refused = {denied(role)} if role in self.read_roles else {denied(role), 404}
            assert response.status_code in refused, response.content
            assert self.stored(obj) == before

    def test_if_match(self, scene, client_for):
        role = sorted(self.updaters())[0]
        client = client_for(role)
        obj = self.make(scene)
        url = self.detail_url(self.key(obj))
        before = self.stored(obj)
        stale = client.patch(url, self.update_body, format="json", HTTP_IF_MATCH='"stale"')
        assert stale.status_code == 412, stale.content
        assert self.stored(obj) == before
        current = client.get(url)["ETag"]
        response = client.patch(url, self.update_body, format="json", HTTP_IF_MATCH=current)
        assert response.status_code == 200, response.content
