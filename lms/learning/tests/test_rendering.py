"""Lesson Markdown renders to HTML with no way to run script in a reader's browser."""

import time
from html.parser import HTMLParser

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


class Elements(HTMLParser):
    """Every tag of a fragment with its attributes; text is not markup and is left out."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


@pytest.mark.parametrize("markdown", HOSTILE)
def test_hostile_markdown_renders_without_script(markdown):
    html = render_markdown(markdown)

    for tag, attrs in Elements(html).tags:
        assert tag in {"p", "a", "img", "div", "span", "code", "pre"}, (markdown, html)
        for name, value in attrs.items():
            assert not name.startswith("on") and name not in {"style", "action", "xlink:href"}, (
                markdown,
                html,
            )
            scheme = value.strip().lower().split(":", 1)[0] if ":" in value else ""
            assert scheme in {"", "http", "https", "mailto"}, (markdown, html)
    # What is left of a refused link or tag is text, escaped: no markup can start from it.
    assert "<script" not in html.lower() and "<iframe" not in html.lower(), (markdown, html)


def test_ordinary_markdown_keeps_its_structure():
    html = render_markdown(
        "# Title\n\nSome **bold** and [a link](https://example.com).\n\n```\ncode <b>\n```"
    )

    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">a link</a>' in html
    assert "<pre><code>code &lt;b&gt;" in html


@pytest.mark.parametrize("unit", ["[a](", "![", "[", "*a", "|a|\n|-|\n"])
def test_rendering_time_grows_linearly_with_a_hostile_body(unit):
    """A body of the largest size allowed (100,000 characters) must not pin a worker: 50 times
    the text may take about 50 times as long, not 2,500 (Python-Markdown took minutes)."""

    def seconds(length: int) -> float:
        text = unit * (length // len(unit))
        started = time.perf_counter()
        render_markdown(text)
        return time.perf_counter() - started

    small = min(seconds(2_000) for _ in range(3))
    assert seconds(100_000) < 500 * max(small, 0.001)
