"""Grounded answers, composed in the asker's language with no LLM."""

import re

import pytest

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_a_stage_answer_leads_with_the_verdict_then_three_ideas_with_rules_and_ctas(service):
    answer = service.ask("Nobody in our market knows us yet. Where do we start?")
    assert answer.stage.value == "aware" and answer.lang.value == "en"
    verdict, ideas, watch, next_stage, hint = answer.body.split("\n\n")
    assert verdict.startswith("Sounds like **Aware**") and "“" in verdict
    assert ideas.startswith("**Content ideas**:") and ideas.count("\n- ") == 3 and ideas.count("CTA: ") == 3
    assert "(60–90 seconds)" in ideas
    assert watch.startswith("**Watch**: ") and next_stage == "**Next stage**: Appeal" and "--full" in hint
    assert "stage-aware" in [s.id for s in answer.sources]
    assert "channel-short-video" in [s.id for s in answer.sources]


def test_the_whole_stage_entry_is_one_step_away(service):
    answer = service.ask("Nobody in our market knows us yet. Where do we start?")
    for heading in ("Content that fits", "Channels", "Calls to action", "Metrics to watch", "Next stage"):
        assert heading in answer.detail and heading in answer.full_text
        assert heading not in answer.body or heading == "Next stage"


def test_a_channel_answer_states_its_rule(service):
    answer = service.ask("抖音视频应该拍多长？")
    assert answer.channel.value == "short_video" and answer.lang.value == "zh-Hans"
    assert "60" in answer.text and "90" in answer.text
    assert answer.sources[0].id == "channel-short-video"


def test_traditional_chinese_is_answered_in_traditional_chinese(service):
    answer = service.ask("公眾號文章要放多少圖片？")
    assert answer.lang.value == "zh-Hant"
    assert "公眾號" in answer.text and "公众号" not in answer.text
    assert "30" in answer.text


def test_korean_is_answered_in_korean(service):
    answer = service.ask("전문가 강의는 몇 분이 적당한가요?")
    assert answer.lang.value == "ko" and answer.channel.value == "online_course"
    assert len(HANGUL.findall(answer.text)) > 50 and "15" in answer.text


def test_a_funnel_question_maps_to_its_5a_stage(service):
    answer = service.ask("Which 5A stage goes with an SQL?")
    assert (answer.funnel.value, answer.stage.value) == ("sql", "ask")
    assert "Ask" in answer.text


@pytest.mark.parametrize("question, funnel", [("A lead meets two BANT criteria. What is it?", "mql"),
                                              ("BANT 네 가지 조건을 모두 충족한 리드는?", "sql")])
def test_a_bant_count_gets_a_verdict(service, question, funnel):
    answer = service.ask(question)
    assert answer.funnel.value == funnel
    assert funnel.upper() in answer.text


def test_an_explicit_language_wins_over_detection(service):
    from bot.domain.language import Lang

    assert HANGUL.search(service.ask("What is a CTA?", Lang.KO).text)


def test_an_off_topic_question_is_told_so_in_its_language(service):
    answer = service.ask("오늘 점심 메뉴 추천해 줘")
    assert answer.sources == [] and answer.stage is None
    assert "지식 베이스" in answer.text


@pytest.mark.parametrize("first, follow_up", [
    ("Which content fits the Ask stage?", "and which channel?"),
    ("问询阶段适合什么内容？", "那渠道呢？"),
    ("질문 단계에는 어떤 콘텐츠가 맞나요?", "그럼 채널은?"),
])
def test_a_follow_up_stays_on_the_stage_of_the_question_before(service, first, follow_up):
    previous = service.ask(first)
    assert previous.stage.value == "ask"
    assert service.ask(follow_up, previous=previous).stage.value == "ask"


def test_a_new_subject_is_not_a_follow_up(service):
    previous = service.ask("Which content fits the Ask stage?")
    assert service.ask("And what about the Advocate stage?", previous=previous).stage.value == "advocate"
    assert service.ask("How long should a short video be?", previous=previous).channel.value == "short_video"


@pytest.mark.parametrize("question", ["How should we nurture leads who downloaded our whitepaper?",
                                      "What are the three example personas?", "What is PAR?"])
def test_short_domain_questions_are_not_mistaken_for_off_topic_ones(service, question):
    assert service.ask(question).sources


@pytest.mark.parametrize("question, lang", [
    ("Which stage is live streaming for?", "en"), ("直播适合哪个阶段？", "zh-Hans"),
    ("直播適合哪個階段？", "zh-Hant"), ("라이브 방송은 어느 단계에 맞나요?", "ko"),
])
def test_which_stage_a_channel_fits_is_answered_by_the_channel_entry_in_every_language(service, question, lang):
    from bot.models import Lang

    answer = service.ask(question, Lang(lang))
    assert answer.sources[0].id == "channel-live-stream" and answer.stage.value == "aware"
    assert all(name in answer.body for name in ("Aware", "Appeal", "Ask"))


def test_a_situation_that_names_a_channel_is_still_answered_by_its_stage(service):
    assert service.ask("Which stage are onboarding emails and tutorials for?").stage.value == "act"


@pytest.mark.parametrize("question", ["How long should a short video be?", "短视频多长合适？", "숏폼 영상 길이는?"])
def test_a_plain_channel_rule_question_states_no_stage(service, question):
    answer = service.ask(question)
    assert answer.channel == "short_video" and answer.stage is None


def test_a_channel_rule_question_that_describes_its_audience_states_their_stage_too(service):
    answer = service.ask("TikTok clips for people who have never heard of us, what length?")
    assert (answer.channel, answer.stage) == ("short_video", "aware") and "60" in answer.body
