"""Real Kotoji processes (Granian, as in production), nginx in front, and a staff HTTP client."""

import html
import http.cookiejar
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STAFF_PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def instance_environment(database_url: str, instance: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "KOTOJI_INSTANCE_PATH": str(instance),
        "SECRET_KEY": "shared-by-every-instance-" + "x" * 32,
        "KOTOJI_INSECURE_COOKIES": "1",
        "KOTOJI_PUBLICATION_CHECK_SECONDS": "0",
        "KOTOJI_TRUSTED_PROXIES": "1",
    }


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


class AppProcess:
    """`manage.py serve` in its own process group, so kill() takes its workers down with it.

    With `access_log`, its access log (a line per request it answered) goes to that file.
    """

    def __init__(self, env: dict, workers: int = 1, access_log: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log = access_log
        with access_log.open("ab") if access_log else open(os.devnull, "wb") as stdout:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "serve", "--port", str(self.port), "--workers", str(workers)],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=stdout,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        wait_until_up(self.url + "/api/walks", self.process)

    def requests_for(self, path: str) -> int:
        """How many GETs of `path` (no query: the log leaves it out) this instance answered, by its access log.

        A GET of `path` sent after the others and seen in the log first makes sure the log has them all.
        """
        assert self.access_log is not None, "started without an access log"
        marker = f"/api/walks/log-marker-{time.monotonic_ns()}"
        try:
            urllib.request.urlopen(self.url + marker, timeout=10)
        except urllib.error.HTTPError:
            pass  # a 404, as wanted: the line is what counts
        deadline = time.monotonic() + 10
        while f'"GET {marker} ' not in (text := self.access_log.read_text()):
            assert time.monotonic() < deadline, f"{marker} never reached the access log"
            time.sleep(0.05)
        return text.count(f'"GET {path} ')

    def kill(self, sig=signal.SIGKILL):
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(10)


