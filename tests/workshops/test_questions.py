"""Extra questions: asked on the form with their labels, validated, stored with the label as asked, shown
to organisers in the admin and in the CSV export."""

import pytest
from django.core.exceptions import ValidationError

from tests.workshops.conftest import form_data
from workshops.models import Question, QuestionKind, Registration

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


@pytest.fixture
def questions(workshop):
    return {
        "diet": Question.objects.create(
            workshop=workshop, sort_order=0, label="Dietary needs", kind=QuestionKind.SHORT_TEXT
        ),
        "goal": Question.objects.create(
            workshop=workshop,
            sort_order=1,
            label="What do you hope to learn?",
            help_text="A few lines.",
            kind=QuestionKind.LONG_TEXT,
            required=True,
        ),
        "track": Question.objects.create(
            workshop=workshop,
            sort_order=2,
            label="Preferred language of the breakout",
            kind=QuestionKind.CHOICE,
            choices="French\nEnglish\n\n",
            required=True,
        ),
        "visa": Question.objects.create(
            workshop=workshop, sort_order=3, label="Do you need a visa letter?", kind=QuestionKind.YES_NO, required=True
        ),
    }


def answers_for(questions, **changes):
    data = {
        f"question_{questions['goal'].pk}": "How myGov joined up 2,500 services.",
        f"question_{questions['track'].pk}": "French",
        f"question_{questions['visa'].pk}": "no",
    }
    data.update({f"question_{questions[key].pk}": value for key, value in changes.items()})
    return data


def test_the_form_asks_the_questions_with_their_labels(client, workshop, questions):
    html = client.get(workshop.url).content.decode()
    for question in questions.values():
        assert question.label in html
    assert "A few lines." in html
    assert html.index("Dietary needs") < html.index("Do you need a visa letter?") < html.index('name="privacy_consent"')
    assert f'<input type="radio" name="question_{questions["track"].pk}" value="French"' in html
    assert 'value=""' not in html.split(f'name="question_{questions["track"].pk}"', 1)[1][:40]  # no blank choice


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"goal": ""}, "This field is required."),
        ({"track": "Klingon"}, "Select a valid choice. Klingon is not one of the available choices."),
        ({"visa": "maybe"}, "Select a valid choice."),
        ({"visa": ""}, "This field is required."),
        ({"diet": "x" * 501}, "Ensure this value has at most 500 characters"),
    ],
)
def test_answers_are_validated_and_nothing_is_written(client, workshop, questions, changes, error):
    response = client.post(workshop.url, {**form_data(1), **answers_for(questions, **changes)})
    assert response.status_code == 400 and error in response.content.decode()
    assert not Registration.objects.exists()


def test_answers_are_stored_with_the_label_as_asked(client, workshop, questions):
    response = client.post(workshop.url, {**form_data(1), **answers_for(questions, diet="  Vegetarian  ")})
    assert response.status_code == 200
    registration = Registration.objects.get()
    assert registration.answers[str(questions["visa"].pk)] == {
        "label": "Do you need a visa letter?",
        "kind": "yes_no",
        "answer": "no",
    }
    assert registration.answers[str(questions["diet"].pk)]["answer"] == "Vegetarian"
    # The organiser rewords a question and deletes another: the answers keep what was asked.
    questions["goal"].label = "Your goals"
    questions["goal"].save()
    questions["track"].delete()
    registration.refresh_from_db()
    assert registration.answer_list() == [
        ("Dietary needs", "Vegetarian"),
        ("What do you hope to learn?", "How myGov joined up 2,500 services."),
        ("Preferred language of the breakout", "French"),
        ("Do you need a visa letter?", "no"),
    ]


def test_an_optional_question_left_blank_is_not_stored(client, workshop, questions):
    client.post(workshop.url, {**form_data(1), **answers_for(questions)})
    assert str(questions["diet"].pk) not in Registration.objects.get().answers


def test_a_single_choice_question_needs_two_choices(workshop):
    question = Question(workshop=workshop, label="Pick", kind=QuestionKind.CHOICE, choices="Only one\n")
    with pytest.raises(ValidationError, match="at least two choices"):
        question.full_clean()


def test_organisers_see_the_answers_in_the_admin_and_the_export(client, secretary, workshop, questions):
    client.post(workshop.url, {**form_data(1), **answers_for(questions)})
    registration = Registration.objects.get()
    client.force_login(secretary)
    edit = client.get(f"/admin/registrations/edit/{registration.pk}/").content.decode()
    assert "Answers to the workshop" in edit and "What do you hope to learn?" in edit
    assert "How myGov joined up 2,500 services." in edit
    export = b"".join(client.get("/admin/registrations/?export=csv").streaming_content).decode()
    header, row = export.splitlines()[:2]
    assert "Answers" in header
    assert "Preferred language of the breakout: French" in row and "Do you need a visa letter?: no" in row


def test_organisers_add_questions_in_the_page_editor(client, secretary, workshop):
    client.force_login(secretary)
    html = client.get(f"/admin/pages/{workshop.pk}/edit/").content.decode()
    assert "Questions on the registration form" in html and "questions-TOTAL_FORMS" in html
