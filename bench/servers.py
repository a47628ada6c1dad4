"""The servers the benchmark starts: each in its own process group, in a temporary folder."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from probes import BenchError, get

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"  # Debian keeps it in sbin, often off PATH

NGINX_CONF = """
{user}
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    open_file_cache max=64 inactive=60s;
    server_tokens off;
    server {{
        listen 127.0.0.1:{port};
        root {prefix}/www;
        etag on;
        gzip_static on;
        default_type application/geo+json;
        location / {{
            add_header Cache-Control "public, max-age=60, stale-while-revalidate=600";
            add_header Vary Accept-Encoding;
        }}
    }}
}}
"""


def bench_environment(tmp: Path) -> dict:
    """Return the servers' environment: a fresh instance folder and SQLite database in `tmp`."""
    instance = tmp / "instance"
    instance.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k == "KOTOJI_ROUTES_DIR" or not k.startswith(("KOTOJI_", "GRANIAN_", "DATABASE_"))
    }
    env.update(
        KOTOJI_INSTANCE_PATH=str(instance),
        DATABASE_URL=f"sqlite:///{instance / 'bench.sqlite3'}",
        SECRET_KEY="bench-only-" + os.urandom(16).hex(),
        PYTHONUNBUFFERED="1",
    )
    return env


@contextmanager
def throwaway_database(env: dict, postgresql: str | None, prefix: str) -> Iterator[None]:
    """Point `env` at a new PostgreSQL database (<prefix>_<hex>) on the server `postgresql`, dropped at the end.

    With None, `env` keeps the SQLite database of `bench_environment`.
    """
    if postgresql is None:
        yield
        return
    database = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = postgresql.rstrip("/") + "/postgres"
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {database}"], check=True)
    env["DATABASE_URL"] = f"{postgresql.rstrip('/')}/{database}"
    try:
        yield
    finally:
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process started in its own process group, stopped (with its children) on exit."""

    def __init__(
        self,
        name: str,
        command: list[str],
        env: dict | None,
        tmp: Path,
        port: int | None = None,
        cwd: Path = PROJECT_ROOT,
    ):
        self.name, self.command, self.env, self.cwd = name, command, env, cwd
        self.port = port or int(command[command.index("--port") + 1])
        self.log_path = tmp / f"{name}.log"
        self.process = None

    def __enter__(self):
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            self.command,
            cwd=self.cwd,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def __exit__(self, *_exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the group this script created for the server
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def wait_ready(self, path: str, timeout: float) -> None:
        """Return once `path` answers 200; fail with the server's log if it exits or takes too long."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if get(self.port, path).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"{self.name} did not answer {path} within {timeout:.0f}s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-30:])


def nginx_server(tmp: Path, reference: dict) -> Server:
    """Write the stops bytes and a precompressed .gz as static files, and an nginx.conf serving them."""
    prefix = tmp / "nginx"
    target = prefix / "www" / reference["path"].lstrip("/")
    target.parent.mkdir(parents=True)
    target.write_bytes(reference["plain"])
    target.with_name(target.name + ".gz").write_bytes(reference["gzip"])
    port = free_port()
    # As root, nginx's workers would become 'nobody' and could not read the temporary folder.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, prefix=prefix, port=port))
    return Server(
        "nginx",
        [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log"), "-g", "daemon off;"],
        None,
        tmp,
        port=port,
    )
