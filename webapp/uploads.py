"""Uploaded files, stored by content hash in the instance folder (never under static/).

The form layer has already checked size and type from the bytes; here the file is written
once per distinct content, and task data keeps a small reference to it.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from flask import current_app

from engine.letters import StoredFile

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def files_dir() -> Path:
    folder = Path(current_app.instance_path) / "files"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(upload: Any, mime: str | None = None) -> dict[str, Any]:
    stream = upload.stream
    stream.seek(0)
    digest = hashlib.sha256()
    data = stream.read()
    digest.update(data)
    sha = digest.hexdigest()
    target = files_dir() / sha
    if not target.exists():
        tmp = target.with_suffix(".part")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    name = _SAFE_NAME.sub("_", Path(upload.filename or "berkas").name)[:120] or "berkas"
    return {"name": name, "sha256": sha, "size": len(data), "mime": mime or upload.mimetype}


def path_of(sha256: str) -> Path | None:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        return None
    path = files_dir() / sha256
    return path if path.exists() else None


def store_bytes(data: bytes, filename: str, mime: str = "application/pdf") -> StoredFile:
    """Bytes made by Lontar itself (a signed PDF), written by hash like an upload."""
    sha = hashlib.sha256(data).hexdigest()
    target = files_dir() / sha
    if not target.exists():
        tmp = target.with_suffix(".part")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    name = _SAFE_NAME.sub("_", Path(filename).name)[:120] or "berkas"
    return StoredFile(filename=name, sha256=sha, mime=mime, size=len(data))
