"""Which roots a Pemda trusts when it checks a signed PDF: one list for `lontar verify` and the
public verification page, so that both give the same answer for the same file.

Lontar's own CA (INSTANCE/ca/root.pem, if it has been created) and every INSTANCE/ca/trusted/*.pem
(e.g. the BSrE root), plus any extra files the caller names.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from engine.documents.ca import CERT_FILE


def trust_roots(instance_path: Path, extra: Iterable[Path] = ()) -> list[bytes]:
    """The PEM/DER bytes of every trusted root, Lontar's CA first."""
    folder = Path(instance_path) / "ca"
    paths = [folder / CERT_FILE] if (folder / CERT_FILE).exists() else []
    paths += sorted((folder / "trusted").glob("*.pem")) if (folder / "trusted").is_dir() else []
    return [p.read_bytes() for p in [*paths, *extra]]
