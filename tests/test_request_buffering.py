"""The RSGI gateway of `manage.py serve`: whole bodies before the app, 408 for slow ones, faithful environ."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

from server.request_buffering import RequestBuffering


class Headers:
    def __init__(self, pairs):
        self.pairs = pairs

    def items(self):
        return list(self.pairs)


class Scope:
    proto, http_version, scheme, authority = "http", "1.1", "http", None
    server, client = "127.0.0.1:8000", "203.0.113.7:50123"

    def __init__(self, method="GET", path="/", query_string="", headers=()):
        self.method, self.path, self.query_string = method, path, query_string
        self.headers = Headers(headers)


class Protocol:
    """Sends `chunks` as the body, sleeping `pause` seconds before each; records the response."""

    def __init__(self, chunks=(), pause=0.0):
        self.chunks, self.pause = list(chunks), pause
        self.response = None

    def __aiter__(self):
        return self

    async def __anext__(self):
        if not self.chunks:
            raise StopAsyncIteration
        await asyncio.sleep(self.pause)
        return self.chunks.pop(0)

    def response_bytes(self, status, headers, body):
        self.response = (status, dict(headers), body)


def echo_app(environ, start_response):
    """Answer with what the app was given (the parts a Flask app reads)."""
    seen = {k: v for k, v in environ.items() if k.isupper()}
    seen["body"] = environ["wsgi.input"].read().decode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(seen).encode()]


def serve(scope, protocol, app=echo_app, **settings):
    gateway = RequestBuffering(
        app, **{"threads": 2, "body_timeout": 0.5, "min_rate": 500, "max_body": 1000, **settings}
    )
    # A thread of its own: the browser tests' Playwright keeps an event loop running on the main thread.
    try:
        with ThreadPoolExecutor(1) as loop_thread:
            loop_thread.submit(asyncio.run, gateway.__rsgi__(scope, protocol)).result()
    finally:
        gateway.threads.shutdown()
    return protocol.response


def test_the_app_gets_the_whole_body_and_a_wsgi_environ():
    scope = Scope(
        "POST",
        "/guide/tours/é",
        "a=1&b=%20",
        [
            ("host", "walks.example"),
            ("content-type", "application/json"),
            ("content-length", "9"),
            ("cookie", "a=1"),
            ("cookie", "b=2"),
        ],
    )
    status, _, body = serve(scope, Protocol([b'{"x":', b" 1}"]))
    seen = json.loads(body)
    assert status == 200
    assert seen["body"] == '{"x": 1}'
    assert seen["PATH_INFO"] == "/guide/tours/é".encode().decode("latin-1")
    assert (seen["QUERY_STRING"], seen["CONTENT_TYPE"], seen["CONTENT_LENGTH"]) == (
        "a=1&b=%20",
        "application/json",
        "9",
    )
    assert (seen["REMOTE_ADDR"], seen["SERVER_NAME"], seen["SERVER_PORT"]) == ("203.0.113.7", "127.0.0.1", "8000")
    assert seen["HTTP_HOST"] == "walks.example" and seen["HTTP_COOKIE"] == "a=1; b=2"


def test_a_body_that_comes_too_slowly_gets_408_and_never_reaches_the_app():
    def app(environ, start_response):
        raise AssertionError("the app was called with an incomplete body")

    scope = Scope("POST", "/editor/login", headers=[("content-length", "500")])
    status, headers, _ = serve(scope, Protocol([b"x"] * 10, pause=0.2), app=app)
    assert status == 408 and headers["Connection"] == "close"


def test_a_steady_upload_may_take_longer_than_the_base_timeout():
    chunks = [b"x" * 250] * 4  # 250 bytes every 0.2 s: 1250 B/s, above the 500 B/s minimum
    scope = Scope("POST", "/editor/api/media", headers=[("content-length", "1000")])
    status, _, body = serve(scope, Protocol(chunks, pause=0.2), body_timeout=0.3)
    assert status == 200 and len(json.loads(body)["body"]) == 1000


def test_a_declared_oversize_body_is_left_unread_for_the_app_to_refuse():
    scope = Scope("POST", "/editor/api/media", headers=[("content-length", "5000")])
    protocol = Protocol([b"x" * 5000])
    status, _, body = serve(scope, protocol)
    assert status == 200 and json.loads(body)["body"] == "" and protocol.chunks, "not a byte read"


def test_a_chunked_body_past_the_limit_gets_413():
    scope = Scope("POST", "/editor/api/media", headers=[("transfer-encoding", "chunked")])
    status, _, _ = serve(scope, Protocol([b"x" * 600, b"x" * 600]))
    assert status == 413


def test_an_app_that_fails_outside_flask_answers_500():
    def app(environ, start_response):
        raise RuntimeError("boom")

    status, _, _ = serve(Scope(), Protocol(), app=app)
    assert status == 500
