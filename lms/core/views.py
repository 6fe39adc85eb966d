"""The web app's page: its built index.html for every client-side path."""

from __future__ import annotations

from pathlib import Path

from csp.decorators import csp_update
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils.decorators import method_decorator
from django.views import View

# --- The web app (frontend/) ------------------------------------------------------------------------

NOT_BUILT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LMS: the web app is not built</title></head>
<body><main>
<h1>The web app is not built yet</h1>
<p>The API is up (<a href="/api/docs/">/api/docs/</a>). To build the app, install Node.js 20 or later
and run <code>make run</code> again, or build it yourself:
<code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>.</p>
</main></body></html>
"""


# The checkout's Stripe.js: its script, its frames (the Payment Element, 3-D Secure) and its calls to
# Stripe's API, as Stripe's security guide lists them. Only the app's page gets them; the admin site
# and Swagger UI keep the base policy (config/settings/base.py).
STRIPE_JS_CSP = {
    "script-src": ["https://js.stripe.com", "https://*.js.stripe.com"],
    "frame-src": ["https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"],
    "connect-src": ["https://api.stripe.com"],
}


LOCAL_STRIPE_JS = '<script src="{src}" data-api="/api/payments/local-stripe"></script>'


@method_decorator(csp_update(STRIPE_JS_CSP), name="get")
class WebAppView(View):
    """The single-page app's index.html for every client-side path (config/urls.py says which).

    The built file (frontend/dist/index.html, from `npm run build`) names its hashed assets under
    /static/app/; until it exists, a page saying how to build it.
    """

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, path: str = "") -> HttpResponse:
        index = Path(settings.LMS_FRONTEND_DIST) / "index.html"
        try:
            html = index.read_text(encoding="utf-8")
        except FileNotFoundError:
            html = NOT_BUILT_PAGE
        if settings.LMS_LOCAL_CHECKOUT:
            # Before the app's own script, so its checkout finds window.Stripe (payments/local_checkout.py).
            html = html.replace(
                "</head>", LOCAL_STRIPE_JS.format(src=static("payments/local-stripe.js")) + "</head>", 1
            )
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        # A new build names new assets: the page itself must never be cached.
        response["Cache-Control"] = "no-cache"
        return response
