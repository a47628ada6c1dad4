"""Media answer single Range requests (audio players seek with them), from Flask and from memory alike."""

import pytest

from server.domain.media import store_media

from .browser.pwa_pages import short_wav

AUDIO = short_wav(0.5)  # 8,044 bytes
LENGTH = len(AUDIO)


@pytest.fixture
def database_url(module_database_url):
    """These tests store the same audio (once: media are kept by their hash) and read it: one database per
    backend for them all (each still gets an app of its own, so nothing is remembered between tests)."""
    return module_database_url


@pytest.fixture
def audio_url(app):
    with app.extensions["db"].session() as session:
        name = store_media(session, AUDIO, "audio").name
        session.commit()
    return f"/media/{name}"


# Each request is asked twice: once before anything is remembered, once answered from memory.
@pytest.fixture(params=["from Flask", "from memory"])
def served(request, client, audio_url):
    if request.param == "from memory":
        assert client.get(audio_url).status_code == 200
        assert client.application.extensions["immutable_responses"].entries == 1
    return audio_url


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, LENGTH - 1),
        ("bytes=-500", LENGTH - 500, LENGTH - 1),
        ("bytes=8000-99999", 8000, LENGTH - 1),  # a last byte past the end means the end
        ("bytes=-99999", 0, LENGTH - 1),  # a suffix longer than the file is the whole file
        ("bytes = 10 - 19", 10, 19),
    ],
)
def test_one_range_is_answered_206_with_its_bytes_and_content_range(client, served, header, first, last):
    response = client.get(served, headers={"Range": header})
    assert response.status_code == 206
    assert response.data == AUDIO[first : last + 1]
    assert response.headers["Content-Range"] == f"bytes {first}-{last}/{LENGTH}"
    assert response.headers["Content-Length"] == str(last - first + 1)
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Type"] == "audio/wav"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["ETag"] == f'"{served[7:71]}"'


def test_a_whole_answer_says_it_takes_ranges(client, served):
    response = client.get(served)
    assert response.status_code == 200 and response.data == AUDIO
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Length"] == str(LENGTH)
    assert "Content-Range" not in response.headers


@pytest.mark.parametrize("header", [f"bytes={LENGTH}-", f"bytes={LENGTH + 10}-{LENGTH + 20}", "bytes=-0"])
def test_a_range_beyond_the_end_is_416_with_the_length_and_a_message(client, served, header):
    response = client.get(served, headers={"Range": header})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{LENGTH}"
    assert "beyond the end of this file" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "header",
    [
        "bytes=0-9,20-29",  # several ranges: the whole file rather than a multipart body
        "bytes=20-10",  # last before first: an invalid range is ignored
        "items=0-9",  # a unit we do not know
        "bytes=abc",
        "bytes=",
    ],
)
def test_several_or_unreadable_ranges_get_the_whole_file(client, served, header):
    response = client.get(served, headers={"Range": header})
    assert response.status_code == 200 and response.data == AUDIO
    assert "Content-Range" not in response.headers


def test_if_range_with_this_files_etag_gets_the_range_and_any_other_the_whole_file(client, served):
    etag = client.get(served).headers["ETag"]
    same = client.get(served, headers={"Range": "bytes=0-9", "If-Range": etag})
    assert same.status_code == 206 and same.data == AUDIO[:10]
    for other in ('"another-version"', f"W/{etag}", "Sun, 29 Nov 2026 10:00:00 GMT"):
        response = client.get(served, headers={"Range": "bytes=0-9", "If-Range": other})
        assert response.status_code == 200 and response.data == AUDIO, other


def test_if_none_match_wins_over_range(client, served):
    etag = client.get(served).headers["ETag"]
    response = client.get(served, headers={"Range": "bytes=0-9", "If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""


def test_a_range_request_first_does_not_leave_a_partial_answer_in_memory(client, audio_url):
    assert client.get(audio_url, headers={"Range": "bytes=0-9"}).data == AUDIO[:10]
    whole = client.get(audio_url)
    assert whole.status_code == 200 and whole.data == AUDIO


def test_a_head_request_with_a_range_names_the_part_and_sends_no_body(client, audio_url):
    response = client.head(audio_url, headers={"Range": "bytes=0-99"})
    assert response.status_code == 206 and response.data == b""
    assert response.headers["Content-Range"] == f"bytes 0-99/{LENGTH}"
    assert response.headers["Content-Length"] == "100"


def test_images_and_tiles_keep_their_gzip_and_ranges_stay_with_media(client):
    response = client.get("/js/main.js", headers={"Range": "bytes=0-9", "Accept-Encoding": "gzip"})
    assert response.status_code == 200 and "Accept-Ranges" not in response.headers


def test_pages_play_media_from_the_site_only(client):
    # The player streams /media/ URLs (with ranges) and no longer makes blob: copies to play.
    assert "media-src 'self';" in client.get("/").headers["Content-Security-Policy"]
