"""Identity document numbers are hashed, never stored or shown."""

import pytest
from django.db import connection
from django.urls import reverse

from registry.admin.personnel import PersonForm
from registry.models import Person, identity_hash

from . import factories as f

pytestmark = pytest.mark.django_db
NUMBER = "A1234567"


def raw_row(person_id):
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [person_id])
        return cursor.fetchone()


def form_data(**extra):
    return {
        "full_name": "Jordan Fictional",
        "nationality": "KE",
        "identity_document_country": "KE",
        "identity_document_number": NUMBER,
        **extra,
    }


def test_form_stores_only_the_keyed_hash():
    form = PersonForm(data=form_data())
    assert form.is_valid(), form.errors
    person = form.save()
    row = raw_row(person.pk)
    assert all(NUMBER not in str(value) for value in row)
    assert identity_hash("ke", " a123 4567 ") in row


def test_a_known_document_cannot_move_to_another_person():
    PersonForm(data=form_data()).save()
    other = f.PersonFactory()
    form = PersonForm(data=form_data(full_name=other.full_name), instance=other)
    assert not form.is_valid()
    assert "already" not in str(form.errors)


def test_admin_never_shows_the_number(client, admin_user):
    client.force_login(admin_user)
    inlines = {
        f"{prefix}-{key}": value
        for prefix in ("employments", "vettings", "trainings")
        for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
    }
    response = client.post(reverse("admin:registry_person_add"), {**form_data(), **inlines})
    assert response.status_code == 302
    person = Person.objects.get()
    page = client.get(reverse("admin:registry_person_change", args=[person.pk]))
    assert page.status_code == 200 and NUMBER not in page.content.decode()
    history = client.get(reverse("admin:registry_person_history", args=[person.pk]))
    assert NUMBER not in history.content.decode()


def test_changing_without_a_number_keeps_the_hash(client, admin_user):
    person = f.PersonFactory()
    before = person.identity_hash
    form = PersonForm(data={"full_name": "Renamed", "nationality": "KE"}, instance=person)
    assert form.is_valid(), form.errors
    form.save()
    person.refresh_from_db()
    assert person.identity_hash == before and person.full_name == "Renamed"
