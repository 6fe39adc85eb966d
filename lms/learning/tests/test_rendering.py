"""Lesson Markdown renders to HTML with no way to run script in a reader's browser."""

import pytest

from lms.learning.rendering import render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)></svg>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "![x](javascript:alert(1))",
    '<form action="https://evil.example"><input name=p></form>',
    "<object data=x></object><embed src=x>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
]


@pytest.mark.parametrize("markdown", HOSTILE)
def test_hostile_markdown_renders_without_script(markdown):
    html = render_markdown(markdown).lower()

    for forbidden in (
        "<script",
        "javascript:",
        "onerror",
        "onload",
        "onclick",
        "<iframe",
        "<style",
        "style=",
        "<form",
        "<object",
        "<embed",
        "data:text",
    ):
        assert forbidden not in html, (markdown, html)


def test_ordinary_markdown_keeps_its_structure():
    html = render_markdown(
        "# Title\n\nSome **bold** and [a link](https://example.com).\n\n```\ncode <b>\n```"
    )

    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">a link</a>' in html
    assert "<pre><code>code &lt;b&gt;" in html
