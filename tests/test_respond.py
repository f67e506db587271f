"""One routing for every face: what a message asks for, and in which language it is answered."""

import pytest
from conftest import sharing_knowledge

from bot.config import Settings
from bot.models import AwarenessStage, Channel, Conversation, Lang, ReplyKind


@pytest.fixture
def own_service(service, tmp_path):
    return sharing_knowledge(service, Settings(data_dir=tmp_path))


def test_a_question_gets_an_answer(service):
    reply = service.respond("Which content fits the Ask stage?")
    assert reply.kind is ReplyKind.ANSWER
    assert reply.answer.stage is AwarenessStage.ASK and reply.lang is Lang.EN


@pytest.mark.parametrize("message", ["draft a webinar plan for the Appeal stage", "起草一份吸引阶段的网络研讨会计划"])
def test_a_drafting_request_gets_a_card_for_what_it_names(service, message):
    reply = service.respond(message)
    assert reply.kind is ReplyKind.DRAFTS and len(reply.drafts) == 1
    draft = reply.drafts[0]
    assert draft.plan.stage is AwarenessStage.APPEAL and draft.plan.channel is Channel.WEBINAR
    assert draft.brief.stage is AwarenessStage.APPEAL and draft.plan.lang is reply.lang


def test_a_journey_request_gets_one_card_per_stage(service):
    reply = service.respond("draft --journey for plant managers")
    assert [draft.plan.stage for draft in reply.drafts] == list(AwarenessStage)
    assert all(draft.plan.lang is Lang.EN for draft in reply.drafts)


def test_asking_for_the_gaps_lists_empty_cells(own_service):
    reply = own_service.respond("Show gaps in our plans")
    assert reply.kind is ReplyKind.GAPS and reply.gaps
    assert all(cell.plans == 0 for cell in reply.gaps)


def test_a_question_about_gaps_in_a_named_stage_is_a_question(service):
    assert service.respond("Which channels close the gap at the Ask stage?").kind is ReplyKind.ANSWER


def test_a_follow_up_leans_on_the_previous_answer(service):
    first = service.respond("Which content fits the Ask stage?")
    follow_up = service.respond("and which channel?", Conversation(previous=first.answer))
    assert follow_up.answer.stage is AwarenessStage.ASK


def test_a_message_that_shows_no_language_is_answered_in_the_readers(service):
    assert service.respond("BANT?", Conversation(user_lang=Lang.KO)).lang is Lang.KO
    assert service.respond("短视频多长最好？", Conversation(user_lang=Lang.EN)).lang is Lang.ZH_HANS


def test_another_idea_drafts_the_next_variant_of_the_same_brief(service):
    draft = service.respond("draft a plan for the Aware stage").drafts[0]
    other = service.another_idea(draft)
    assert other.brief.variant == draft.brief.variant + 1
    assert other.plan.stage is draft.plan.stage and other.plan.content.title != draft.plan.content.title


def test_drafting_from_an_answer_keeps_its_stage_and_channel(service):
    answer = service.ask("How long should a short video be at the Aware stage?")
    draft = service.draft_from_answer(answer)
    assert draft.plan.stage is answer.stage and draft.brief.goal == answer.question


@pytest.mark.parametrize("message", ["Hi", "hello!", "What can you do?", "你能做什么？", "您好", "안녕하세요",
                                     "뭘 할 수 있어?", "/help".removeprefix("/")])
def test_a_greeting_or_what_can_you_do_gets_help_not_a_search(service, message):
    assert service.respond(message).kind is ReplyKind.HELP


def test_a_question_that_starts_with_hello_is_still_a_question(service):
    assert service.respond("Hello, which content fits the Ask stage?").kind is ReplyKind.ANSWER


def test_text_a_terminal_cut_mid_character_is_answered(service):
    broken = ("短视频" * 3).encode()[:-1].decode("utf-8", "surrogateescape") + "多长最好？"
    reply = service.respond(broken)
    assert reply.kind is ReplyKind.ANSWER and reply.answer.channel is Channel.SHORT_VIDEO


def test_the_gaps_count_only_the_plans_the_asker_may_see(own_service):
    from bot.models import ContentPlan

    def plan(stage, channel, workspace, home, private=False):
        return ContentPlan.model_validate({
            "funnel_stage": "raw_lead", "stage": stage, "next_stage": "appeal", "channel": channel,
            "content": {"title": f"{stage} {channel}"}, "segment": "plant managers", "understanding": "u",
            "feeling": "f", "action": "Book a demo", "owner": "U2", "author": "U2", "workspace": workspace,
            "home": home, "home_private": private})

    own_service.plans.save(plan("ask", "webinar", "T2", "C9"), "U2")           # another workspace
    own_service.plans.save(plan("act", "email", "T1", "CPRIV", True), "U2")    # a private channel
    own_service.plans.save(plan("appeal", "wechat_article", "T1", "C1"), "U2")  # this channel

    def gaps(conversation):
        reply = own_service.respond("Show gaps in our plans", conversation)
        return {(cell.stage.value, cell.channel.value) for cell in reply.gaps}

    terminal = gaps(Conversation())
    asker = gaps(Conversation(user="U1", workspace="T1", channel="C1"))
    for hidden in (("ask", "webinar"), ("act", "email")):
        assert hidden in asker and hidden not in terminal
    assert ("appeal", "wechat_article") not in asker
