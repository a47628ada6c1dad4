"""Rich text (stop stories) is sanitized by an allow-list on the way in, never trusted on the way out."""

import nh3

# ruby/rt/rp carry the readings of Japanese names (<ruby>霞ヶ池<rp>（</rp><rt>かすみがいけ</rt><rp>）</rp></ruby>).
ALLOWED_TAGS = {"p", "a", "em", "strong", "ul", "ol", "li", "br", "h3", "ruby", "rt", "rp"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"https", "mailto"}


def sanitize_html(html: str) -> str:
    """Return `html` with every tag, attribute and link scheme outside the allow-list removed."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,  # no target attribute is allowed, so no opener to guard against
    ).strip()
