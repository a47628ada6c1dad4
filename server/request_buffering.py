"""Read each request's body on Granian's event loop, under a deadline, before a thread runs Flask.

Why: under Granian's WSGI interface a request takes one of the few app threads before the app
runs, and reading `wsgi.input` then blocks that thread until the client has sent the whole body,
with no timeout. Four clients trickling a body a byte a second held every thread and the whole site
stopped answering (red-team H1). Served through Granian's RSGI interface instead, this gateway
awaits the body on the event loop, where a waiting client costs a socket and a little memory but no
thread, and gives up with 408 when the client is too slow (the rule of Apache's mod_reqtimeout:
BODY_TIMEOUT_SECONDS, extended by one second for every BODY_MIN_RATE bytes received). Only a request
that has fully arrived goes to the thread pool that runs the WSGI app: as nginx's
proxy_request_buffering does, but without needing nginx in front. What the app answers from memory
in microseconds (published documents, stored media and tiles: its `answers_from_memory` extension)
runs on the event loop itself: the hop to a thread and back would cost more than the answer (it more
than halved the stops document's rate).
"""

import asyncio
import io
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import import_module
from types import TracebackType
from typing import IO, TYPE_CHECKING
from wsgiref.types import WSGIApplication, WSGIEnvironment

if TYPE_CHECKING:  # Granian is the server that loads this module; its types are for the checker only
    from granian._granian import RSGIHTTPProtocol as HTTPProtocol
    from granian.rsgi import Scope

log = logging.getLogger(__name__)

# A body larger than this waits in a temporary file rather than in memory (like nginx's
# client_body_buffer_size), so many large uploads at once cannot exhaust the process's memory.
MEMORY_BODY_BYTES = 1024 * 1024
TIMEOUT_HEADERS = [("Content-Type", "text/plain; charset=utf-8"), ("Connection", "close")]


class BodyTooSlow(Exception):
    """The client did not send its body fast enough."""


class BodyTooLarge(Exception):
    """A body without Content-Length grew past the upload limit."""


