"""What an editor sends costs time in proportion to its size: no text makes a check or a diff quadratic."""

import time

from server.domain.editing.history import _word_diff
from server.domain.editing.rules import clean_stop_fields
from server.domain.errors import ValidationError
from server.domain.models import Walk


def seconds(work, times=3):
    """Return the shortest of a few runs of `work()` (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def check_body(html):
    try:
        clean_stop_fields(None, Walk(path=[]), {"body": {"en": html}})
    except ValidationError:
        pass


def test_a_story_of_spaces_after_a_bracket_is_checked_as_fast_as_a_normal_story():
    hostile = "<" + " " * 8_000 + "x"  # the danger check used to try every split of the spaces
    normal = "<p>" + "An old guild house by the river. " * 250 + "</p>"
    assert seconds(lambda: check_body(hostile)) < 5 * seconds(lambda: check_body(normal))


def test_a_diff_of_long_repetitive_texts_costs_about_as_much_as_of_ordinary_ones():
    before, after = "a " * 2000, "b " + "a " * 1999 + "c"  # every word equal to thousands of others
    words = " ".join(f"word{n}" for n in range(2000))
    ordinary = seconds(lambda: _word_diff(words, words.replace("word1000", "changed")))
    assert seconds(lambda: _word_diff(before, after)) < 10 * ordinary + 0.01
    segments = _word_diff(before, after)
    assert "".join(text for op, text in segments if op != "added") == before
    assert "".join(text for op, text in segments if op != "removed") == after


def test_a_small_edit_in_a_long_text_still_shows_word_by_word():
    before = "The belfry was built in 1313. " * 50
    after = before.replace("1313", "1380", 1)
    assert _word_diff(before, after) == [
        ("same", "The belfry was built in "),
        ("removed", "1313"),
        ("added", "1380"),
        ("same", before[len("The belfry was built in 1313") :]),
    ]
