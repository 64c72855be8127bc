"""Model and form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class ChoiceListField(models.JSONField):
    """A list of values from `choices`, stored as a JSON array (works on SQLite and PostgreSQL).

    The admin shows it as checkboxes (or a multiple select for long lists) and validates every value.
    """

    def __init__(self, *args, item_choices=(), widget=None, **kwargs):
        self.item_choices = item_choices if callable(item_choices) else list(item_choices)
        self.widget = widget
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("item_choices", None)
        kwargs.pop("widget", None)
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {str(key) for key, _label in self.item_choice_list()}
        unknown = [item for item in value or [] if str(item) not in allowed]
        if unknown:
            raise ValidationError("Unknown value(s): %(values)s", params={"values": ", ".join(map(str, unknown))})

    def item_choice_list(self):
        choices = self.item_choices() if callable(self.item_choices) else self.item_choices
        return list(choices)

    def formfield(self, **kwargs):
        choices = self.item_choice_list()
        return forms.MultipleChoiceField(
            choices=choices,
            required=not self.blank,
            label=self.verbose_name.capitalize() if self.verbose_name else None,
            help_text=self.help_text,
            widget=self.widget or (forms.CheckboxSelectMultiple if len(choices) <= 12 else forms.SelectMultiple),
        )


def _is_id(value):
    """Whether `value`, as a form submits it, can be a database id (what ssn4psi.converters.IdConverter takes)."""
    return value in (None, "") or (str(value).isascii() and str(value).isdigit() and len(str(value)) <= 18)


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses, as an invalid choice, a value that cannot be an id, before asking the
    database (a number too large for its integer column failed there with a 500)."""

    def to_python(self, value):
        if not _is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """IdChoiceField for several choices."""

    def clean(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if not _is_id(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(item)[:50]}
                )
        return super().clean(value)


def choice_display(field_name, choices):
    """A `get_FOO_display()` for a model's `field_name`, whose `choices` are a TextChoices class or (value, label)
    pairs: the label of the value in the active language, or the value itself when it is not one of the choices,
    as Django's own. Django's rebuilds a dictionary of every choice on each call and hashes each lazy label, which
    translates it: about 30 microseconds a call, a millisecond on a page of cards. Here the dictionary is built
    once, and only the label shown is translated. Assign it in the model's class body::

        get_kind_display = choice_display("kind", MemberKind)
    """
    labels = dict(choices.choices if isinstance(choices, type) else choices)

    def display(self):
        value = getattr(self, field_name)
        return str(labels.get(value, value))

    display.__name__ = f"get_{field_name}_display"
    return display
