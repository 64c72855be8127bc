"""The organisers' extra questions on a registration form: one form field per question, and the answers as
they are stored on the registration ({question id: {"label", "kind", "answer"}}, the label copied so a later
edit of the question does not change what people answered)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workshops.models import QuestionKind

PREFIX = "question_"
YES, NO = "yes", "no"


def question_field(question):
    """The form field that asks `question`: required if the organiser said so, choices from its lines."""
    common = {"label": question.label, "help_text": question.help_text, "required": question.required}
    if question.kind == QuestionKind.LONG_TEXT:
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), **common)
    if question.kind == QuestionKind.CHOICE:
        return forms.ChoiceField(
            choices=[(choice, choice) for choice in question.choice_list], widget=forms.RadioSelect, **common
        )
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common)
    return forms.CharField(max_length=500, **common)


class QuestionsMixin:
    """Adds a workshop's questions to a form (call `add_questions` in __init__); `answers()` reads them."""

    def add_questions(self, questions):
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"{PREFIX}{question.pk}"] = question_field(question)

    def answers(self):
        """The cleaned answers to store on the registration; unanswered optional questions are left out."""
        stored = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"{PREFIX}{question.pk}")
            if value in (None, ""):
                continue
            stored[str(question.pk)] = {"label": question.label, "kind": question.kind, "answer": value.strip()}
        return stored

    def question_fields(self):
        """The bound fields of the questions, in order (for templates that lay them out apart)."""
        return [self[f"{PREFIX}{question.pk}"] for question in self.questions]
