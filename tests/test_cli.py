import json
import subprocess
import sys

from bot.cli import main


def test_cli_prints_json(capsys):
    code = main(
        [
            "recommend",
            "--situation",
            json.dumps({"procedure": "work_permit", "citizenship": "IN"}),
            "--today",
            "2026-11-23",
            "--json",
        ]
    )
    assert code == 0
    rec = json.loads(capsys.readouterr().out)
    assert (rec["channel"], rec["authority"], rec["employer_action"]) == ("other", "praca.gov.pl", "employer_files")


def test_cli_prints_text_for_a_person(capsys):
    assert main(["recommend", "--situation", '{"procedure": "visa", "citizenship": "IN"}', "--today", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert "consulate" in out and "R-CH-2a" in out


def test_cli_rejects_bad_input_with_a_reason(capsys):
    assert main(["recommend", "--situation", "{oops"]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["recommend", "--situation", '{"procedure": "holiday"}']) == 2
    assert "does not validate" in capsys.readouterr().err


def test_module_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "recommend", "--situation", "{}", "--today", "2026-11-23"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "what to apply for" in result.stdout


def test_what_is_still_needed_is_said_in_the_persons_words(capsys):
    assert main(["recommend", "--situation", "{}", "--today", "2026-11-23", "--lang", "uk"]) == 0
    out = capsys.readouterr().out
    assert "громадянство" in out and "citizenship" not in out


import pytest  # noqa: E402


@pytest.mark.parametrize(
    "situation, reason",
    [
        ('{"in_poland": "true"}', "in_poland"),
        ('{"minor": 0}', "minor"),
        ('{"permit_expires": 20261231}', "YYYY-MM-DD"),
        ('{"ukr_status_since": "2020-01-01"}', "2022-02-24"),
        ('{"ukr_status_since": "2026-12-01"}', "after today"),
    ],
)
def test_cli_strict_input(capsys, situation, reason):
    assert main(["recommend", "--situation", situation, "--today", "2026-11-23"]) == 2
    assert reason in capsys.readouterr().err


def test_cli_accepts_kosovo(capsys):
    assert main(["recommend", "--situation", '{"citizenship": "XK"}', "--today", "2026-11-23", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ask_next"] == ["procedure"]
