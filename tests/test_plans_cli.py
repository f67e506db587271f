"""The plan commands through Typer's runner."""

import json

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from bot.cli import app, main

runner = CliRunner()


@pytest.fixture
def env(cli_env):
    return cli_env


def run(*args, **kwargs):
    return runner.invoke(app, list(args), **kwargs)


def run_main(monkeypatch, *args):
    """Through main(), which turns user errors into one line and an exit code."""
    monkeypatch.setattr("sys.argv", ["planbot", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    return exit_info.value.code


def test_draft_json_save_list_status_and_show(env):
    drafted = run("draft", "--stage", "问询", "--channel", "webinar", "--product", "AcmeFlow", "--json")
    plan = json.loads(drafted.stdout)
    assert plan["stage"] == "ask" and plan["channel"] == "webinar" and plan["findings"] == []
    (env / "plan.json").write_text(drafted.stdout, encoding="utf-8")
    saved = json.loads(run("plans", "save", str(env / "plan.json"), "--json").stdout)
    listed = [json.loads(line) for line in run("plans", "list", "stage:ask", "--json").stdout.splitlines()]
    assert [p["id"] for p in listed] == [saved["id"]]
    assert run("plans", "list", "stage:aware", "--json").stdout == ""
    run("plans", "status", str(saved["id"]), "in_review")
    shown = json.loads(run("plans", "show", str(saved["id"]), "--json").stdout)
    assert shown["status"] == "in_review" and [e["action"] for e in shown["history"]] == ["created", "status"]


def test_journey_draft_prints_five_cards(env):
    result = run("draft", "--journey", "--product", "AcmeFlow", "--json")
    assert [json.loads(line)["stage"] for line in result.stdout.splitlines()] == [
        "aware", "appeal", "ask", "act", "advocate"]


def test_check_reports_findings_and_exits_1_on_errors(env):
    plan = json.loads(run("draft", "--stage", "aware", "--channel", "short_video", "--json").stdout)
    plan["content"]["format"]["duration_seconds"] = 180
    (env / "bad.json").write_text(json.dumps(plan), encoding="utf-8")
    result = run("check", str(env / "bad.json"), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)[0]["rule"] == "channel-short-video"


@pytest.mark.parametrize("lang, args, words", [
    ("zh_CN.UTF-8", ["draft", "--stage", "nowhere"], "无法识别的阶段"),
    ("ko_KR.UTF-8", ["plans", "list", "channel:fax"], "알 수 없는 채널"),
    ("en_US.UTF-8", ["plans", "show", "42"], "There is no plan #42."),
    ("zh_TW.UTF-8", ["plans", "status", "42", "approved"], "沒有編號為 #42 的計劃"),
])
def test_bad_input_is_one_line_in_the_user_language_and_a_non_zero_exit(env, monkeypatch, capsys, lang, args,
                                                                         words):
    monkeypatch.setenv("LANG", lang)
    assert run_main(monkeypatch, *args) == 2
    error = capsys.readouterr().err
    assert words in error and error.count("\n") <= 2


def test_an_invalid_transition_writes_nothing(env, monkeypatch, capsys):
    saved = json.loads(run("draft", "--stage", "act", "--save", "--json").stdout)
    assert run_main(monkeypatch, "plans", "status", str(saved["id"]), "published") == 2
    assert "cannot become published" in capsys.readouterr().err
    shown = json.loads(run("plans", "show", str(saved["id"]), "--json").stdout)
    assert shown["status"] == "draft" and len(shown["history"]) == 1


def test_export_import_and_coverage_png(env):
    run("draft", "--journey", "--save")
    exported = env / "plans.csv"
    assert "5 plan(s)" in run("plans", "export", "--output", str(exported)).stdout
    markdown = run("plans", "export", "--format", "markdown").stdout
    assert markdown.startswith("# Content plans") and markdown.count("\n## #") == 5
    bad = env / "bad.csv"
    bad.write_text(exported.read_text(encoding="utf-8-sig").replace(",short_video,", ",fax,", 1), encoding="utf-8")
    result = run("plans", "import", str(bad))
    assert result.exit_code != 0 and "row 6: channel" in result.stdout and "row 2" not in result.stdout
    png = env / "coverage.png"
    coverage = run("plans", "coverage", "--png", str(png), "--json")
    assert json.loads(coverage.stdout)["cells"] and png.read_bytes().startswith(b"\x89PNG")


@pytest.fixture
def plans_of_all_kinds(env):
    for args in (["--stage", "ask", "--channel", "webinar", "--product", "AcmeFlow", "--segment", "plant managers"],
                 ["--journey", "--product", "排产云", "--lang", "zh-Hans"],
                 ["--stage", "appeal", "--channel", "wechat_article", "--lang", "ko"]):
        assert run("draft", *args, "--save").exit_code == 0
    return [json.loads(line) for line in run("plans", "list", "--json").stdout.splitlines()]


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["en", "zh-Hans", "ko"])
def test_the_plan_list_always_shows_ids_and_titles(plans_of_all_kinds, monkeypatch, width, lang):
    from bot.cli.app import console

    monkeypatch.setenv("PLANBOT_LANG", lang)
    monkeypatch.setattr(console, "width", width)
    lines = run("plans", "list").stdout.splitlines()
    assert max(cell_len(line) for line in lines if "│" in line) <= width
    for plan in plans_of_all_kinds:
        row = next(line for line in lines if line.startswith(f"│ {plan['id']:>2} │") or f"│ {plan['id']} │" in line)
        shown_title = row.split("│")[2].strip().rstrip("…").strip()
        assert len(shown_title) >= 6 and plan["content"]["title"].startswith(shown_title)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang, stage_names, channel_name", [
    ("en", ["Aware", "Appeal", "Ask", "Act", "Advocate"], "WeChat official-account article"),
    ("zh-Hans", ["了解", "吸引", "问询", "行动", "拥护"], "公众号文章"),
    ("ko", ["인지", "호감", "질문", "행동", "옹호"], "위챗 공식계정 아티클"),
])
def test_the_coverage_matrix_shows_every_name_whole_in_the_user_language(plans_of_all_kinds, monkeypatch, width,
                                                                         lang, stage_names, channel_name):
    from bot.cli.app import console

    monkeypatch.setenv("PLANBOT_LANG", lang)
    monkeypatch.setattr(console, "width", width)
    output = run("plans", "coverage").stdout
    table = output[:output.index("└")]
    assert all(name in table for name in stage_names)
    assert channel_name in table and "…" not in table
    assert max(cell_len(line) for line in table.splitlines()) <= width


