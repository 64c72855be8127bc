"""Attendance certificates: a PDF with the participant's name in any script, only once attended, only for the
participant (manage link) and the workshop's organisers."""

import datetime
import io
import zoneinfo

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.workshops.people import move, participant
from workshops.certificates import CertificateNotAvailable, render_certificate
from workshops.tokens import make_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def text_of(pdf_bytes):
    assert pdf_bytes.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf_bytes))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def fonts_of(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]) for font in fonts.values()}


@pytest.fixture
def organised(make_workshop):
    from members.models import MemberPage

    # 09:00 to 11:00 in Kinshasa, ten days from now: one day whatever the hour the test runs at (a session
    # crossing midnight would be printed as two dates without times).
    day = (timezone.now() + datetime.timedelta(days=10)).astimezone(zoneinfo.ZoneInfo("Africa/Kinshasa")).date()
    start = datetime.datetime.combine(day, datetime.time(9), tzinfo=zoneinfo.ZoneInfo("Africa/Kinshasa"))
    workshop = make_workshop(
        format="hybrid", venue="Kinshasa, Hôtel du Fleuve", start=start, end=start + datetime.timedelta(hours=2)
    )
    workshop.organisers.add(MemberPage.objects.get(key="cod"), MemberPage.objects.get(key="bgd-a2i"))
    workshop.save()
    return workshop


def test_certificate_has_the_name_the_workshop_the_dates_and_the_organisers(organised):
    registration = participant(organised, 1, name="Nzé Mbuyi", attended=True)
    text = " ".join(text_of(render_certificate(registration)).split())
    assert "Certificate of attendance" in text and "Nzé Mbuyi" in text
    assert "DR Congo and a2i: knowledge-sharing session" in text
    assert "Government of the Democratic Republic of the Congo" in text and "Aspire to Innovate (a2i)" in text
    assert "Kinshasa, Hôtel du Fleuve and online" in text
    local = organised.local_start  # the venue's time zone, not UTC
    assert f"{local:%H:%M}" in text and "Africa/Kinshasa" in text
    assert any("DejaVu" in font for font in fonts_of(render_certificate(registration)))  # embedded, not Helvetica


def test_certificate_speaks_the_participants_language(organised):
    registration = participant(organised, 1, language="fr", attended=True)
    text = text_of(render_certificate(registration))
    french_months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    assert f"{organised.local_start.day} {french_months[organised.local_start.month - 1]}" in text
    assert "session de partage de connaissances" in text  # the kind of workshop, in French


@pytest.mark.parametrize(
    "name, font",
    [
        ("نور الهدى", "DejaVu"),  # Arabic: DejaVu Sans has the letters (shaped and laid out right to left)
        ("আনিসুর রহমান", "Lohit"),  # Bengali: the fallback font
    ],
)
def test_names_in_other_scripts_are_drawn_with_a_font_that_has_them(organised, name, font):
    registration = participant(organised, 1, name=name, attended=True)
    pdf = render_certificate(registration)
    # A glyph missing from every font would vanish from the text layer; pypdf reads the name back whole
    # (minus the control characters HarfBuzz leaves around Bengali vowel signs).
    text = "".join(character for character in text_of(pdf) if character.isprintable() or character.isspace())
    assert name in text
    assert any(font in embedded for embedded in fonts_of(pdf))


def test_no_certificate_before_attending(organised, client):
    registration = participant(organised, 1)
    with pytest.raises(CertificateNotAvailable):
        render_certificate(registration)
    token = make_token(registration, "manage")
    assert client.get(f"/registrations/manage/{token}/certificate.pdf").status_code == 404
    manage = client.get(f"/registrations/manage/{token}/").content.decode()
    assert "certificate.pdf" not in manage


def test_participant_downloads_it_through_the_manage_link(organised, client):
    registration = participant(organised, 1, name="Nzé Mbuyi", attended=True)
    token = make_token(registration, "manage")
    assert (
        f"/registrations/manage/{token}/certificate.pdf"
        in client.get(f"/registrations/manage/{token}/").content.decode()
    )
    response = client.get(f"/registrations/manage/{token}/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Nzé Mbuyi" in text_of(response.content)
    forged = client.get(f"/registrations/manage/{token[:-3]}abc/certificate.pdf")
    assert forged.status_code == 400 and forged["Content-Type"].startswith("text/html")


def test_expired_manage_link_gets_no_certificate(organised, client, monkeypatch):
    from workshops import tokens

    registration = participant(organised, 1, attended=True)
    token = make_token(registration, "manage")
    monkeypatch.setitem(tokens.MAX_AGE, "manage", -1)
    assert client.get(f"/registrations/manage/{token}/certificate.pdf").status_code == 400


def test_organisers_get_it_nobody_else(organised, client, secretary, focal_point, django_user_model):
    attended = participant(organised, 1, name="Nzé Mbuyi", attended=True)
    confirmed = participant(organised, 2)
    url = f"/workshops/{organised.pk}/certificates/{attended.pk}.pdf"
    assert client.get(url).status_code == 302  # anonymous: to the login
    client.force_login(django_user_model.objects.create_user("someone", "someone@example.org", "pw"))
    assert client.get(url).status_code == 403
    client.force_login(focal_point)  # DR Congo organises this workshop
    assert "Nzé Mbuyi" in text_of(client.get(url).content)
    client.force_login(secretary)
    assert client.get(url).status_code == 200
    assert client.get(f"/workshops/{organised.pk}/certificates/{confirmed.pk}.pdf").status_code == 404


def test_a_past_multi_day_workshop_shows_both_dates(make_workshop):
    workshop = make_workshop(format="in_person", venue="Dhaka")
    registration = participant(workshop, 1, attended=True)
    move(workshop, started_days_ago=5, hours=50)
    registration.refresh_from_db()
    text = " ".join(text_of(render_certificate(registration)).split())
    assert f"{workshop.local_start:%Y}" in text and " to " in text and "Dhaka" in text
