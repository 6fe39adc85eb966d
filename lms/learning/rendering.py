"""Lesson bodies: Markdown as the instructor wrote it, rendered to HTML that is safe to show.

markdown-it-py parses CommonMark (plus tables) in time linear in the text's length, so a body of
the largest size allowed renders in a few seconds at worst, whatever it holds. (Python-Markdown
took minutes on 100 KB of unclosed links.)

Markdown lets raw HTML through, so the rendered HTML is sanitized with nh3 (the Rust `ammonia`
sanitizer): its allow-list of tags and attributes keeps no script, style, event handler or
iframe, and links may only be http(s) or mailto.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": True}).enable("table")


def render_markdown(text: str) -> str:
    html = _markdown.render(text).strip()
    return nh3.clean(html, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow")
