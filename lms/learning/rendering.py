"""Lesson bodies: Markdown as the instructor wrote it, rendered to HTML that is safe to show.

Markdown lets raw HTML through, so the rendered HTML is sanitized with nh3 (the Rust `ammonia`
sanitizer): its allow-list of tags and attributes keeps no script, style, event handler or
iframe, and links may only be http(s) or mailto.
"""

from __future__ import annotations

import markdown
import nh3

URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    html = markdown.markdown(text, extensions=["fenced_code", "tables", "sane_lists"], output_format="html")
    return nh3.clean(html, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow")
