"""axe-core (WCAG 2.2 A/AA rules) finds no serious or critical problem on the app's screens."""

from pathlib import Path

import pytest

from .pwa_pages import WALK, add_media_to_stop, open_app, wait_for_map

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def serious_violations(page) -> list:
    results = page.evaluate("(tags) => axe.run(document, { runOnly: { type: 'tag', values: tags } })", WCAG_TAGS)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("locale", ["en-GB", "ja-JP"])
def test_every_screen_passes_axe(app, open_context, locale):
    add_media_to_stop(app, "belfort")
    context = open_context(locale=locale)
    # Playwright injects axe before any page script; it is not part of the app and bypasses nothing else.
    context.add_init_script(path=str(AXE))
    page = open_app(context, "/#/")
    page.wait_for_selector("#home-view:not([hidden])")
    screens = {"home": serious_violations(page)}

    page.goto(f"/#/walk/{WALK}")
    wait_for_map(page, 6)
    page.wait_for_selector("#download-walk:not([hidden])")
    screens["map"] = serious_violations(page)
    page.click("#show-list")
    screens["list"] = serious_violations(page)

    page.goto(f"/#/stop/{WALK}/belfort")
    page.wait_for_selector(".stop__figure img")
    screens["stop"] = serious_violations(page)
    assert screens == {"home": [], "map": [], "list": [], "stop": []}
