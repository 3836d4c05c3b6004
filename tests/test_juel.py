"""Camunda JUEL conditions become sandboxed Python with the same meaning, or are refused."""

from __future__ import annotations

import pytest

from engine.errors import SandboxViolation
from engine.juel import is_juel, juel_to_python
from engine.sandbox import SandboxEnvironment, check_expression, evaluate

DATA = {
    "approved": True,
    "amount": 1500,
    "urgent": False,
    "keputusan": "setujui",
    "tags": [],
    "names": ["a"],
    "nothing": None,
    "blank": "",
    "letter": {"sender": {"unit": "Dinas"}, "pages": 3},
    "items": [{"amount": 5}, {"amount": 7}],
    "a": 2,
    "b": 5,
}

# JUEL -> Python -> value on DATA
TRANSLATIONS = [
    ("${approved == true}", "(approved == True)", True),
    ("${amount > 1000 && !urgent}", "((amount > 1000) and (not urgent))", True),
    ("#{approved}", "approved", True),
    ("  ${ keputusan == 'setujui' }  ", "(keputusan == 'setujui')", True),
    ('${keputusan != "tolak"}', "(keputusan != 'tolak')", True),
    ("${amount eq 1500 and urgent ne true}", "((amount == 1500) and (urgent != True))", True),
    ("${a lt b && a le 2 && b gt a && b ge 5}", "((((a < b) and (a <= 2)) and (b > a)) and (b >= 5))", True),
    ("${approved || urgent}", "(approved or urgent)", True),
    ("${not approved or urgent}", "((not approved) or urgent)", False),
    ("${empty tags}", "(tags is None or tags == '' or tags == [] or tags == {})", True),
    ("${empty names}", "(names is None or names == '' or names == [] or names == {})", False),
    ("${empty nothing && empty blank}", None, True),
    ("${!empty names}", None, True),
    ("${letter.sender.unit == 'Dinas'}", "(letter['sender']['unit'] == 'Dinas')", True),
    ("${letter['pages'] >= 3}", "(letter['pages'] >= 3)", True),
    ("${items[1].amount}", "items[1]['amount']", 7),
    ("${nothing == null}", "(nothing == None)", True),
    ("${amount > 1000 ? 'besar' : 'kecil'}", "('besar' if (amount > 1000) else 'kecil')", "besar"),
    ("${a > 5 ? 'x' : b > 4 ? 'y' : 'z'}", None, "y"),
    ("${(approved || urgent) && a == 2}", "(((approved or urgent)) and (a == 2))", True),
    ("${-a + 2 * 3}", "((-a) + (2 * 3))", 4),
    ("${10 div 4}", "(10 / 4)", 2.5),
    ("${7 mod 3 == 7 % 3}", "((7 % 3) == (7 % 3))", True),
    ("${'it\\'s'}", '"it\'s"', "it's"),
    ('${"say \\"hi\\""}', "'say \"hi\"'", 'say "hi"'),
    ("${1.5e2 > 100 && .5 < 1}", "((150.0 > 100) and (0.5 < 1))", True),
    ("${007 == 7}", "(7 == 7)", True),
    ("${1 < 2 == true}", "((1 < 2) == True)", True),
    ("${false}", "False", False),
]


@pytest.mark.parametrize(("juel", "python", "value"), TRANSLATIONS, ids=[t[0] for t in TRANSLATIONS])
def test_juel_translates_to_python_with_the_same_value(juel: str, python: str | None, value: object) -> None:
    assert is_juel(juel)
    got = juel_to_python(juel)
    if python is not None:
        assert got == python
    check_expression(got)
    assert evaluate(got, DATA) == value


def test_the_sandbox_checks_and_evaluates_juel_directly() -> None:
    env = SandboxEnvironment()
    assert env.evaluate("${amount > 1000 && !urgent}", DATA) is True
    assert env.evaluate("amount > 1000 and not urgent", DATA) is True
    assert evaluate("#{letter.pages}", DATA) == 3
    check_expression("${approved}")  # the deploy-time check agrees with the run time
    with pytest.raises(SandboxViolation):
        check_expression("${bean.method()}")


REFUSED = [
    "${bean.method()}",
    '${execution.getVariable("x")}',
    "${check(amount)}",
    "${fn:contains(tags, 'a')}",
    "${a = 1}",
    "${a += 1}",
    "${a; b}",
    "${(a}",
    "${a)}",
    "${a[0}",
    "${}",
    "${a ? b}",
    "${a &  b}",
    "${a.}",
    "${a.1}",
    "${a instanceof b}",
    "${_secret}",
    "${class == 1}",
    "${a}${b}",
    "${a} ${b}",
    "${'unterminated}",
    "${" + "(" * 400 + "a" + ")" * 400 + "}",
    "abc ${x}",
    "amount > 5",
]


@pytest.mark.parametrize("juel", REFUSED)
def test_unsupported_juel_is_refused_with_a_message(juel: str) -> None:
    with pytest.raises(SandboxViolation) as info:
        juel_to_python(juel)
    assert info.value.message("id") and info.value.message("en")


def test_refusal_says_what_is_not_supported() -> None:
    with pytest.raises(SandboxViolation) as info:
        juel_to_python('${execution.getVariable("x")}')
    assert "x.method()" in info.value.message("en")
    with pytest.raises(SandboxViolation) as info:
        juel_to_python("${a = 1}")
    assert "a = b" in info.value.message("id")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${x}", True),
        (" #{x} ", True),
        ("x", False),
        ("abc ${x}", False),
        ("${x", False),
        ("", False),
        ('"${x}"', False),
    ],
)
def test_is_juel_recognises_one_whole_expression(text: str, expected: bool) -> None:
    assert is_juel(text) is expected
