"""The valid, self-contained files of SpiffWorkflow's own test suite deploy through the
registry and start through the engine, as a designer's upload would."""

from __future__ import annotations

import collections

import pytest

from engine.audit import Actor
from engine.errors import InvalidDiagram
from engine.lint import validate_path
from tests.conftest import IN_CI
from tests.flow import get_user
from tests.test_corpus import CORPUS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir() and not IN_CI, reason=f"BPMN corpus not found at {CORPUS}")


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_valid_corpus_files_deploy_and_start(org, engine):
    outcomes: collections.Counter[str] = collections.Counter()
    for path in sorted(CORPUS.rglob("*.bpmn")):
        if any(p.severity == "error" for p in validate_path(path)):
            continue
        try:
            with org.transaction() as session:
                outcome = engine.registry.deploy(session, path.read_bytes(), actor=Actor(None, "corpus"),
                                                 filename=path.name, source="upload")
                key = outcome.version.key
        except InvalidDiagram as refused:
            # Only what a lone file cannot have: processes or decisions that live in other files,
            # and forms named by formKey that belong to another product's form library.
            keys = {p.key for p in refused.problems}
            assert keys <= {"lint.called_missing", "lint.decision_missing", "spiff.missing_decision",
                            "lint.form_missing"}, (path, refused)
            outcomes["refused: " + ",".join(sorted(keys))] += 1
            continue
        with org.transaction() as session:
            result = engine.start(session, key, user=get_user(session, "admin"))
            outcomes[result.instance.status] += 1
    print(dict(outcomes))
    assert outcomes["running"] + outcomes["completed"] >= 50, outcomes
    assert sum(outcomes.values()) >= 80, outcomes
