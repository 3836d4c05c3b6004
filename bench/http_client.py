"""(d) HTTP against a real server: gunicorn or the werkzeug dev server, and a stdlib urllib client."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench.common import REPO, STEPS, Timings, package_version, progress
from engine.db import Database
from engine.demo import DEMO_PASSWORD
from engine.models import HumanTask, ProcessInstance

HTTP_TIMEOUT_S = 30
SERVER_READY_TIMEOUT_S = 40
CSRF_RE = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


class Browser:
    """One logged-in user: stdlib urllib with a cookie jar, no proxies, redirects not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),  # 127.0.0.1 directly, whatever *_proxy says
            urllib.request.HTTPCookieProcessor(self.jar),
            _NoRedirect(),
        )
        self.token = ""

    def request(self, path: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> tuple[int, str, str]:
        req = urllib.request.Request(self.base + path, data=body, headers=dict(headers or {}),
                                     method="POST" if body is not None else "GET")
        try:
            with self.opener.open(req, timeout=HTTP_TIMEOUT_S) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as exc:  # 3xx/4xx/5xx land here (redirects are not followed)
            with exc:
                return exc.code, exc.headers.get("Location", ""), exc.read().decode(errors="replace")

    def post_form(self, path: str, fields: Mapping[str, str]) -> tuple[int, str, str]:
        """multipart/form-data, as the browser sends the task form (enctype in task.html)."""
        boundary = f"----lontarbench{uuid.uuid4().hex}"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in {"csrf_token": self.token, **fields}.items()
        ]
        body = ("".join(parts) + f"--{boundary}--\r\n").encode()
        return self.request(path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def post_urlencoded(self, path: str, fields: Mapping[str, str]) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(dict(fields)).encode()
        return self.request(path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def login(self, username: str, password: str) -> None:
        status, _, page = self.request("/login")
        token = _csrf(page, "/login")
        status, location, page = self.post_urlencoded(
            "/login", {"csrf_token": token, "username": username, "password": password})
        if status != 302:
            raise AssertionError(f"login of {username} failed: HTTP {status}")
        status, _, page = self.request("/start")  # logging in clears the session: a fresh token
        if status != 200:
            raise AssertionError(f"/start for {username}: HTTP {status}")
        self.token = _csrf(page, "/start")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


def _csrf(page: str, where: str) -> str:
    match = CSRF_RE.search(page)
    if match is None:
        raise AssertionError(f"no csrf_token on {where}")
    return match.group(1)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    description: str
    log_path: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: only what we started
                self.process.wait(timeout=5)


def start_server(kind: str, database_url: str, instance: Path) -> Server:
    port = free_port()
    env = dict(os.environ)
    env.update(
        LONTAR_INSTANCE=str(instance),
        LONTAR_DATABASE_URL=database_url,
        # one key for both workers: each would otherwise create instance/secret_key on first start
        LONTAR_SECRET_KEY=secrets.token_hex(32),
    )
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(name, None)
    if kind == "gunicorn":
        command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                   "--log-level", "warning", "webapp:create_app()"]
        description = f"gunicorn {package_version('gunicorn')} -w 2 (sync workers)"
    else:
        command = [sys.executable, "-m", "webapp.cli", "run", "--host", "127.0.0.1", "--port", str(port)]
        description = f"werkzeug {package_version('werkzeug')} dev server (threaded, 1 process)"
    log_path = instance / f"{kind}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    server = Server(process, f"http://127.0.0.1:{port}", description, log_path)
    deadline = time.monotonic() + SERVER_READY_TIMEOUT_S
    probe = Browser(server.base)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with contextlib.suppress(OSError):
            if probe.request("/login")[0] == 200:
                return server
        time.sleep(0.2)
    server.stop()
    tail = log_path.read_text(errors="replace")[-1500:]
    raise RuntimeError(f"{kind} did not come up on {server.base}:\n{tail}")


def bench_http(database_url: str, instance: Path, instances: int, server_kind: str) -> Timings:
    """budi's draft, sari's approval, agus's approval: each POST /tasks/<id> timed end to end."""
    server = None
    failure = ""
    for kind in ("gunicorn", "werkzeug") if server_kind == "auto" else (server_kind,):
        try:
            server = start_server(kind, database_url, instance)
            break
        except RuntimeError as exc:
            failure = str(exc)
            progress(f"{kind} failed, {'trying the werkzeug dev server' if kind == 'gunicorn' else 'giving up'}")
    if server is None:
        raise RuntimeError(failure)
    reason = failure.splitlines()[0][:70] if failure else ""
    timings = Timings(note=server.description + (f" - gunicorn failed: {reason}" if failure else ""))
    lookup = Database(database_url)  # finds the next task's id (not timed), as the inbox would
    try:
        people = {name: Browser(server.base) for name in ("budi", "sari", "agus")}
        for name, browser in people.items():
            browser.login(name, DEMO_PASSWORD)

        def next_task(instance_id: int, bpmn_id: str) -> int:
            with lookup.transaction(write=False) as session:
                return session.scalars(select(HumanTask.id).where(
                    HumanTask.instance_id == instance_id, HumanTask.bpmn_id == bpmn_id,
                    HumanTask.status == "ready")).one()

        for number in range(instances + 2):  # the first 2 instances warm up the workers
            status, location, _ = people["budi"].post_urlencoded(
                "/start/nota_dinas", {"csrf_token": people["budi"].token})
            found = re.search(r"/tasks/(\d+)", location)
            if status != 302 or found is None:
                raise AssertionError(f"start: HTTP {status} -> {location!r}")
            task_id = int(found.group(1))
            with lookup.transaction(write=False) as session:
                instance_id = session.get(HumanTask, task_id).instance_id
            for index, (who, data, bpmn_id) in enumerate(STEPS):
                if index:
                    task_id = next_task(instance_id, bpmn_id)
                submitted = {**data, "perihal": f"{data['perihal']} {number}"} if bpmn_id == "susun" else data
                started = time.perf_counter()
                status, location, page = people[who].post_form(f"/tasks/{task_id}", submitted)
                elapsed = time.perf_counter() - started
                if status != 302 or location.endswith(f"/tasks/{task_id}"):
                    errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)<', page)[:3]
                    raise AssertionError(f"{who} on task {task_id}: HTTP {status} -> {location!r} {errors}")
                if number >= 2:
                    timings.add(bpmn_id, elapsed)
            with lookup.transaction(write=False) as session:
                status_now = session.get(ProcessInstance, instance_id).status
            if status_now != "completed":
                raise AssertionError(f"instance {instance_id} is {status_now} after agus approved")
    except BaseException:
        progress(f"server log {server.log_path}:\n{server.log_path.read_text(errors='replace')[-2000:]}")
        raise
    finally:
        lookup.dispose()
        server.stop()
    return timings

