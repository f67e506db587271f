"""Plan checks against the shipped knowledge base's rules."""

import pytest

from bot.config import Settings
from bot.domain.language import Lang
from bot.domain.plan import ContentPlan, FindingLevel
from bot.domain.rules import Rulebook, check, has_errors
from bot.i18n import finding_fix, finding_message
from bot.knowledge.entries import load_entries
from bot.knowledge.rulebook import RULES_FILE, build_rulebook

SETTINGS = Settings()
RULEBOOK = build_rulebook(load_entries(SETTINGS.knowledge_dir), SETTINGS.knowledge_dir / RULES_FILE)

GOOD = {
    "funnel_stage": "raw_lead", "stage": "aware", "channel": "short_video",
    "content": {"title": "The hour your team loses every day", "format": {"duration_seconds": 75}},
    "segment": "production managers", "understanding": "manual scheduling costs an hour a day",
    "feeling": "from unaware to curious", "action": "Follow us for the trend report",
    "next_stage": "appeal",
}


def plan(lang="en", **changes) -> ContentPlan:
    return ContentPlan.model_validate(GOOD | {"lang": lang} | changes)


def said(finding, lang="en") -> tuple[str, str]:
    """What a finding says, message and fix, to a reader of ``lang``."""
    return finding_message(finding, Lang(lang)), finding_fix(finding, Lang(lang))


def by_field(findings):
    return {finding.field: finding for finding in findings}


def test_a_complete_plan_that_follows_every_rule_has_no_findings():
    assert check(plan(), RULEBOOK) == []


@pytest.mark.parametrize("lang, words", [("en", ["60–90 seconds", "3 minutes"]),
                                         ("zh-Hans", ["60–90秒", "3分钟"]),
                                         ("zh-Hant", ["60–90秒", "3分鐘"]),
                                         ("ko", ["60~90초", "3분"])])
def test_a_three_minute_short_video_is_an_error_with_a_fix(lang, words):
    three_minutes = {"title": "t", "format": {"duration_seconds": 180}}
    finding = by_field(check(plan(lang, content=three_minutes), RULEBOOK))["content.format.duration_seconds"]
    assert finding.level is FindingLevel.ERROR and finding.rule == "channel-short-video"
    message, fix = said(finding, lang)
    assert all(word in message for word in words) and words[0] in fix


@pytest.mark.parametrize("lang, long_word, image_word", [("en", "1500 words", "30%"), ("zh-Hans", "1500字", "30%")])
def test_a_short_article_without_images_gets_both_findings_with_fixes(lang, long_word, image_word):
    article = plan(lang, stage="appeal", funnel_stage="mql", next_stage="ask", channel="wechat_article",
                   action="Register for the webinar",
                   content={"title": "t", "format": {"word_count": 300, "image_share": 0}})
    findings = by_field(check(article, RULEBOOK))
    assert long_word in said(findings["content.format.word_count"], lang)[0]
    assert image_word in said(findings["content.format.image_share"], lang)[0]
    assert all(said(findings[field], lang)[1] for field in ("content.format.word_count", "content.format.image_share"))
    assert findings["content.format.image_share"].rule == "channel-wechat-article"


def test_a_fifteen_minute_lesson_passes_and_a_forty_minute_one_does_not():
    lesson = dict(stage="ask", funnel_stage="sql", next_stage="act", channel="online_course", action="Book a demo")
    assert check(plan(**lesson, content={"title": "t", "format": {"duration_seconds": 900}}), RULEBOOK) == []
    long_one = check(plan(**lesson, content={"title": "t", "format": {"duration_seconds": 2400}}), RULEBOOK)
    assert [f.field for f in long_one] == ["content.format.duration_seconds"]


def test_every_blank_of_the_template_must_be_filled():
    findings = check(ContentPlan(), RULEBOOK)
    assert {f.field for f in findings if f.rule == "plan-template"} == {
        "funnel_stage", "stage", "content.title", "channel", "segment", "understanding", "feeling",
        "next_stage"}
    assert by_field(findings)["action"].level is FindingLevel.ERROR
    assert has_errors(findings)


def test_the_cta_must_fit_the_stage():
    finding = by_field(check(plan(action="Book a demo"), RULEBOOK))["action"]
    message, fix = said(finding)
    assert finding.level is FindingLevel.WARNING and "Ask" in message and "Aware" in fix


def test_the_5a_stage_must_agree_with_the_funnel_stage_and_the_next_stage_must_follow():
    findings = by_field(check(plan(funnel_stage="sql", next_stage="act"), RULEBOOK))
    assert "Ask" in said(findings["stage"])[0] and findings["stage"].rule == "funnel-sql"
    assert "Appeal" in said(findings["next_stage"])[1]


def test_a_channel_that_does_not_fit_the_stage_is_a_warning():
    finding = by_field(check(plan(channel="community"), RULEBOOK))["channel"]
    assert finding.level is FindingLevel.WARNING and "short video" in said(finding)[1]


def test_a_team_changes_a_threshold_and_a_level_in_data(tmp_path):
    knowledge = load_entries(SETTINGS.knowledge_dir)
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text("levels:\n  duration: warning\n", encoding="utf-8")
    relaxed = build_rulebook(knowledge, rules_file)
    three_minutes = plan(content={"title": "t", "format": {"duration_seconds": 180}})
    assert check(three_minutes, relaxed)[0].level is FindingLevel.WARNING
    stricter = Rulebook.model_validate(
        RULEBOOK.model_dump() | {"channel_rules": {"short_video": {"duration_seconds": {"min": 15, "max": 60}}}})
    assert check(plan(), stricter)[0].field == "content.format.duration_seconds"


def test_findings_are_stored_as_codes_and_said_in_the_readers_language():
    finding = check(plan(Lang.KO.value, action=""), RULEBOOK)[0]
    assert finding.code == "cta_missing" and finding.params["stage"] == "aware"
    assert "행동 유도" in said(finding, Lang.KO)[0]
    assert "call to action" in said(finding, Lang.EN)[0]
    assert "行動號召" in said(finding, Lang.ZH_HANT)[0]
