"""Model fields shared by the apps."""

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
