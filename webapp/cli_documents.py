"""`lontar ca ...` and `lontar verify`: the local CA, signers' certificates, checking a signed PDF.

    lontar ca init [--name NAME]        create the root CA in INSTANCE/ca (never overwrites)
    lontar ca issue USERNAME            key + certificate for a signer (passphrase asked twice)
    lontar verify FILE.pdf [--trust PEM] check every signature; exit 0 only when all are sound

The CA passphrase comes from LONTAR_CA_PASSPHRASE or a hidden prompt; a signer's passphrase
only from a hidden prompt, so it never lands in shell history, and it is printed nowhere.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy import select

from engine import audit
from engine.errors import LontarError


def _lang() -> str:
    from webapp.cli import _lang as lang

    return lang()


def _say(indonesian: str, english: str) -> str:
    return english if _lang() == "en" else indonesian


def ca_folder() -> Path:
    from webapp.config import Settings

    return Settings.from_env().instance_path / "ca"


def _ca_passphrase(confirm: bool) -> bytes:
    value = os.environ.get("LONTAR_CA_PASSPHRASE")
    if value is None:
        value = click.prompt(_say("Passphrase CA", "CA passphrase"), hide_input=True, confirmation_prompt=confirm)
    return value.encode()


def _fail(exc: LontarError) -> None:
    click.echo(exc.message(_lang()), err=True)
    sys.exit(1)


def _pemda_name() -> str:
    """The root unit's name (the Pemda), if the database has an organisation yet."""
    from engine.models import Unit
    from webapp.cli import _database

    try:
        with _database().transaction(write=False) as session:
            name = session.scalar(select(Unit.name).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    except Exception:  # noqa: BLE001 - no database yet is fine for creating a CA
        return "Lontar"
    return name or "Lontar"


@click.group("ca")
def ca() -> None:
    """Certificate authority lokal Lontar dan sertifikat penandatangan."""


@ca.command("init")
@click.option("--name", default=None, help="Nama pada sertifikat root (bawaan: nama Pemda dari basis data).")
def ca_init(name: str | None) -> None:
    """Buat root CA di folder instance (ca/); CA yang sudah ada tidak ditimpa."""
    from engine.documents.ca import check_passphrase, init_ca

    folder = ca_folder()
    passphrase = _ca_passphrase(confirm=True)
    try:
        check_passphrase(passphrase.decode())
        info = init_ca(folder, name=name or _pemda_name(), passphrase=passphrase)
    except LontarError as exc:
        _fail(exc)
        return
    click.echo(_say(f"CA dibuat di {folder}: {info.name}", f"CA created in {folder}: {info.name}"))


@ca.command("issue")
@click.argument("username")
@click.option("--key-type", type=click.Choice(["rsa", "ec"]), default="rsa", show_default=True)
@click.option("--valid-days", type=int, default=730, show_default=True)
def ca_issue(username: str, key_type: str, valid_days: int) -> None:
    """Terbitkan kunci dan sertifikat untuk USERNAME; passphrase penandatangan diminta dua kali."""
    from engine.documents.ca import check_passphrase, issue_signer, load_ca
    from engine.models import User
    from webapp.cli import _database

    try:
        info = load_ca(ca_folder(), _ca_passphrase(confirm=False))
        database = _database()
        with database.transaction(write=False) as session:
            if session.scalar(select(User.id).where(User.username == username)) is None:
                click.echo(_say(f"pengguna {username} tidak ada", f"no user {username}"), err=True)
                sys.exit(1)
        passphrase = click.prompt(_say("Passphrase penandatangan", "Signer's passphrase"),
                                  hide_input=True, confirmation_prompt=True)
        check_passphrase(passphrase)
        with database.transaction() as session:
            user = session.scalars(select(User).where(User.username == username)).one()
            row = issue_signer(session, info, user=user, passphrase=passphrase, at=datetime.now(UTC),
                               valid_days=valid_days, key_type=key_type)
            audit.record(session, action="ttd.sertifikat_diterbitkan", actor=audit.Actor(None, "lontar ca issue"),
                         summary=f"{username} · {row.serial}",
                         after={"user_id": user.id, "serial": row.serial, "subject": row.subject,
                                "valid_to": row.valid_to.isoformat()})
            subject, serial = row.subject, row.serial
        del passphrase
    except LontarError as exc:
        _fail(exc)
        return
    click.echo(_say(f"sertifikat {serial} diterbitkan: {subject}", f"certificate {serial} issued: {subject}"))


def trust_roots(extra: tuple[Path, ...]) -> list[bytes]:
    """Lontar's CA (if any), INSTANCE/ca/trusted/*.pem (e.g. the BSrE root), and --trust files."""
    from engine.documents.trust import trust_roots as roots
    from webapp.config import Settings

    return roots(Settings.from_env().instance_path, extra)


@click.command("verify")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--trust", "extra", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Sertifikat root tambahan (PEM/DER) yang dipercaya.")
def verify(path: Path, extra: tuple[Path, ...]) -> None:
    """Periksa tanda tangan elektronik pada FILE.pdf; keluar 0 jika semuanya sah."""
    from engine import messages
    from engine.documents.pades import sha256
    from engine.documents.verify import verify_pdf

    data = path.read_bytes()
    result = verify_pdf(data, trust_roots(extra))
    lang = _lang()
    click.echo(f"{path}: sha256 {sha256(data)}")
    for index, check in enumerate(result.signatures, 1):
        when = check.signed_at.isoformat(timespec="seconds") if check.signed_at else "-"
        nip = f" NIP {check.nip}" if check.nip else ""
        flags = " ".join(f"{k}={'ya' if v else 'tidak'}" if lang == "id" else f"{k}={'yes' if v else 'no'}"
                         for k, v in (("utuh" if lang == "id" else "intact", check.intact),
                                      ("sah" if lang == "id" else "valid", check.valid),
                                      ("dipercaya" if lang == "id" else "trusted", check.trusted),
                                      ("diubah_setelahnya" if lang == "id" else "modified_after",
                                       check.modified_after)))
        click.echo(f"  {index}. {check.field_name}: {check.signer_name}{nip} · {when} · {flags} · "
                   f"{messages.text(check.summary_key, lang, detail=check.detail)}")
    click.echo(result.summary(lang))
    sys.exit(0 if result.ok else 1)


def register(group: click.Group) -> None:
    group.add_command(ca)
    group.add_command(verify)


from webapp.cli import main  # noqa: E402 - imported from the bottom of webapp.cli, after `main` exists

register(main)
