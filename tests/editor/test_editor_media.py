"""Uploads: checked by content, images re-encoded to web size without EXIF, refusals with clear 4xx."""

import io
import subprocess
import sys
import wave
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select

from server.domain.models import Media

from .editor_helpers import write

UPLOAD = "/editor/api/media"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def jpeg_with_gps(width=3000, height=2000) -> bytes:
    image = Image.new("RGB", (width, height), (180, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    gps = {1: "N", 2: (51.0, 3.0, 14.0), 3: "E", 4: (3.0, 43.0, 30.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def wav_bytes(seconds=1) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\x00\x00" * 8000 * seconds)
    return out.getvalue()


def upload(client, data: bytes, name: str):
    return write(client, "POST", UPLOAD, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def media_count(session):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Media))


def test_images_are_reencoded_to_web_size_without_exif(signed_in, session):
    editor = signed_in("editor")
    original = jpeg_with_gps()
    assert b"SecretCam" in original
    response = upload(editor, original, "../../etc/Belfort photo.JPG")
    assert response.status_code == 201, response.data
    body = response.get_json()
    assert body["file"].startswith("media/belfort-photo-") and body["file"].endswith(".jpg")
    assert max(body["width"], body["height"]) == 1600
    stored = session.get(Media, body["media"].split(".")[0])
    assert b"SecretCam" not in stored.data
    with Image.open(io.BytesIO(stored.data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif() or 0x8825 not in image.getexif()
    served = editor.get(body["url"])
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"


def test_png_with_transparency_stays_png(signed_in):
    editor = signed_in("editor")
    out = io.BytesIO()
    Image.new("RGBA", (100, 50), (0, 0, 0, 0)).save(out, "PNG")
    response = upload(editor, out.getvalue(), "logo.png")
    assert response.status_code == 201 and response.get_json()["media"].endswith(".png")


def test_audio_is_checked_and_stored(signed_in):
    editor = signed_in("editor")
    response = upload(editor, wav_bytes(), "uitleg.wav")
    assert response.status_code == 201, response.data
    assert response.get_json()["content_type"] == "audio/wav"


DISGUISED = [
    (b"<?php system($_GET['c']); ?>", "photo.jpg", "PHP script"),
    (b"<!doctype html><html><script>alert(1)</script></html>", "photo.jpg", "markup"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "map.svg", "SVG images are refused"),
    (b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "x.png", "SVG"),
    (b"MZ\x90\x00" + b"\x00" * 100, "setup.jpg", "Windows program"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "tool.mp3", "program"),
    (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"not really audio" * 20, "song.mp3", "audio file is damaged"),
    (b"", "empty.jpg", "empty"),
]


def test_disguised_and_broken_files_are_refused_with_a_clear_message(signed_in, session):
    editor = signed_in("editor")
    before = media_count(session)
    truncated = jpeg_with_gps(800, 600)[:2000]
    for data, name, message in [*DISGUISED, (truncated, "cut.jpg", "damaged or truncated")]:
        response = upload(editor, data, name)
        assert response.status_code == 422, (name, response.data)
        assert message in response.get_json()["message"], (name, response.get_json())
    assert media_count(session) == before


def test_a_file_over_the_limit_gets_413_with_a_clear_message(app, signed_in, session):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    editor = signed_in("editor")
    before = media_count(session)
    response = upload(editor, b"\xff\xd8\xff" + b"\x00" * (2 * 1024 * 1024), "huge.jpg")
    assert response.status_code == 413
    assert "larger than the upload limit of 1 MB" in response.get_json()["message"]
    assert media_count(session) == before


def test_images_need_alt_text_in_every_language_before_publishing(signed_in, test_walk, client):
    from .editor_helpers import post_form

    editor = signed_in("editor")
    media = upload(editor, jpeg_with_gps(400, 300), "belfort.jpg").get_json()
    etag = editor.get("/editor/api/walks/test-walk/stops/alpha").headers["ETag"]
    image = {"media": media["media"], "file": media["file"], "alt": {"nl": "Het belfort", "en": "The belfry"}}
    etag = write(editor, "PUT", "/editor/api/walks/test-walk/stops/alpha", {"images": [image]}, etag).headers["ETag"]
    refused = post_form(editor, "/editor/walks/test-walk/publish")
    assert refused.status_code == 422 and "images[1] needs alt text in ja" in refused.get_data(as_text=True)
    image["alt"]["ja"] = "鐘楼"
    write(editor, "PUT", "/editor/api/walks/test-walk/stops/alpha", {"images": [image]}, etag)
    assert post_form(editor, "/editor/walks/test-walk/publish").status_code == 303
    stops = client.get("/api/walks/test-walk/stops").get_json()
    alpha = next(f for f in stops["features"] if f["id"] == "alpha")
    assert alpha["properties"]["images"][0]["alt"]["ja"] == "鐘楼"
    assert client.get(alpha["properties"]["images"][0]["url"]).status_code == 200


def test_audio_needs_a_transcript_before_publishing(signed_in, test_walk, client):
    from .editor_helpers import post_form

    editor = signed_in("editor")
    media = upload(editor, wav_bytes(), "alpha-nl.wav").get_json()
    etag = editor.get("/editor/api/walks/test-walk/stops/alpha").headers["ETag"]
    audio = {"nl": {"media": media["media"], "file": media["file"], "transcript": ""}}
    etag = write(editor, "PUT", "/editor/api/walks/test-walk/stops/alpha", {"audio": audio}, etag).headers["ETag"]
    refused = post_form(editor, "/editor/walks/test-walk/publish")
    assert refused.status_code == 422 and "audio (nl) needs a transcript" in refused.get_data(as_text=True)
    audio["nl"]["transcript"] = "Welkom bij de eerste halte."
    write(editor, "PUT", "/editor/api/walks/test-walk/stops/alpha", {"audio": audio}, etag)
    assert post_form(editor, "/editor/walks/test-walk/publish").status_code == 303
    alpha = next(f for f in client.get("/api/walks/test-walk/stops").get_json()["features"] if f["id"] == "alpha")
    assert alpha["properties"]["audio"]["nl"]["transcript"] == "Welkom bij de eerste halte."


def test_an_image_named_as_audio_cannot_be_used_as_audio(signed_in, test_walk):
    editor = signed_in("editor")
    media = upload(editor, jpeg_with_gps(200, 100), "photo.jpg").get_json()
    etag = editor.get("/editor/api/walks/test-walk/stops/alpha").headers["ETag"]
    response = write(
        editor,
        "PUT",
        "/editor/api/walks/test-walk/stops/alpha",
        {"audio": {"en": {"media": media["media"], "transcript": "x"}}},
        etag,
    )
    assert response.status_code == 422 and "not an uploaded audio file" in response.get_json()["message"]


def png_of(width, height, mode="1") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, "PNG")  # one colour: a few KB whatever the size
    return out.getvalue()


def test_too_many_pixels_are_refused_from_the_header_naming_the_limit(signed_in, session):
    editor = signed_in("editor")
    before = media_count(session)
    for (width, height), size in [((6000, 7000), "6000×7000"), ((20000, 20000), "over 89 million")]:
        response = upload(editor, png_of(width, height), "bomb.png")
        assert response.status_code == 422, response.data
        message = response.get_json()["message"]
        assert f"too many pixels ({size})" in message and "at most 40 million pixels" in message, message
    assert media_count(session) == before


PEAK_MEMORY = """
import re, sys, threading
from server.domain.media import _reencode_image

def peak_kb():  # VmHWM: this process's own peak (ru_maxrss would carry the parent's over exec)
    return int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read())[1])

data = open(sys.argv[1], "rb").read()
_reencode_image(open(sys.argv[2], "rb").read())  # first use loads Pillow's plugins: not counted
before = peak_kb()
uploads = [threading.Thread(target=_reencode_image, args=(data,)) for _ in range(int(sys.argv[3]))]
for upload in uploads:
    upload.start()
for upload in uploads:
    upload.join()
print(peak_kb() - before)
"""


def test_four_parallel_large_uploads_peak_at_about_the_memory_of_one(tmp_path):
    large, small = tmp_path / "large.png", tmp_path / "small.png"
    large.write_bytes(png_of(4000, 4000, "RGB"))  # 16 million pixels: 48 MB decoded
    small.write_bytes(png_of(10, 10, "RGB"))

    def peak_kb(parallel):
        run = subprocess.run(
            [sys.executable, "-c", PEAK_MEMORY, large, small, str(parallel)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        return int(run.stdout)

    one, four = peak_kb(1), peak_kb(4)
    assert one > 40_000, one  # the measurement sees a decode
    assert four < 1.5 * one, f"peak growth: one upload {one // 1024} MB, four in parallel {four // 1024} MB"
