"""Model fields shared by the apps."""

from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.encoding import force_str


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


@cache
def _choice_labels(field):
    """{value: label} of a field with fixed choices, built once per process (the labels stay lazy)."""
    return dict(field.flatchoices)


class ChoiceLabels:
    """Model mixin: get_FOO_display() from a dictionary built once per field.

    Django's own rebuilds the dictionary on every call and hashes each lazy label on the way, which
    translates every choice: 7% of the member directory's time went there. Put it before the model's
    base class (`class MemberPage(ChoiceLabels, Page)`) so that Django's get_FOO_display() picks it up."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value (a list in a JSONField): Django's way copes with it
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
