"""Attendance certificates: a one-page PDF for a participant marked attended, in their language.

Drawn with fpdf2 and fonts shipped in `workshops/fonts/` (licences there): DejaVu Sans for Latin with accents,
Arabic, Cyrillic, Greek; Lohit Bengali as the fallback for Bengali. Text shaping (HarfBuzz, through
uharfbuzz) joins Arabic letters and lays right-to-left runs out in visual order, and forms Bengali conjuncts.
Only the participant (manage link) and the workshop's organisers get a certificate, and only once attended."""

from pathlib import Path

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from workshops.checkin import organiser_view
from workshops.models import Registration, RegistrationStatus, WorkshopFormat

FONTS = Path(__file__).resolve().parent / "fonts"


class CertificateNotAvailable(Exception):
    """Only a participant marked attended gets a certificate."""


def certificate_lines(registration):
    """The certificate's text as (style, text) pairs, in the current language (plain data: easy to test)."""
    workshop = registration.workshop
    start, end = workshop.local_start, workshop.local_end
    if start.date() == end.date():
        when = _("%(date)s, %(start)s–%(end)s (%(zone)s time)") % {
            "date": date_format(start, "j F Y"),
            "start": time_format(start, "H:i"),
            "end": time_format(end, "H:i"),
            "zone": workshop.time_zone,
        }
    else:
        when = _("%(start)s to %(end)s (%(zone)s time)") % {
            "start": date_format(start, "j F Y"),
            "end": date_format(end, "j F Y"),
            "zone": workshop.time_zone,
        }
    if workshop.format == WorkshopFormat.VIRTUAL:
        where = _("Online")
    elif workshop.format == WorkshopFormat.HYBRID:
        where = _("%(venue)s and online") % {"venue": workshop.venue} if workshop.venue else _("In person and online")
    else:
        where = workshop.venue
    organisers = ", ".join(member.title for member in workshop.organisers.all())
    lines = [
        ("heading", _("Certificate of attendance")),
        ("text", _("This is to certify that")),
        ("name", registration.name),
    ]
    affiliation = registration.member.title if registration.member else registration.organisation
    if affiliation:
        lines.append(("text", affiliation))
    lines += [
        ("text", _("attended the %(kind)s") % {"kind": workshop.get_kind_display().lower()}),
        ("title", workshop.title),
        ("text", when),
    ]
    if where:
        lines.append(("text", where))
    if organisers:
        lines.append(("text", _("Organised by %(members)s") % {"members": organisers}))
    lines.append(
        (
            "small",
            _("South-South Network for Public Service Innovation · certificate %(number)s · issued %(date)s")
            % {"number": registration.pk, "date": date_format(timezone.localdate(), "j F Y")},
        )
    )
    return lines


STYLES = {  # font style, size (pt), line height (mm)
    "heading": ("B", 28, 16),
    "text": ("", 14, 9),
    "name": ("B", 24, 14),
    "title": ("B", 18, 11),
    "small": ("", 9, 6),
}


def render_certificate(registration):
    """The PDF (bytes) of `registration`'s certificate, in the participant's language.
    Raises CertificateNotAvailable unless the participant attended."""
    if registration.status != RegistrationStatus.ATTENDED or registration.anonymised_at:
        raise CertificateNotAvailable
    with translation.override(registration.language or "en"):
        lines = certificate_lines(registration)
        rtl = translation.get_language_bidi()
    # Imported here, when a certificate is drawn: fpdf2 imports numpy whenever it is installed (the matcher's
    # dependency), and the URLs load this module in every web worker.
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(lines[0][1])
    pdf.set_author("SSN4PSI")
    pdf.add_font("DejaVu", "", FONTS / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.add_font("Lohit", "", FONTS / "Lohit-Bengali.ttf")
    pdf.set_fallback_fonts(["Lohit"], exact_match=False)
    # HarfBuzz shapes Arabic and Bengali; the paragraph direction follows the participant's language.
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if rtl else "ltr")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(11, 92, 173)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(32)
    for style, text in lines:
        font_style, size, height = STYLES[style]
        if style == "small":
            pdf.set_y(pdf.h - 30)
        elif style in ("name", "title"):
            pdf.ln(3)
        pdf.set_font("DejaVu", font_style, size)
        pdf.multi_cell(0, height, text, align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _pdf_response(registration):
    try:
        content = render_certificate(registration)
    except CertificateNotAvailable:
        raise Http404 from None
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"certificate-{slugify(registration.workshop.title)[:60] or 'workshop'}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def participant_certificate(request, token):
    """The certificate, through the participant's manage link (404 unless attended, 400 for a bad link)."""
    from workshops.views import _registration_or_problem

    registration, problem = _registration_or_problem(request, token, "manage")
    return problem or _pdf_response(registration)


@organiser_view
def organiser_certificate(request, workshop, registration_pk):
    """The certificate of one of the workshop's participants, for its organisers."""
    registration = get_object_or_404(
        Registration.objects.select_related("workshop", "member"), pk=registration_pk, workshop=workshop
    )
    return _pdf_response(registration)
