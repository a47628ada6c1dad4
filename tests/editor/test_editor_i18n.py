"""The editor speaks the person's language in its answers too: JSON errors, conflicts, history and times."""

import html
import io
import json
import re
import wave

import pytest

from server.domain.basemap.street_routes import NoRoute, StreetRouter

from ..test_street_routes import at, router_for
from .editor_helpers import post_form, write

STOP_API = "/editor/api/walks/test-walk/stops/alpha"


def in_language(client, language):
    """Choose the interface language the way the switcher does (saved on the account)."""
    post_form(client, "/i18n/language", {"language": language, "next": "/editor/"})
    return client


def test_json_validation_problems_come_in_the_persons_language(signed_in, test_walk):
    editor = in_language(signed_in("editor"), "nl")
    etag = editor.get(STOP_API).headers["ETag"]
    refused = write(editor, "PUT", STOP_API, {"lat": "abc", "status": "gone"}, etag)
    assert refused.status_code == 422
    problems = refused.get_json()["problems"]
    assert "lat (latitude): moet een getal zijn (nu 'abc')" in problems
    assert "status: moet een van deze zijn: draft, published" in problems
    japanese = in_language(signed_in("admin"), "ja")
    assert "数値で入力してください" in write(japanese, "PUT", STOP_API, {"lat": "abc"}, etag).get_json()["message"]


def test_a_stale_save_and_a_save_without_a_version_are_explained_in_the_persons_language(signed_in, test_walk):
    editor = in_language(signed_in("editor"), "ja")
    etag = editor.get(STOP_API).headers["ETag"]
    assert write(editor, "PUT", STOP_API, {"address": "Korenmarkt 1"}, etag).status_code == 200
    stale = write(editor, "PUT", STOP_API, {"address": "Korenmarkt 2"}, etag)
    assert stale.status_code == 412
    assert stale.get_json()["message"].startswith("この間に別の人がこのスポットを保存しました（現在は版")
    assert [c["label"] for c in stale.get_json()["merge"]["conflicts"]] == ["住所"]  # fields named in words
    unversioned = write(in_language(signed_in("admin"), "nl"), "PUT", STOP_API, {"address": "x"})
    assert unversioned.status_code == 428 and "If-Match-header" in unversioned.get_json()["message"]


def test_history_shows_times_in_the_walks_city_with_its_zone_never_bare_utc(signed_in, test_walk):
    editor = in_language(signed_in("editor"), "nl")
    for url in ("/editor/walks/test-walk/stops/alpha/history", "/editor/walks/test-walk/history", "/editor/audit"):
        page = (editor if "audit" not in url else in_language(signed_in("admin"), "nl")).get(url)
        text = page.get_data(as_text=True)
        assert "(Europe/Brussels)" in text and " UTC" not in text, url
        assert re.search(r"\d{1,2} \w{3}\.? \d{4}", text), f"{url}: a date written the Dutch way"
    history = editor.get("/editor/walks/test-walk/history").get_data(as_text=True)
    assert "Versie 1 van de wandeling" in history and "standaardtaal" in history


def test_walk_and_stop_statuses_are_words_of_the_language(signed_in, test_walk):
    page = in_language(signed_in("editor"), "ja").get("/editor/walks/test-walk").get_data(as_text=True)
    assert '<html lang="ja"' in page and ">公開</span>" in page and ">下書き</span>" in page
    assert "不足：" in page and "歩く順のスポット" in page


def test_upload_limit_and_import_refusals_are_translated(signed_in, test_walk):
    editor = in_language(signed_in("editor"), "nl")
    refused = post_form(editor, "/editor/walks/test-walk/import", headers={"Accept": "text/html"})
    assert refused.status_code == 422
    assert "kies een GeoJSON- of GPX-bestand om te importeren" in refused.get_data(as_text=True)


def test_domain_messages_outside_a_request_are_english_not_an_error(app):
    """The CLI (`manage.py check`, seeding) validates bundles in an app context with no request to ask."""
    from server.domain.messages import _

    with app.app_context():
        assert _("the file is empty") == "the file is empty"
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        assert _("the file is empty") == "ファイルが空です"


def test_stop_deletion_accounts_and_password_pages_speak_the_persons_language(signed_in, test_walk):
    japanese = in_language(signed_in("admin"), "ja")
    asking = japanese.get("/editor/walks/test-walk/stops/alpha/delete").get_data(as_text=True)
    assert "はい、alphaを削除" in asking and "Yes, delete" not in asking
    accounts = japanese.get("/editor/users").get_data(as_text=True)
    assert "最終ログイン（UTC）" in accounts and "無効化…" in accounts and "Last sign-in" not in accounts
    dutch = in_language(signed_in("editor"), "nl")
    password = dutch.get("/editor/account/password").get_data(as_text=True)
    assert "Mijn wachtwoord wijzigen" in password and "Change my password" not in password
    refused = post_form(dutch, "/editor/account/password", {"current": "wrong", "password": "x", "repeat": "y"})
    assert "huidig wachtwoord: dit is niet je huidige wachtwoord" in refused.get_data(as_text=True)