def wait_until_up(url: str, process=None, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except (TimeoutError, urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


class Nginx:
    """nginx balancing round-robin over `upstreams`, run as this user from a temporary prefix."""

    def __init__(self, folder: Path, upstreams: list[str]):
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder.mkdir(parents=True, exist_ok=True)
        servers = "\n".join(f"    server {u.removeprefix('http://')};" for u in upstreams)
        (folder / "nginx.conf").write_text(f"""
daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; client_body_temp_path {folder}; proxy_temp_path {folder};
  fastcgi_temp_path {folder}; uwsgi_temp_path {folder}; scgi_temp_path {folder};
  client_max_body_size 25m;
  upstream kotoji {{
{servers}
  }}
  server {{
    listen 127.0.0.1:{self.port};
    location / {{
      proxy_pass http://kotoji;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
""")
        self.process = subprocess.Popen(
            [binary, "-p", str(folder), "-c", str(folder / "nginx.conf")],
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        wait_until_up(self.url + "/api/walks", self.process)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class StaffClient:
    """A person at a browser: cookies, CSRF token, JSON and form requests against one base URL."""

    def __init__(self, base_url: str, forwarded_for: str | None = None):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())
        self.csrf = ""
        self.forwarded_for = forwarded_for

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict | None = None,
        base_url: str | None = None,
    ):
        headers = {**(headers or {})}
        if self.csrf and method not in ("GET", "HEAD"):
            headers["X-CSRF-Token"] = self.csrf
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        req = urllib.request.Request((base_url or self.base_url) + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def fetch_csrf(self, path: str = "/editor/login", base_url: str | None = None) -> None:
        _, _, body = self.request("GET", path, base_url=base_url)
        match = re.search(rb'name="csrf[-_]token" (?:content|value)="([^"]+)"', body)
        self.csrf = html.unescape(match[1].decode())

    def login(self, email: str, password: str = STAFF_PASSWORD, base_url: str | None = None) -> int:
        self.fetch_csrf(base_url=base_url)
        form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": self.csrf}).encode()
        status, _, _ = self.request(
            "POST", "/editor/login", form, {"Content-Type": "application/x-www-form-urlencoded"}, base_url=base_url
        )
        if status == 303:
            self.fetch_csrf("/editor/", base_url=base_url)  # the token is rotated with the session
        return status

    def get_json(self, path: str, base_url: str | None = None):
        status, headers, body = self.request("GET", path, base_url=base_url)
        return status, headers, json.loads(body) if body else None

    def put_json(self, path: str, data: dict, etag: str, base_url: str | None = None):
        status, headers, body = self.request(
            "PUT",
            path,
            json.dumps(data).encode(),
            {"Content-Type": "application/json", "If-Match": etag},
            base_url=base_url,
        )
        return status, headers, json.loads(body) if body else None

    def post_form(self, path: str, fields: dict | None = None, base_url: str | None = None):
        form = urllib.parse.urlencode({**(fields or {}), "csrf_token": self.csrf}).encode()
        return self.request(
            "POST", path, form, {"Content-Type": "application/x-www-form-urlencoded"}, base_url=base_url
        )

    def upload(self, path: str, filename: str, data: bytes, base_url: str | None = None):
        boundary = "kotoji-boundary-7f3a"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        status, headers, reply = self.request(
            "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}, base_url=base_url
        )
        return status, headers, json.loads(reply) if reply else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class CachingNginx:
    """nginx with the shared-cache configuration of docs/operations.md, in front of `upstreams`."""

    SITE = "walks.example.org"

    def __init__(self, folder: Path, upstreams: list[str]):
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder.mkdir(parents=True, exist_ok=True)
        docs = (PROJECT_ROOT / "docs" / "operations.md").read_text()
        block = re.search(r"```nginx\n(# kotoji-cache.*?)```", docs, re.S)[1]
        servers = "\n".join(f"    server {u.removeprefix('http://')};" for u in upstreams)
        block = re.sub(r"(    server 10\.0\.0\.\d+:8000;\n)+", servers + "\n", block)
        block = block.replace("/var/cache/nginx/kotoji", str(folder / "cache"))
        block = block.replace("listen 80", f"listen 127.0.0.1:{self.port}")
        # As root, nginx's workers would become 'nobody' and could not write the cache in this folder.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(f"""
daemon off; {user} pid {folder}/nginx.pid; error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; client_body_temp_path {folder}; proxy_temp_path {folder};
  fastcgi_temp_path {folder}; uwsgi_temp_path {folder}; scgi_temp_path {folder};
{block}
}}
""")
        self.process = subprocess.Popen(
            [binary, "-p", str(folder), "-c", str(folder / "nginx.conf")],
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while self.get("/api/walks")[0] != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {(folder / 'error.log').read_text()[-2000:]}")
            time.sleep(0.1)

    def get(self, path: str, headers: dict | None = None, host: str | None = None):
        """GET through the cache as a client of the site: (status, headers, body)."""
        request = urllib.request.Request(self.url + path, headers={"Host": host or self.SITE, **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()
        except (urllib.error.URLError, ConnectionError):
            return 0, {}, b""

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@contextmanager
def two_instances(
    database_url: str,
    folder: Path,
    editor: str,
    front=Nginx,
    settings: dict | None = None,
    access_logs: bool = False,
):
    """Instances A and B (own instance folders, one database, an editor account) with `front` before both;
    `settings`: more environment variables for both; `access_logs`: each keeps one (`requests_for`)."""
    env_a = {**instance_environment(database_url, folder / "a"), **(settings or {})}
    env_b = {**instance_environment(database_url, folder / "b"), **(settings or {})}
    if getattr(front, "SITE", None):  # a front that names the site: links are built from that address
        env_a["KOTOJI_PUBLIC_URL"] = env_b["KOTOJI_PUBLIC_URL"] = f"http://{front.SITE}"
    created = manage(env_a, "create-user", "--email", editor, "--role", "editor", "--password", STAFF_PASSWORD)
    assert created.returncode == 0, created.stderr
    a = AppProcess(env_a, access_log=folder / "a-access.log" if access_logs else None)
    b = AppProcess(env_b, access_log=folder / "b-access.log" if access_logs else None)
    a.env, b.env = env_a, env_b
    proxy = front(folder / "nginx", [a.url, b.url])
    try:
        yield a, b, proxy
    finally:
        proxy.stop()
        a.kill()
        b.kill()
