"""`lontar demo letters`: a few incoming letters in the demo, so the Surat pages are not empty.

Runs after `processes deploy` (the letter flows must be there) and does nothing when the demo
already has letters.  It goes through the same engine services as the web pages.
"""

from __future__ import annotations

import click
from sqlalchemy import func, select

from engine import disposition
from engine.letters import IncomingLetter, register_incoming
from engine.models import HumanTask, Letter, Position, Unit, User
from engine.organisation import positions_of
from webapp.cli import _database, demo
from webapp.config import Settings

LETTERS = (
    # (registrar, unit, hal, sender, sifat, urgensi, klasifikasi, head disposes to)
    ("dewi", "DISKOMINFO", "Undangan rapat koordinasi SPBE tingkat provinsi", "Dinas Kominfo Provinsi", "biasa",
     "segera", "000", ("DISKOMINFO.APTIKA.KABID", "DISKOMINFO.IKP.KABID")),
    ("dewi", "DISKOMINFO", "Laporan hasil audit keamanan informasi", "Badan Siber dan Sandi Negara", "rahasia",
     "sangat_segera", "000", ()),
    ("bayu", "DINKES", "Permintaan data cakupan imunisasi", "Dinas Kesehatan Provinsi", "biasa", "biasa", "400", ()),
)


def _user(session, username: str) -> User:  # type: ignore[no-untyped-def]
    return session.scalars(select(User).where(User.username == username)).one()


@demo.command("letters")
def demo_letters() -> None:
    """Registrasi beberapa surat masuk demo (sekali saja)."""
    from webapp.engine_factory import build_engine

    engine = build_engine(Settings.from_env())
    database = _database()
    with database.transaction() as session:
        if session.scalar(select(func.count()).select_from(Letter)):
            click.echo("demo letters: already there")
            return
        today = engine.clock.today()
        for registrar, unit_code, hal, sender, sifat, urgensi, code, recipients in LETTERS:
            tu = _user(session, registrar)
            unit_id = session.scalars(select(Unit.id).where(Unit.code == unit_code)).one()
            position = (positions_of(session, tu.id, today) or [None])[0]
            done = register_incoming(session, engine, user=tu, position=position, unit_id=unit_id,
                                     data=IncomingLetter(hal=hal, sender_name=sender, nomor=f"B-{len(hal)}/2026",
                                                         sifat=sifat, urgensi=urgensi, klasifikasi_code=code))
            click.echo(f"  agenda {done.agenda_label} {unit_code}: {hal}")
            if recipients:
                head_task = session.scalars(select(HumanTask).where(HumanTask.id.in_(done.new_task_ids))).one()
                head = _user(session, "agus")
                ids = [session.scalars(select(Position.id).where(Position.code == c)).one() for c in recipients]
                disposition.dispose(session, engine, head_task.id, user=head, choice=disposition.DispositionChoice(
                    [disposition.Recipient(i) for i in ids], ["Tindak lanjuti", "Hadiri/wakili"],
                    "Mohon koordinasikan dengan Bappeda"))
                click.echo(f"    disposed by agus to {', '.join(recipients)}")
        _outgoing(session, engine)
    database.dispose()


def _outgoing(session, engine) -> None:  # type: ignore[no-untyped-def]
    """One nota dinas drafted by budi for the Kepala Dinas, waiting for sari's paraf."""
    from engine import drafting
    from engine.signing_rules import signer_options

    budi = _user(session, "budi")
    position = positions_of(session, budi.id, engine.clock.today())[0]
    ikp = session.scalars(select(Unit.id).where(Unit.code == "DISKOMINFO.IKP")).one()
    parties = [drafting.PartyInput("kepada", "internal", unit_id=ikp)]
    kadis = session.scalars(select(Position.id).where(Position.code == "DISKOMINFO.KADIS")).one()
    options = [o for o in signer_options(session, konseptor_position_id=position.id, jenis="nota_dinas",
                                         parties=parties) if o.position_id == kadis]
    if not options or session.get(Unit, position.unit_id) is None:
        return
    letter = drafting.new_draft(session, engine, user=budi, position=position, data=drafting.DraftInput(
        jenis="nota_dinas", hal="Permintaan data kanal pengaduan masyarakat", klasifikasi_code="000",
        body=drafting.template_for(session, "nota_dinas"), signer_rule_id=options[0].rule_id,
        signer_position_id=kadis, parties=parties))
    drafting.submit(session, engine, letter.id, user=budi)
    click.echo(f"  naskah keluar (konsep budi, menunggu paraf sari): {letter.hal}")
