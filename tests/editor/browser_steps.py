"""Steps the browser tests share: signing an editor in on a page of their choice."""

from .editor_helpers import PASSWORD


def open_signed_in(context, email, path):
    """Open `path` in `context` after signing in as `email`; return the page."""
    page = context.new_page()
    page.goto(f"/editor/login?next={path}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click(".login-form button[type=submit]")
    page.wait_for_url(f"**{path}")
    return page


def append_paragraph(page, area, text):
    """Type a new paragraph at the end of a story area, the way an editor does."""
    page.click(area)
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(text)
