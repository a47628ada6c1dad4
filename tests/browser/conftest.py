"""Browser fixtures for the tourist app: contexts with a position, and content with real media."""

import pytest

ALLOWED_PREFIXES = ("http://127.0.0.1", "data:", "blob:")


@pytest.fixture
def open_context(browser, live_server):
    """Open browser contexts on the live server (geolocation, locale...); every one refuses other hosts."""
    contexts, escaped = [], []

    def refuse_other_hosts(route):
        if route.request.url.startswith(ALLOWED_PREFIXES):
            route.continue_()
        else:
            escaped.append(route.request.url)
            route.abort()

    def open_(**options):
        options.setdefault("viewport", {"width": 412, "height": 915})
        context = browser.new_context(base_url=live_server.url, service_workers="allow", **options)
        context.route("**/*", refuse_other_hosts)
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()
    assert not escaped, f"requests left 127.0.0.1: {escaped}"
