"""The `lontar` command as an operator uses it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import NOTA_DINAS
from webapp.cli import main

BROKEN = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="rusak" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="kerjakan" name="Kerjakan"><bpmn:incoming>f1</bpmn:incoming></bpmn:userTask>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="kerjakan" />
    <bpmn:sequenceFlow id="f_hilang" sourceRef="kerjakan" targetRef="tidak_ada" />
  </bpmn:process>
</bpmn:definitions>"""


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("LONTAR_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("LONTAR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    return runner


def test_validate_accepts_the_shipped_flow(cli: CliRunner):
    result = cli.invoke(main, ["processes", "validate", str(NOTA_DINAS)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{NOTA_DINAS}: valid"


def test_validate_names_file_and_element_and_exits_1(cli: CliRunner, tmp_path: Path):
    broken = tmp_path / "rusak.bpmn"
    broken.write_bytes(BROKEN)
    result = cli.invoke(main, ["processes", "validate", str(NOTA_DINAS), str(broken)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == f"{NOTA_DINAS}: valid"
    assert any(line.startswith(f"{broken}: f_hilang: ") for line in lines[1:]), lines


def test_validate_refuses_hostile_xml(cli: CliRunner, tmp_path: Path):
    evil = tmp_path / "xxe.bpmn"
    evil.write_bytes(b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>')
    result = cli.invoke(main, ["processes", "validate", str(evil)])
    assert result.exit_code == 1
    assert "DOCTYPE" in result.output and "root:" not in result.output


def test_variant_of_an_unknown_unit_is_refused_until_the_organisation_is_loaded(cli: CliRunner):
    refused = cli.invoke(main, ["processes", "deploy"])
    assert refused.exit_code == 1
    assert "unit 'DISKOMINFO' tidak ada" in refused.output
    assert "nota_dinas v1 deployed" in refused.output  # the default still deployed
    cli.invoke(main, ["demo", "load"])
    accepted = cli.invoke(main, ["processes", "deploy"])
    assert accepted.exit_code == 0, accepted.output
    assert "nota_dinas [DISKOMINFO] v1 deployed" in accepted.output


def test_deploy_is_idempotent_and_list_shows_versions(cli: CliRunner, tmp_path: Path):
    cli.invoke(main, ["demo", "load"])
    first = cli.invoke(main, ["processes", "deploy"])
    assert first.exit_code == 0, first.output
    assert "nota_dinas v1 deployed" in first.output
    again = cli.invoke(main, ["processes", "deploy"])
    assert "nota_dinas v1 unchanged" in again.output and "nota_dinas [DISKOMINFO] v1 unchanged" in again.output
    changed = tmp_path / "nota_dinas.bpmn"
    changed.write_bytes(NOTA_DINAS.read_bytes().replace(b"Susun nota dinas", b"Susun konsep nota dinas"))
    assert "nota_dinas v2 deployed" in cli.invoke(main, ["processes", "deploy", str(changed)]).output
    listing = cli.invoke(main, ["processes", "list"]).output.splitlines()
    assert [line.split()[:3] for line in listing[1:]] == [
        ["disposisi", "default", "1"],
        ["naskah_keluar", "default", "1"], ["naskah_keluar", "DISKOMINFO", "1"],
        ["nota_dinas", "default", "1"], ["nota_dinas", "default", "2"], ["nota_dinas", "DISKOMINFO", "1"],
        ["surat_masuk", "default", "1"],
    ]


def test_deploy_of_a_broken_file_changes_nothing(cli: CliRunner, tmp_path: Path):
    broken = tmp_path / "rusak.bpmn"
    broken.write_bytes(BROKEN)
    result = cli.invoke(main, ["processes", "deploy", str(broken)])
    assert result.exit_code == 1
    assert len(cli.invoke(main, ["processes", "list"]).output.strip().splitlines()) == 1  # header only


def test_demo_load_twice_and_audit_verify(cli: CliRunner):
    first = cli.invoke(main, ["demo", "load"])
    assert first.exit_code == 0 and "budi" in first.output and "lontar-demo" in first.output
    assert cli.invoke(main, ["demo", "load"]).exit_code == 0
    cli.invoke(main, ["processes", "deploy"])
    verify = cli.invoke(main, ["audit", "verify"])
    assert verify.exit_code == 0 and "utuh" in verify.output


def test_demo_letters_fill_the_surat_pages_once(cli: CliRunner):
    assert cli.invoke(main, ["demo", "load"]).exit_code == 0
    assert cli.invoke(main, ["processes", "deploy"]).exit_code == 0
    first = cli.invoke(main, ["demo", "letters"])
    assert first.exit_code == 0, first.output
    assert "agenda 1/2026 DISKOMINFO" in first.output and "agenda 2/2026 DISKOMINFO" in first.output
    assert "disposed by agus" in first.output
    again = cli.invoke(main, ["demo", "letters"])
    assert "already there" in again.output
