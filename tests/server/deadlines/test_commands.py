from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from flask import Flask

from server.deadlines.operations import list_overrides


def run(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["calendar", *args])
    return result.exit_code, result.output


def test_coverage(app: Flask) -> None:
    code, output = run(app, "coverage")
    assert code == 0
    assert "package:   2004–2026" in output


def test_add_and_remove(app: Flask) -> None:
    code, output = run(app, "add", "2027-02-08", "--holiday", "--note", "2027 春节")
    assert code == 0, output
    assert "2027-02-08: holiday 2027 春节" in output
    assert [(o.day, o.is_workday) for o in list_overrides()] == [(date(2027, 2, 8), False)]
    code, output = run(app, "add", "2027-02-08", "--workday")
    assert code == 0, output
    assert [(o.day, o.is_workday) for o in list_overrides()] == [(date(2027, 2, 8), True)]
    assert run(app, "remove", "2027-02-08")[0] == 0
    assert list_overrides() == []


def test_add_needs_holiday_or_workday(app: Flask) -> None:
    code, output = run(app, "add", "2027-02-08")
    assert code == 2
    assert "--holiday or --workday" in output


def test_remove_unknown_day(app: Flask) -> None:
    code, output = run(app, "remove", "2027-02-08")
    assert code == 1
    assert "没有自定义设置" in output


def test_import(app: Flask, tmp_path: Path) -> None:
    file = tmp_path / "2027.json"
    days = [
        {"day": "2027-02-08", "is_workday": False, "note": "春节"},
        {"day": "2027-02-20", "is_workday": True, "note": "春节调休"},
    ]
    file.write_text(json.dumps(days, ensure_ascii=False), encoding="utf-8")
    code, output = run(app, "import", str(file))
    assert code == 0, output
    assert "imported 2 override(s)" in output
    assert [(o.day, o.is_workday, o.note) for o in list_overrides()] == [
        (date(2027, 2, 8), False, "春节"),
        (date(2027, 2, 20), True, "春节调休"),
    ]


def test_import_refuses_bad_files(app: Flask, tmp_path: Path) -> None:
    file = tmp_path / "bad.json"
    file.write_text('[{"day": "2027-02-30", "is_workday": false}]', encoding="utf-8")
    code, output = run(app, "import", str(file))
    assert code == 1
    assert "day" in output
    file.write_text("not json", encoding="utf-8")
    code, output = run(app, "import", str(file))
    assert code == 1
    assert "not JSON" in output
    assert list_overrides() == []
