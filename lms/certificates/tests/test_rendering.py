import io

import pytest
from pypdf import PdfReader

from lms.certificates.rendering import render_pdf, verify_url

pytestmark = pytest.mark.django_db


def pdf_of(certificate) -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(certificate)))


@pytest.mark.parametrize(("size", "points"), [("a4", (841.89, 595.28)), ("letter", (792, 612))])
def test_the_pdf_is_one_landscape_page_of_the_configured_size(enrollment, complete, settings, size, points):
    settings.LMS_CERTIFICATE_PAGE_SIZE = size
    (page,) = pdf_of(complete(enrollment)).pages

    assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == points


def test_the_pdf_carries_the_name_course_date_instructor_and_code(enrollment, complete):
    certificate = complete(enrollment)
    certificate.student_name = "Łukasz Żółć"  # beyond Latin-1, as the shipped font allows

    text = pdf_of(certificate).pages[0].extract_text()

    for expected in (
        "CERTIFICATE OF COMPLETION",
        "Łukasz Żółć",
        "Éléments de Python — les bases",
        f"Instructor: {certificate.instructor_name}",
        f"Code: {certificate.code}",
        f"{certificate.completed_at.year}",
    ):
        assert expected in text, expected


def test_the_qr_code_links_to_the_public_verification_page(enrollment, complete, settings):
    settings.LMS_PUBLIC_URL = "https://learn.example.com/"
    certificate = complete(enrollment)

    (page,) = pdf_of(certificate).pages
    links = [a.get_object()["/A"]["/URI"] for a in page["/Annots"]]

    assert links == [f"https://learn.example.com/verify/{certificate.code}"]
    assert verify_url(certificate.code) == links[0]
