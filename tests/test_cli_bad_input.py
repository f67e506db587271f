"""Every bad input to the CLI is one line and a non-zero exit, never a traceback, and changes
nothing stored — tried as an attacker would, and fuzzed."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli import main


@pytest.fixture
def env(cli_env, monkeypatch):
    monkeypatch.setenv("PLANBOT_LANG", "en")
    monkeypatch.delenv("PLANBOT_DEBUG", raising=False)
    return cli_env


def run_main(monkeypatch, capsys, *args) -> tuple[int, str]:
    monkeypatch.setattr("sys.argv", ["planbot", *map(str, args)])
    try:
        main()
        code = 0
    except SystemExit as exit_info:
        code = exit_info.code if isinstance(exit_info.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def files(folder):
    deep = folder / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    huge_number = folder / "number.json"
    huge_number.write_text('{"content": {"format": {"duration_seconds": ' + "9" * 5000 + "}}}")
    latin1 = folder / "latin1.csv"
    latin1.write_bytes("content_title\nCaf\xe9 \xff\xfe\n".encode("latin-1"))
    not_json_lines = folder / "questions.jsonl"
    not_json_lines.write_text('{"q": "ok"}\nthis is not json\n')
    no_q = folder / "no_q.jsonl"
    no_q.write_text('{"question": "where is q"}\n')
    return deep, huge_number, latin1, not_json_lines, no_q


BAD_INPUTS = [
    ("check", "missing.json"), ("check", "."), ("check", "/dev/zero"), ("check", "{deep}"), ("check", "{number}"),
    ("plans", "save", "missing.json"), ("plans", "save", "{deep}"), ("plans", "import", "missing.csv"),
    ("plans", "import", "."), ("plans", "import", "{latin1}"), ("plans", "show", "99999999999999999999999"),
    ("plans", "show", "-1"), ("plans", "edit", "99999999999999999999999", "segment=x"),
    ("plans", "status", "1", "bogus"), ("ask", "--batch", "{lines}"), ("ask", "--batch", "{no_q}"),
    ("ask", "--batch", "missing.jsonl"), ("eval", "{deep}"), ("eval", "missing.jsonl"),
    ("plans", "edit", "1", "content.title=" + "[" * 50_000), ("plans", "list", "stage:nowhere"),
    ("draft", "--stage", "nowhere"), ("draft", "--segment", "x" * 5000),
]


@pytest.mark.parametrize("args", BAD_INPUTS, ids=lambda args: " ".join(args)[:40])
def test_a_bad_input_is_one_line_and_a_non_zero_exit(env, monkeypatch, capsys, args):
    deep, number, latin1, lines, no_q = files(env)
    names = {"{deep}": deep, "{number}": number, "{latin1}": latin1, "{lines}": lines, "{no_q}": no_q}
    monkeypatch.chdir(env)
    code, said = run_main(monkeypatch, capsys, *[names.get(arg, arg) for arg in args])
    assert code not in (0, 70) and "Traceback" not in said, said
    assert said.strip(), "a refusal says why"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                         st.recursive(st.none() | st.integers() | st.text(max_size=20),
                                      lambda children: st.lists(children, max_size=4)
                                      | st.dictionaries(st.text(max_size=12), children, max_size=4),
                                      max_leaves=20).map(lambda value: json.dumps(value).encode())),
       command=st.sampled_from([("check",), ("plans", "save"), ("plans", "import"), ("ask", "--batch")]))
def test_any_file_given_to_a_command_never_ends_in_a_traceback(env, monkeypatch, capsys, content, command):
    path = env / "fuzz.input"
    path.write_bytes(content)
    code, said = run_main(monkeypatch, capsys, *command, path)
    assert code != 70 and "Traceback" not in said, said
    if command == ("plans", "import") and code != 0:
        assert "plan(s) imported" not in said