class RequestBuffering:
    """An RSGI app running the WSGI app `wsgi_app` in `threads` threads, each request fully read first."""

    def __init__(
        self,
        wsgi_app: WSGIApplication,
        threads: int,
        body_timeout: float,
        min_rate: float,
        max_body: int | None,
        answers_from_memory: Callable[[WSGIEnvironment], bool] | None = None,
    ) -> None:
        self.wsgi_app = wsgi_app
        self.answers_from_memory = answers_from_memory or _never
        self.threads = ThreadPoolExecutor(threads, thread_name_prefix="kotoji-app")
        self.body_timeout = body_timeout
        self.min_rate = min_rate
        self.max_body = max_body

    async def __rsgi__(self, scope: "Scope", protocol: "HTTPProtocol") -> None:
        if scope.proto != "http":
            return  # the server runs with --no-ws
        headers = _headers(scope)
        body: IO[bytes] | None = None
        if "CONTENT_LENGTH" in headers or "HTTP_TRANSFER_ENCODING" in headers:
            declared = _declared_length(headers.get("CONTENT_LENGTH"))
            if declared is None or self.max_body is None or declared <= self.max_body:
                try:
                    body = await self._read_body(protocol)
                except BodyTooSlow:
                    protocol.response_bytes(408, TIMEOUT_HEADERS, b"The request body came too slowly.\n")
                    return
                except BodyTooLarge:
                    protocol.response_bytes(413, TIMEOUT_HEADERS, b"The request body is too large.\n")
                    return
                except Exception:  # noqa: BLE001 - the client went away mid-body: nobody to answer
                    return
            # else: leave the body unread; the app answers 413 from the declared length.
        environ = _environ(scope, headers, body)
        if body is None and self.answers_from_memory(environ):
            status, response_headers, content = self._call_app(environ)
        else:
            loop = asyncio.get_running_loop()
            status, response_headers, content = await loop.run_in_executor(self.threads, self._call_app, environ)
        protocol.response_bytes(status, response_headers, content)

    def __rsgi_del__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.threads.shutdown(wait=False, cancel_futures=True)

    async def _read_body(self, protocol: "HTTPProtocol") -> IO[bytes]:
        """Return the whole body as a file, or raise BodyTooSlow past the deadline."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        received = 0
        body: IO[bytes] = tempfile.SpooledTemporaryFile(MEMORY_BODY_BYTES)
        chunks = protocol.__aiter__()
        while True:
            remaining = started + self.body_timeout + received / self.min_rate - loop.time()
            if remaining <= 0:
                raise BodyTooSlow()
            try:
                chunk = await asyncio.wait_for(chunks.__anext__(), remaining)
            except StopAsyncIteration:
                break
            except TimeoutError:
                raise BodyTooSlow() from None
            received += len(chunk)
            if self.max_body is not None and received > self.max_body:
                raise BodyTooLarge()
            body.write(chunk)
        body.seek(0)
        return body

    def _call_app(self, environ: WSGIEnvironment) -> tuple[int, list[tuple[str, str]], bytes]:
        """Run the WSGI app in a pool thread; return status, headers and the whole body."""
        started: list[tuple[str, list[tuple[str, str]]]] = []

        def start_response(
            status: str,
            headers: list[tuple[str, str]],
            exc_info: tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None] | None = None,
        ) -> Callable[[bytes], object]:
            if exc_info and started and exc_info[1] is not None:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [(status, headers)]
            return written.append

        written: list[bytes] = []
        try:
            result = self.wsgi_app(environ, start_response)
            try:
                content = b"".join([*written, *result])
            finally:
                getattr(result, "close", lambda: None)()
        except Exception:  # noqa: BLE001 - Flask answers its own errors; this is a layer above it failing
            log.exception("the app failed on %s %s", environ["REQUEST_METHOD"], environ["PATH_INFO"])
            return 500, [("Content-Type", "text/plain; charset=utf-8")], b"Internal Server Error\n"
        finally:
            body = environ["wsgi.input"]
            body.close()
        status, headers = started[0]
        return int(status[:3]), headers, content


def _headers(scope: "Scope") -> dict[str, str]:
    """The request headers as WSGI names them (repeated headers joined, as in one header)."""
    headers: dict[str, str] = {}
    for name, value in scope.headers.items():
        key = name.upper().replace("-", "_")
        key = key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"
        if key in headers:
            value = headers[key] + ("; " if key == "HTTP_COOKIE" else ",") + value
        headers[key] = value
    return headers


def _declared_length(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def _environ(scope: "Scope", headers: dict[str, str], body: IO[bytes] | None) -> WSGIEnvironment:
    server_host, _, server_port = scope.server.rpartition(":")
    environ: WSGIEnvironment = {
        "REQUEST_METHOD": scope.method,
        "SCRIPT_NAME": "",
        # Granian gives the path percent-decoded as text; WSGI wants its bytes as latin-1.
        "PATH_INFO": scope.path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.query_string,
        "SERVER_NAME": server_host.strip("[]"),
        "SERVER_PORT": server_port,
        "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
        "REMOTE_ADDR": scope.client.rpartition(":")[0].strip("[]"),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.scheme,
        "wsgi.input": body if body is not None else io.BytesIO(),
        # The body is complete (or deliberately unread): reading to its end is safe (Werkzeug's key).
        "wsgi.input_terminated": True,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **headers,
    }
    if "HTTP_HOST" not in environ and scope.authority:
        environ["HTTP_HOST"] = scope.authority  # HTTP/2 sends :authority rather than Host
    return environ


def create_gateway() -> RequestBuffering:
    """Granian's factory: the WSGI app factory named by KOTOJI_WSGI_FACTORY, behind this gateway."""
    module, _, name = os.environ.get("KOTOJI_WSGI_FACTORY", "server:create_app").partition(":")
    app = getattr(import_module(module), name)()
    config, extensions = getattr(app, "config", {}), getattr(app, "extensions", {})
    return RequestBuffering(
        app,
        threads=config.get("APP_THREADS", 4),
        body_timeout=config.get("BODY_TIMEOUT_SECONDS", 20),
        min_rate=config.get("BODY_MIN_RATE", 500),
        max_body=config.get("MAX_CONTENT_LENGTH"),
        answers_from_memory=extensions.get("answers_from_memory", _never),
    )


def _never(environ: WSGIEnvironment) -> bool:
    return False
