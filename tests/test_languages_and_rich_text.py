from server.domain.editing.rich_text import sanitize_html
from server.domain.languages import missing_languages, pick_text


def test_text_falls_back_field_by_field_japanese_to_english_to_dutch():
    assert pick_text({"nl": "Belfort", "en": "Belfry", "ja": "鐘楼"}, "ja") == "鐘楼"
    assert pick_text({"nl": "Belfort", "en": "Belfry"}, "ja") == "Belfry"
    assert pick_text({"nl": "Belfort", "ja": ""}, "ja") == "Belfort"
    assert pick_text({}, "nl") == ""


def test_missing_languages_counts_blank_text_as_missing():
    assert missing_languages({"nl": "x", "en": "  ", "ja": None}) == ["en", "ja"]


def test_sanitizer_keeps_the_allowed_story_markup():
    html = '<h3>De draak</h3><p>Een <em>vergulde</em> <strong>draak</strong> <a href="https://stad.gent">bron</a></p><ul><li>1</li></ul>'
    assert sanitize_html(html) == html


def test_sanitizer_removes_scripts_handlers_and_javascript_links():
    dirty = (
        '<p onclick="alert(1)">x<script>alert(1)</script><a href="javascript:alert(1)">y</a>'
        '<img src=x onerror=alert(1)><svg><script>alert(1)</script></svg><iframe src="https://e.vil"></iframe></p>'
    )
    clean = sanitize_html(dirty)
    for bad in ("script", "onclick", "javascript:", "onerror", "<img", "<svg", "<iframe"):
        assert bad not in clean
    assert clean.startswith("<p>x")