def path_editor_words(page):
    """The words the walk page hands to path-editor.js, as the script reads them."""
    found = re.search(r'<script type="application/json" id="path-editor-words">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_the_walk_pages_path_editor_speaks_dutch_and_japanese(signed_in, test_walk):
    english = path_editor_words(in_language(signed_in("admin"), "en").get("/editor/walks/test-walk").text)
    dutch_page = in_language(signed_in("editor"), "nl").get("/editor/walks/test-walk").text
    assert "Wandelroute" in dutch_page and "Volg de straten" in dutch_page and "Route omkeren" in dutch_page
    assert "Hun route laden" in dutch_page and "Follow the streets" not in dutch_page
    dutch = path_editor_words(dutch_page)
    assert dutch["conflict"].startswith("Niet bewaard: iemand anders heeft de route intussen gewijzigd")
    japanese_page = in_language(signed_in("admin"), "ja").get("/editor/walks/test-walk").text
    assert "散策ルート" in japanese_page and "道路に沿わせる" in japanese_page
    assert "自分の経路で上書き保存" in japanese_page and "Reverse the path" not in japanese_page
    japanese = path_editor_words(japanese_page)
    assert japanese["added"] == "地点{n}を追加しました。"  # the script's {n} placeholder survives translation
    for words in (dutch, japanese):
        assert words.keys() == english.keys()
        assert [key for key in english if words[key] == english[key]] == []  # no English word is left in


def test_why_the_streets_cannot_be_followed_is_said_in_the_persons_language(app, signed_in, test_walk):
    dutch = in_language(signed_in("editor"), "nl")
    leg = {"from": [3.7195, 51.0545], "to": [3.7225, 51.0553]}
    message = write(dutch, "POST", "/editor/api/walks/test-walk/street-route", leg).get_json()["message"]
    assert message.startswith("Er is geen basiskaart geïnstalleerd")
    router, _tiles = router_for([])  # a basemap without a single street near the click
    with app.test_request_context(headers={"Accept-Language": "ja"}), pytest.raises(NoRoute) as refused:
        router.route(at(0, 0), at(50, 0))
    assert str(refused.value) == "クリックした地点から80 m以内に、ベースマップの道路や歩道がありません。"


def test_an_import_with_a_bad_geometry_is_refused_in_the_persons_language(signed_in, test_walk):
    bad = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "id": "alpha", "geometry": {"type": "Point", "coordinates": [3.7]}}],
    }
    upload = {"file": (io.BytesIO(json.dumps(bad).encode()), "stops.geojson")}
    editor = in_language(signed_in("editor"), "ja")
    refused = post_form(editor, "/editor/walks/test-walk/import", upload, content_type="multipart/form-data")
    text = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 422
    assert "[経度, 緯度] または [経度, 緯度, 高度] にしてください" in text and "must be [longitude" not in text


def test_a_nul_in_a_field_is_refused_in_the_persons_language_under_its_english_field(signed_in, test_walk):
    editor = in_language(signed_in("editor"), "nl")
    etag = editor.get(STOP_API).headers["ETag"]
    refused = write(editor, "PUT", STOP_API, {"address": "Korenmarkt 1\x00"}, etag)
    assert refused.status_code == 422
    assert "address: bevat een stuurteken (U+0000); verwijder het" in refused.get_json()["problems"]


def test_an_audio_file_in_an_image_slot_is_refused_in_the_persons_language(signed_in, test_walk):
    sound = io.BytesIO()
    with wave.open(sound, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\x00\x00" * 800)
    editor = in_language(signed_in("editor"), "ja")
    upload = {"file": (io.BytesIO(sound.getvalue()), "bell.wav"), "kind": "image"}
    refused = post_form(editor, "/editor/api/media", upload, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert refused.get_json()["problems"] == [
        "file: bell.wav は音声で、画像ではありません。ここではJPEG、PNG、WebPの画像を選んでください。"
    ]


def test_path_problems_and_warnings_come_in_the_persons_language(signed_in, test_walk):
    editor = in_language(signed_in("editor"), "nl")
    path_api = "/editor/api/walks/test-walk/path"
    one_point = write(editor, "POST", f"{path_api}/check", {"path": [[3.72, 51.05]]})
    assert one_point.status_code == 422
    assert (
        "path: een route heeft minstens twee punten nodig; klik op de kaart om er een toe te voegen"
        in (one_point.get_json()["problems"])
    )
    stops = editor.get(path_api).get_json()["stops"]
    backwards = [[s["lon"], s["lat"]] for s in reversed(stops)]
    warnings = write(editor, "POST", f"{path_api}/check", {"path": backwards}).get_json()["warnings"]
    assert warnings and all(w["message"].startswith("De route komt bij stop '") for w in warnings), warnings


def test_the_routers_reasons_come_in_the_persons_language(app):
    router = StreetRouter(lambda z, x, y: None)
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        with pytest.raises(NoRoute, match="2つの地点は5.4 km離れています"):
            router.route((3.72, 51.05), (3.72, 51.0986))
        with pytest.raises(NoRoute, match="クリックした地点から80 m以内"):
            router.route((3.72, 51.05), (3.7205, 51.0502))
    with app.app_context(), pytest.raises(NoRoute, match="No street or footpath of the basemap within 80 m"):
        router.route((3.72, 51.05), (3.7205, 51.0502))  # the CLI's (no request): English
