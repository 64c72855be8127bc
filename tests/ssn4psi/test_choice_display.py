"""ssn4psi.fields.choice_display: the get_FOO_display() the models override answer as Django's would, for every
choice, for a value that is not one, and in another language."""

import pytest
from django.apps import apps
from django.utils import translation

from members.models import MemberPage
from ssn4psi.fields import choice_display


def overridden():
    """(model, field) for every get_FOO_display() made by choice_display() in the project's models."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            method = model.__dict__.get(f"get_{getattr(field, 'name', '')}_display")
            if getattr(method, "__qualname__", "").startswith(choice_display.__qualname__):
                found.append((model, field))
    return found


def test_the_models_shown_on_public_pages_use_it():
    names = {f"{model.__name__}.{field.name}" for model, field in overridden()}
    assert {
        "MemberPage.kind",
        "MemberPage.region",
        "Need.priority",
        "SolutionPage.maturity",
        "Adoption.status",
        "Exchange.status",
        "WorkshopPage.kind",
        "WorkshopPage.format",
        "WorkshopMaterial.kind",
        "WorkshopOutcome.kind",
    } <= names


@pytest.mark.django_db  # a page's default locale is read when it is made
@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_it_answers_as_django_for_every_value(language):
    with translation.override(language):
        for model, field in overridden():
            for value in [value for value, _label in field.flatchoices] + ["not-a-choice", ""]:
                instance = model(**{field.attname: value})
                expected = str(dict(field.flatchoices).get(value, value))
                assert getattr(instance, f"get_{field.name}_display")() == expected, (model, field.name, value)


@pytest.mark.django_db
def test_a_label_is_translated_when_it_is_read():
    member = MemberPage(kind="national_government")
    with translation.override("fr"):
        french = member.get_kind_display()
    assert french != member.get_kind_display() == "National government"
    assert isinstance(french, str)