def test_an_empty_list_says_how_to_make_a_plan(env):
    assert "planbot draft --save" in " ".join(run("plans", "list").stdout.split())


def test_the_readme_round_trip_export_then_import_works_on_the_same_log(env):
    run("draft", "--journey", "--save")
    exported = env / "plans.csv"
    run("plans", "export", "--output", str(exported))
    again = run("plans", "import", str(exported))
    assert again.exit_code == 0 and "0 updated, 5 skipped" in again.stdout
    assert "5 of 5" in run("plans", "list").stdout
    assert run("plans", "import", str(exported), "--on-conflict", "new").exit_code == 0
    assert "10 of 10" in run("plans", "list").stdout


def test_import_updates_plans_from_an_edited_sheet_with_history(env):
    run("draft", "--stage", "ask", "--channel", "webinar", "--save")
    exported = env / "plans.csv"
    run("plans", "export", "--output", str(exported))
    text = exported.read_text(encoding="utf-8-sig")
    title = json.loads(run("plans", "show", "1", "--json").stdout)["content"]["title"]
    exported.write_text(text.replace(title, "Pricing clinic for plant managers"), encoding="utf-8-sig")
    result = run("plans", "import", str(exported), "--on-conflict", "update")
    assert result.exit_code == 0 and "1 updated" in result.stdout
    shown = json.loads(run("plans", "show", "1", "--json").stdout)
    assert shown["content"]["title"] == "Pricing clinic for plant managers"
    assert shown["history"][-1]["action"] == "imported"


def test_a_csv_saved_by_chinese_excel_is_imported(env):
    sheet = env / "excel.csv"
    sheet.write_bytes("content_title,stage,channel,segment\n工厂厂长的一小时,aware,short_video,工厂厂长\n"
                      .encode("gb18030"))
    result = run("plans", "import", str(sheet))
    assert result.exit_code == 0 and "1 plan(s) imported" in result.stdout
    assert "工厂厂长的一小时" in run("plans", "list", "--json").stdout


def test_history_reads_as_sentences_in_the_user_language(env, monkeypatch):
    run("draft", "--stage", "ask", "--channel", "webinar", "--save")
    run("plans", "edit", "1", 'content.title="Pricing clinic"', "channel=blog")
    run("plans", "status", "1", "in_review")
    shown = " ".join(run("plans", "show", "1").stdout.split())
    assert "ann created the plan" in shown and "to “Pricing clinic”" in shown
    assert "the channel from “webinar” to “blog & SEO article”" in shown
    assert "ann moved it from draft to in review" in shown and "'" not in shown.split("ann created")[1]
    monkeypatch.setenv("PLANBOT_LANG", "zh-Hans")
    assert "ann 把状态从草稿改为审核中" in " ".join(run("plans", "show", "1").stdout.split())


def test_an_import_goes_through_the_same_checks_as_a_save(env):
    sheet = env / "sneaky.csv"
    sheet.write_text("content_title,stage,funnel_stage,channel,duration_seconds,status,findings\n"
                     "Five minutes,aware,raw_lead,short_video,300,published,[]\n", encoding="utf-8")
    assert run("plans", "import", str(sheet)).exit_code == 0
    [plan] = [json.loads(line) for line in run("plans", "list", "--json").stdout.splitlines()]
    assert plan["status"] == "draft"
    assert "duration" in [finding["code"] for finding in plan["findings"]]
