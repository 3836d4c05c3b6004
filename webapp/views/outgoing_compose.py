"""What the three draft pages share (a new draft, editing a konsep, the konseptor's revision
task): building the form from what was typed or from the letter, the choices of units and
signers, the preview of the paraf chain, and storing the attachment.

The signer list depends on the jenis and the recipients (engine.signing_rules): the page
re-renders it on "Periksa penandatangan", and static/outgoing.js asks for the same fragment
(/surat/keluar/penandatangan) as soon as the jenis or a recipient changes.
"""

from __future__ import annotations

from typing import Any

from flask import render_template

from engine import klasifikasi
from engine.drafting import current_version, template_for
from engine.errors import InvalidInput
from engine.letters import StoredFile, attachments
from engine.models import Letter, Position
from engine.org_scope import unit_tree, whole_pemda
from engine.signing_rules import SignerOption, preview_chain, signer_options
from forms.filetypes import sniff
from webapp.context import today
from webapp.dbsession import session
from webapp.i18n import current_lang
from webapp.outgoingforms import DraftForm, field_of, signer_value
from webapp.uploads import store

MAX_SEARCH = 20


def unit_choices() -> list[tuple[int, str]]:
    """The Pemda's units in tree order, indented by depth, for the recipient and koordinasi pickers."""
    return [(node.id, f"{'· ' * node.depth}{node.name}") for node in unit_tree(session(), whole_pemda(session()))]


def options_for(form: DraftForm, konseptor_position_id: int | None) -> list[SignerOption]:
    if konseptor_position_id is None or not form.jenis.data:
        return []
    return signer_options(session(), konseptor_position_id=konseptor_position_id, jenis=form.jenis.data,
                          parties=form.party_inputs())


def signer_context(form: DraftForm, konseptor_position_id: int | None) -> dict[str, Any]:
    """The signer select's choices and, once a valid signer is chosen, the paraf chain preview."""
    options = options_for(form, konseptor_position_id)
    units = unit_choices()
    form.fill_choices(units, [(signer_value(o.rule_id, o.position_id), o.label) for o in options])
    rule_id, position_id = form.signer_choice()
    chosen = next((o for o in options if o.rule_id == rule_id and o.position_id == position_id), None)
    if chosen is None and len(options) == 1 and not form.signer.data:
        chosen = options[0]  # one signer only: nothing to choose
        form.signer.data = signer_value(chosen.rule_id, chosen.position_id)
    from webapp.views.letters import (
        holders,  # here: webapp.views.letters imports the draft routes, which import us
    )

    chain: list[dict[str, Any]] = []
    if chosen is not None and konseptor_position_id is not None:
        positions = preview_chain(session(), konseptor_position_id=konseptor_position_id,
                                  signer_position_id=chosen.position_id,
                                  koordinasi_unit_ids=form.koordinasi.data or [])
        names = holders([p.id for p in positions] + [chosen.position_id], today())
        chain = [{"name": p.name, "holders": names.get(p.id, "")} for p in positions]
        signer_holders = names.get(chosen.position_id, "")
    else:
        signer_holders = ""
    return {"signer_options": options, "chosen_signer": chosen, "chain": chain, "signer_holders": signer_holders,
            "units": units}


def posted_form() -> DraftForm:
    """The draft as posted, its choices filled so that it can be validated."""
    form = DraftForm()
    form.fill_choices(unit_choices(), [])
    return form


def new_form(jenis: str | None = None) -> DraftForm:
    """An empty draft of the jenis, its body the jenis's template."""
    form = DraftForm()
    if jenis:
        form.jenis.data = jenis
    form.body.data = template_for(session(), form.jenis.data or "nota_dinas")
    return form


def prefill(form: DraftForm, letter: Letter) -> None:
    """The form as the letter stands: its latest version, recipients, koordinasi and signer."""
    version = current_version(session(), letter.id)
    form.jenis.data, form.sifat.data, form.urgensi.data = letter.jenis, letter.sifat, letter.urgensi
    form.hal.data, form.body.data = version.hal, version.body
    form.klasifikasi_code.data = letter.klasifikasi_code or ""
    options = dict(letter.draft_options or {})
    form.koordinasi.data = [int(u) for u in options.get("koordinasi") or []]
    form.signer.data = signer_value(options.get("rule_id"), letter.signer_position_id)
    while form.parties.entries:
        form.parties.pop_entry()
    for party in letter.parties:
        form.parties.append_entry({"role": party.role, "kind": party.kind, "unit_id": party.unit_id,
                                   "name": party.name})


def render_draft(template: str, form: DraftForm, konseptor_position_id: int | None, **extra: Any) -> tuple[str, int]:
    form.ensure_blank_row()
    context = signer_context(form, konseptor_position_id)
    konseptor = session().get(Position, konseptor_position_id) if konseptor_position_id else None
    letter: Letter | None = extra.get("letter")
    return render_template(
        template, form=form, konseptor=konseptor, **context,
        klasifikasi_top=klasifikasi.search(session(), form.klasifikasi_code.data or "", limit=MAX_SEARCH),
        files=attachments(session(), letter.id) if letter is not None else [],
        party_errors=getattr(form, "party_errors", []), **extra,
    ), 200


def stored_attachments(form: DraftForm) -> list[StoredFile]:
    if form.attachment.data is None:
        return []
    upload = form.attachment.data
    saved = store(upload, sniff(upload.stream))
    return [StoredFile(saved["name"], saved["sha256"], saved["mime"], saved["size"])]


def show_refusal(form: DraftForm, exc: InvalidInput) -> str | None:
    """Put the engine's refusal beside its field; the message when no field takes it (to flash)."""
    message = exc.message(current_lang())
    if exc.field == "parties":
        form.party_errors = [message]  # type: ignore[attr-defined]
        return None
    target = field_of(form, exc.field)
    if target is None:
        return message
    target.errors = [*list(target.errors or []), message]
    return None
