"""The certificate as a printable PDF: landscape A4 or US Letter, DejaVu Sans (shipped in fonts/,
so any name renders), and a QR code that opens the public verification page."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from django.conf import settings
from django.utils import timezone
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from lms.certificates.models import Certificate

FONTS = Path(__file__).resolve().parent / "fonts"
PAGE_SIZES = {"a4": landscape(A4), "letter": landscape(letter)}
INK = HexColor("#1f2937")
ACCENT = HexColor("#1d4ed8")
MUTED = HexColor("#4b5563")


def _register_fonts() -> None:
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", FONTS / "DejaVuSans.ttf"))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", FONTS / "DejaVuSans-Bold.ttf"))


def verify_url(code: str) -> str:
    """The public page that tells anyone whether the certificate is valid."""
    return f"{settings.LMS_PUBLIC_URL.rstrip('/')}/verify/{code}"


def _fitted(text: str, font: str, size: float, width: float, smallest: float = 12) -> float:
    """The largest size up to `size` at which `text` fits in `width` (never below `smallest`)."""
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 1
    return size


def _centered(canvas: Canvas, text: str, *, y: float, font: str, size: float, page_width: float) -> None:
    """One line across the page's middle, smaller when it would run into the frame."""
    canvas.setFont(font, _fitted(text, font, size, page_width - 60 * mm))
    canvas.drawCentredString(page_width / 2, y, text)


def _qr(canvas: Canvas, url: str, *, x: float, y: float, side: float) -> None:
    """The QR code as vector squares (sharp at any print size), linked to the URL."""
    matrix = segno.make(url, error="m").matrix
    module = side / len(matrix)
    canvas.setFillColor(INK)
    for row, line in enumerate(matrix):
        for col, dark in enumerate(line):
            if dark:
                canvas.rect(x + col * module, y + side - (row + 1) * module, module, module, stroke=0, fill=1)
    canvas.linkURL(url, (x, y, x + side, y + side), relative=0)


def render_pdf(certificate: Certificate) -> bytes:
    _register_fonts()
    size = PAGE_SIZES[settings.LMS_CERTIFICATE_PAGE_SIZE]
    width, height = size
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, pageCompression=1)
    canvas.setTitle(f"Certificate of completion: {certificate.course_title}")
    canvas.setAuthor(settings.LMS_SITE_NAME)
    canvas.setSubject(f"{certificate.student_name}, {certificate.course_title}")

    # A double frame, as on a printed certificate.
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    canvas.setFillColor(ACCENT)
    _centered(
        canvas,
        "CERTIFICATE OF COMPLETION",
        y=height - 45 * mm,
        font="DejaVuSans-Bold",
        size=30,
        page_width=width,
    )
    canvas.setFillColor(MUTED)
    _centered(
        canvas, settings.LMS_SITE_NAME, y=height - 55 * mm, font="DejaVuSans", size=13, page_width=width
    )
    _centered(canvas, "This certifies that", y=height - 75 * mm, font="DejaVuSans", size=15, page_width=width)
    canvas.setFillColor(INK)
    _centered(
        canvas,
        certificate.student_name,
        y=height - 92 * mm,
        font="DejaVuSans-Bold",
        size=34,
        page_width=width,
    )
    canvas.setFillColor(MUTED)
    _centered(
        canvas, "has completed the course", y=height - 107 * mm, font="DejaVuSans", size=15, page_width=width
    )
    canvas.setFillColor(INK)
    _centered(
        canvas,
        certificate.course_title,
        y=height - 122 * mm,
        font="DejaVuSans-Bold",
        size=24,
        page_width=width,
    )

    # The date and the instructor on the left, the QR code and the code on the right.
    left = 30 * mm
    canvas.setFont("DejaVuSans", 12)
    canvas.setFillColor(INK)
    day = timezone.localtime(certificate.completed_at)
    canvas.drawString(left, 42 * mm, f"Completed on {day:%B} {day.day}, {day.year}")
    canvas.drawString(left, 35 * mm, f"Instructor: {certificate.instructor_name}")
    url = verify_url(certificate.code)
    side = 32 * mm
    qr_x = width - 30 * mm - side
    _qr(canvas, url, x=qr_x, y=36 * mm, side=side)
    canvas.setFont("DejaVuSans", 8)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(width - 30 * mm, 30 * mm, f"Verify at {url}")
    canvas.drawRightString(width - 30 * mm, 25 * mm, f"Code: {certificate.code}")

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
