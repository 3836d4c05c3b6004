"""Settings, from the environment, with defaults that make `make run` work on a fresh machine."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from engine.db import sqlite_url
from engine.mailer import SmtpConfig

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    instance_path: Path
    database_url: str
    secret_key: str
    zone: str = "WIB"
    max_upload_bytes: int = 10 * 1024 * 1024
    max_task_repeats: int = 100
    default_lang: str = "id"
    smtp: SmtpConfig | None = None  # None: notifications stay in the app, no e-mail copies

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        instance = Path(os.environ.get("LONTAR_INSTANCE", REPO_ROOT / "instance")).resolve()
        instance.mkdir(parents=True, exist_ok=True)
        url = os.environ.get("LONTAR_DATABASE_URL") or sqlite_url(instance / "lontar.db")
        values: dict[str, object] = {
            "instance_path": instance,
            "database_url": url,
            "secret_key": os.environ.get("LONTAR_SECRET_KEY") or _secret_key(instance),
            "zone": os.environ.get("LONTAR_TIMEZONE", "WIB"),
            "max_task_repeats": int(os.environ.get("LONTAR_MAX_TASK_REPEATS", "100")),
            "smtp": smtp_from_env(os.environ),
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


def smtp_from_env(env: Mapping[str, str]) -> SmtpConfig | None:
    """E-mail copies of notifications: on when LONTAR_SMTP_HOST is set, off otherwise.

    LONTAR_SMTP_PORT (default 587 with STARTTLS, else 25), LONTAR_SMTP_FROM, LONTAR_SMTP_USER,
    LONTAR_SMTP_PASSWORD, LONTAR_SMTP_STARTTLS (1/true/yes), and LONTAR_BASE_URL: the address
    people open Lontar at, for the links in a message.
    """
    host = env.get("LONTAR_SMTP_HOST", "").strip()
    if not host:
        return None
    starttls = env.get("LONTAR_SMTP_STARTTLS", "").strip().lower() in ("1", "true", "yes", "on")
    return SmtpConfig(
        host=host,
        port=int(env.get("LONTAR_SMTP_PORT") or (587 if starttls else 25)),
        sender=env.get("LONTAR_SMTP_FROM") or f"lontar@{host}",
        username=env.get("LONTAR_SMTP_USER") or None,
        password=env.get("LONTAR_SMTP_PASSWORD") or None,
        starttls=starttls,
        base_url=(env.get("LONTAR_BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
    )


def _secret_key(instance: Path) -> str:
    """One random key per installation, kept in the instance folder (never in the repository)."""
    path = instance / "secret_key"
    try:
        # O_EXCL: of two workers starting on a fresh folder, one writes and both read the same key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    for _ in range(50):
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.01)  # the other worker is between creating and writing the file
    raise RuntimeError(f"empty secret key file: {path}")
