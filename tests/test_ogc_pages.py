"""The OGC and API pages in a real browser: styled under the strict CSP, nothing blocked, links work."""

import pytest

pytestmark = pytest.mark.browser


def test_items_page_is_styled_under_the_csp_and_links_to_each_stop(page_context, live_server):
    page = page_context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto("/ogc/collections/gent-kanazawa/items?f=html&lang=nl")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("table").evaluate("t => getComputedStyle(t).borderCollapse") == "collapse"
    first = page.locator("tbody a").first
    name = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == name
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert not problems, problems


def test_api_page_opens_its_examples(page_context, live_server):
    page = page_context.new_page()
    page.goto("/api/docs")
    assert page.locator("h1").inner_text() == "Kotoji public API"
    example = page.locator('a[href="/ogc/collections/gent-kanazawa/items"]').first
    with page.expect_response("**/ogc/collections/gent-kanazawa/items") as answer:
        example.click()
    assert answer.value.status == 200
