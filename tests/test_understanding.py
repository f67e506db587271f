"""Reading a marketer's situation: BANT in other words and with negations, the stage from the
signals with its confidence and runner-up, the product and segment named in the question, a
choice between two channels, metric and off-topic questions."""

import pytest

from bot.domain.bant import read_bant
from bot.domain.stages import StageMapping
from bot.knowledge.entries import EntryKind, KnowledgeEntry
from bot.knowledge.router import SignalMatch
from bot.models import AwarenessStage, Lang
from bot.planning.intent import read_product_and_segment, situation_text
from bot.planning.situation import UNSURE_BELOW, routed_stage


@pytest.mark.parametrize("text, met", [
    ("Budget is signed off and the decision-maker sat in on the demo, but there's no timeline yet", 2),
    ("The lead has a real need, the CFO approved the spend, and they want it live by Q3", 4),
    ("没有预算，也没有时间表，只是随便问问需求", 1),
    ("预算没问题，拍板人也见过了，采购时间定在下个月", 3),
    ("預算還沒編，但老闆親自來開會，需求也很明確", 2),
    ("예산 확보했고 결정권자도 미팅에 들어왔는데 도입 일정은 아직 미정이에요", 2),
    ("아직 결정권자 없음, 예산도 없음, 일정도 모름", 0),
])
def test_bant_is_read_from_its_usual_words_and_negations_in_every_language(text, met):
    reading = read_bant(text)
    assert reading is not None and len(reading.met) == met


@pytest.mark.parametrize("text, met", [
    # A list takes its negation, whether it comes last (Chinese, Korean) or first (English).
    ("展会拿到的名片，没聊过需求，预算、谁做决定、什么时候买都不知道", set()),
    ("a lead: no idea about budget, who decides, timing, or if they even need it", set()),
    # Someone else decides.
    ("치과 실장님인데 노쇼 문제로 관심 있고 예산도 좀 있대요. 근데 결정은 원장님이 하시고 도입 시점은 미정",
     {"need", "budget"}),
    ("lead: real pain w/ manual payroll, wants it live before Jan 1, no budget, she'd need her VP to sign off",
     {"need", "timeline"}),
    # A criterion with words of its own is not a bare list item.
    ("线索：今年Q3要上系统，预算也批下来了，仓储调度确实很痛，最后拍板的是CFO不是他",
     {"budget", "need", "timeline"}),
    # An item that says it is met takes no negation from its neighbours; urgency is timing.
    ("预算和上线时间都定了，老板也点头了，只是需求还没理清", {"budget", "timeline", "authority"}),
    ("对方能拍板，预算也批了，但说不急，需求也挺模糊", {"authority", "budget"}),
    ("money is set aside and there's a hard deadline in May, but our champion isn't the one who decides",
     {"budget", "timeline"}),
    ("budget approved but no decision maker yet; the need is real though", {"budget", "need"}),
    ("客戶沒預算、也不是他決定，時程更不用說", set()),
    # "确实需要系统" says the need is met; it is no bare list item taking its neighbour's "还没".
    ("线索说流程很乱、确实需要系统，但还没定谁拍板，也没预算", {"need"}),
    ("lead: she can spend about $300 a month, but has no idea when she'd switch", {"budget"}),
    # Hedged timing is no timeline; a month named is one; "要在…前上…" is a need.
    ("lead: the GM says they need a better CRM, no budget set, timing is maybe next year", {"need", "authority"}),
    ("线索：要在明年6月前上新系统，预算批了，还没定谁拍板", {"need", "timeline", "budget"}),
    ("名单：预计十月导入，需求很明确，最后要董事会同意", {"timeline", "need"}),
    ("리드: 예산 확보됐고, 대표님이 직접 결정하고, 9월까지 도입하고 싶대요", {"budget", "authority", "timeline"}),
    ("客户老板亲自对接，预算批了，年底前必须上线，具体需求还没聊", {"authority", "budget", "timeline"}),
    ("lead: the office manager makes the call, money is set aside, they want it live before March",
     {"authority", "budget", "timeline"}),
    ("리드: 대표님이 결정권자고 예산도 잡혀 있대요. 근데 니즈는 확실하지 않다고 해요", {"authority", "budget"}),
    ("리드: 원장(결정권자), 출결 관리가 너무 힘들다고 함, 3월 학기 전 도입 목표", {"authority", "need", "timeline"}),
    ("线索：总经理自己决定，因为法规要求明年一定要导入，预算还没编", {"authority", "need", "timeline"}),
    # "no-show" is no "no"; a boss who has said yes to spending is budget and authority.
    ("lead: no-show appointments are killing them, nothing earmarked to spend yet, and she can't sign",
     {"need"}),
    ("客户说爽约让诊所很头痛，老板已经点头说可以花钱，但什么时候导入还没概念", {"need", "authority", "budget"}),
    # "Q2要上线" says its timing (要), it takes no negation from the next item; the say is someone else's.
    ("线索：需求明确，预算也有，Q2要上线，但老板还没点头", {"need", "budget", "timeline"}),
    ("리드: 필요성도 있고 예산도 있대요. 근데 결정권은 본부장한테 있고 일정은 미정", {"need", "budget"}),
    ("lead: says scheduling is a nightmare, no budget, the owner decides not him, no timeline", {"need"}),
])
def test_bant_negations_reach_a_list_and_a_decision_made_by_someone_else(text, met):
    reading = read_bant(text)
    assert reading is not None and set(reading.met) == met


def test_a_question_that_merely_says_need_is_not_a_lead_description():
    assert read_bant("What content do we need for our webinar series?") is None


@pytest.mark.parametrize("question, funnel, stage", [
    ("Budget approved, the VP who signs is on board and they buy next quarter. What do we send?", "sql", "ask"),
    ("这个客户有需求，但还没有预算，也不知道谁拍板", "mql", "appeal"),
    ("예산도 없고 결정권자도 모르고 일정도 없는 리드예요", "raw_lead", "aware"),
    # Naming the funnel stages it asks between does not answer the question: the criteria do.
    ("Lead: ops director who signs herself, budget approved, wants it live next quarter. MQL or SQL?", "sql", "ask"),
    ("名单：店长说有预算、需求明确，但最后要总部决定，也没定时间。这是SQL吗？", "mql", "appeal"),
    ("리드: 예산 있음, 대표님이 직접 결정, 다음 달 도입 희망. MQL인가요 SQL인가요?", "sql", "ask"),
])
def test_a_described_lead_is_answered_at_the_stage_its_bant_gives(service, question, funnel, stage):
    answer = service.ask(question)
    assert (answer.funnel.value, answer.stage.value, answer.sources[0].id) == (funnel, stage, "bant")
    assert answer.confidence == 1.0 and "CTA" in answer.body


def _entry(stage: AwarenessStage) -> KnowledgeEntry:
    return KnowledgeEntry(id=f"stage-{stage.value}", kind=EntryKind.STAGE, lang=Lang.EN, title="t", summary="s",
                          stage=stage)


def test_a_close_runner_up_is_offered_with_the_signal_that_points_to_it():
    entries = {f"stage-{stage.value}@en": _entry(stage) for stage in AwarenessStage}
    close = [SignalMatch("stage-ask@en", 0.61, "they compare vendors"),
             SignalMatch("stage-appeal@en", 0.60, "they know us but prefer others"),
             SignalMatch("stage-aware@en", 0.30, "nobody knows us")]
    reading = routed_stage(close, entries, StageMapping())
    assert reading.stage is AwarenessStage.ASK and reading.confidence < UNSURE_BELOW
    assert [(alt.stage, alt.reason) for alt in reading.alternatives] == [
        (AwarenessStage.APPEAL, "they know us but prefer others")]
    clear = [SignalMatch("stage-ask@en", 0.80, "they compare vendors"),
             SignalMatch("stage-appeal@en", 0.40, "they know us but prefer others")]
    reading = routed_stage(clear, entries, StageMapping())
    assert reading.confidence > 0.99 and reading.alternatives == ()


def test_ask_json_carries_confidence_and_alternatives(service):
    record = service.ask("Prospects keep asking for a quote and comparing our plans with two rivals").as_record()
    assert {"answer", "lang", "stage", "channel", "funnel", "sources", "confidence", "alternatives"} <= set(record)
    assert record["stage"] == "ask" and 0 < record["confidence"] <= 1


def test_the_product_and_segment_in_the_question_fill_the_ideas_as_typed(service):
    product_and_segment = read_product_and_segment("我們是做排產雲的，目標客戶是工廠廠長，他們在比較幾家供應商")
    assert product_and_segment == ("排產雲", "工廠廠長")
    answer = service.ask("我們是做排產雲的，目標客戶是工廠廠長，他們在比較幾家供應商，該給什麼內容？")
    assert answer.stage.value == "ask" and answer.lang.value == "zh-Hant"
    ideas = answer.body.split("\n\n")[1]
    assert "工廠廠長" in ideas and "\ue000" not in answer.body and "\ue001" not in answer.body


def test_the_situation_is_read_without_the_channels_and_the_askers_own_product():
    rest = situation_text("We sell AcmeFlow to plant managers. They compare vendors: webinar or short video?")
    assert "AcmeFlow" not in rest and "webinar" not in rest and "compare vendors" in rest


def test_a_choice_between_two_channels_is_answered_by_the_stage(service):
    answer = service.ask("Buyers are weighing us against two other vendors: webinar or short video?")
    assert answer.stage.value == "ask" and answer.channel.value == "webinar"
    assert "For Ask, **webinar** fits best" in answer.body and "**short video** is not among" in answer.body


def test_the_ideas_for_the_channels_weighed_come_first(service):
    answer = service.ask("Clinics that just bought our system: onboarding by in-app tour or by email?")
    ideas = [line for line in answer.body.split("\n") if line.startswith("- **")]
    assert answer.stage.value == "act"
    assert {ideas[0].split("**")[1], ideas[1].split("**")[1]} == {"Email", "In-product messages"}, ideas


def test_a_metric_question_is_answered_by_the_metrics_entry(service):
    answer = service.ask("Which ratio tells me how many of the people who know us end up buying?")
    assert answer.sources[0].id == "kotler-metrics" and "PAR" in answer.body
    # "Aware of our brand" describes the people measured; it does not name the Aware stage.
    described = service.ask("How do we measure what share of people who are aware of our brand end up buying?")
    assert described.sources[0].id == "kotler-metrics"


def test_two_criteria_both_missing_leave_the_stage_to_the_rest_of_the_question(service):
    answer = service.ask("Newsletter subscribers open our emails but none of them has budget or a timeline yet. "
                         "What should the nurture sequence look like?")
    assert answer.stage.value == "appeal"
    raw = service.ask("这个线索没有预算，也不是决策人，更没有时间表，算什么阶段？")
    assert raw.funnel.value == "raw_lead" and raw.stage.value == "aware"


@pytest.mark.parametrize("question", [
    "who has the key to the supply cupboard?", "Translate this email to Japanese please", "이번 주 회식 어디서 해요?",
    "报销单要找谁签字？",
])
def test_what_planbot_does_not_answer_finds_nothing(service, question):
    assert service.ask(question).sources == []


def test_how_a_what_to_put_question_is_asked_is_not_part_of_the_situation():
    rest = situation_text("Blog post for owners who think manual invoicing is normal — what should it include?")
    assert "include" not in rest and "manual invoicing is normal" in rest
    assert "还不觉得有问题的厂长" in situation_text("公众号文章面向还不觉得有问题的厂长，里面该放啥内容？")


def test_a_situation_without_any_knowledge_word_is_still_placed_by_its_signals(service):
    answer = service.ask("they're doing a side-by-side POC against two other vendors next month")
    assert answer.stage.value == "ask" and answer.sources


def test_a_ratio_question_that_reads_like_a_stage_gets_the_ratio(service):
    answer = service.ask("Which ratio shows how many of the people who know us end up recommending us to peers?")
    assert answer.sources[0].id == "kotler-metrics" and "BAR" in answer.body


def test_raising_awareness_among_customers_is_not_the_aware_stage_by_name(service):
    from bot.planning.intent import read_intent

    assert read_intent("We want to raise awareness among existing customers before renewals").stage is None
    assert read_intent("Which content fits the awareness stage?").stage is AwarenessStage.AWARE


def test_a_method_answer_names_the_stage_only_when_the_question_describes_one(service):
    assert service.ask("How do I draw a customer journey map?").stage is None
    answer = service.ask("Free-trial users keep stalling and never upgrade to paid. Do we change the channel first?")
    assert answer.sources[0].id == "test-iterate" and answer.stage is not None


def test_a_drafting_request_uses_the_product_and_segment_it_names(service):
    drafts = service.draft_from_text("draft a webinar plan: we sell AcmeFlow to plant managers", Lang.EN)
    plan = drafts[0].plan
    assert plan.segment == "plant managers" and "AcmeFlow" in plan.content.title


def test_a_question_about_a_pieces_content_is_not_off_topic_for_its_other_words(service):
    answer = service.ask("下個月要辦一場 webinar，對象是在比較幾家 HR 系統的人資主管，議程要放什麼？")
    assert answer.sources and answer.channel.value == "webinar"


@pytest.mark.parametrize("text", [
    "合约签了、PO 也下了，接下来要安排导入时程和 kickoff",
    "The contract is signed and the PO is in; budget and timeline for rollout are set",
    "계약했고 결제도 완료됐어요. 도입 일정 잡아야 해요",
])
def test_a_closed_deal_is_a_customer_not_a_lead_to_qualify(text):
    assert read_bant(text) is None


@pytest.mark.parametrize("question, stage", [
    ("Planning a LinkedIn ad push for HR managers who have zero idea our brand exists. What should it say?", "aware"),
    ("저희 타깃 병원 원장님들이 저희 브랜드를 아예 모르세요. 처음에 어떤 콘텐츠로 접근해야 할까요?", "aware"),
    ("有几所培训机构把我们放进了 shortlist，但到现在还没联系过我们，内容该讲啥", "appeal"),
    ("这批 leads 已经 request pricing 了，还问能不能出个报价单，该给他们什么内容？", "ask"),
])
def test_a_cue_tips_a_close_call_between_neighbouring_stages(service, question, stage):
    assert service.ask(question).stage.value == stage


def test_a_length_asked_in_other_words_gets_the_channel_rule(service):
    answer = service.ask("短影片的最佳長度是多少？")
    assert answer.channel.value == "short_video" and "60–90" in answer.body
    # Asked with the CTA: the CTA guidance leads and the channel's rule comes with it.
    both = service.ask("抖音短视频时长多少合适？CTA放什么？")
    assert both.sources[0].id == "cta-guidance" and "60–90" in both.body


def test_a_champion_who_takes_us_to_a_new_company_is_an_advocate(service):
    assert service.ask("The customer's champion changed jobs and wants to bring us to her new company. "
                       "How do we support her?").stage.value == "advocate"


def test_the_channel_asked_about_is_the_one_in_the_question_not_in_its_context():
    from bot.planning.intent import read_intent

    context_first = ("Procurement is running a POC and asking peers in a Slack community which vendor is better. "
                     "How should we structure a webinar for them?")
    assert read_intent(context_first).channel.value == "webinar"
    assert read_intent("对方在PTT上问同业哪家好用。我们想办一场网络研讨会，内容怎么安排？").channel.value == "webinar"
    assert read_intent("Webinar ideas for people who found us on LinkedIn?").channel.value == "webinar"


def test_details_that_each_echo_a_different_signal_of_one_stage_add_up(service):
    """Pricing page, quote, demo: each echoes a different Ask signal, none the whole question. With
    the stage's signals also matched as a whole, Ask's lead over the runner-up grows."""
    from bot.knowledge.router import SignalRouter

    retriever, signals = service.composer.retriever, service.store.signal_vectors()
    question = "预约排班系统，有家门店看了价格页、问了报价、还约了演示，下一步发什么"
    query = retriever.query(situation_text(question), Lang.ZH_HANS)

    def ask_lead(router: SignalRouter) -> float:
        stages = [match for match in router.route(query.text, query.vector, query.lang)
                  if match.entry_doc_id.startswith("stage-")]
        assert stages[0].entry_doc_id == "stage-ask@zh-Hans"
        return stages[0].score - stages[1].score

    assert ask_lead(SignalRouter(signals)) > ask_lead(SignalRouter(signals, entry_lexical_weight=0))


@pytest.mark.parametrize("question", [
    "What share of the people who know our brand end up buying, and what is that number called?",
    "认识我们品牌的人里面，最后有多少人会主动推荐我们？这个比例叫什么",
    "우리 브랜드를 아는 사람 중에 실제로 추천까지 하는 사람 비율은 어떤 지표로 봐요?",
])
def test_a_question_about_the_5a_metrics_gets_the_metric_without_a_stage_verdict(service, question):
    answer = service.ask(question)
    assert answer.sources[0].id == "kotler-metrics" and answer.stage is None
    assert "PAR" in answer.body or "BAR" in answer.body


@pytest.mark.parametrize("text, phrase, negated", [
    ("they are not comparing vendors yet", "comparing vendors", True),
    ("they are comparing vendors side by side", "comparing vendors", False),
    ("客户还没在比较几家", "在比较", True),
    ("不少客户在比较几家", "在比较", False),  # 不少 is "many", not a negation
    ("벤더 비교 검토는 안 해요", "비교 검토", True),
    ("벤더 비교 검토 중이에요", "비교 검토", False),
    ("they have never heard of us", "never heard of us", False),  # the phrase's own negation
    ("no budget yet, but they are comparing vendors", "comparing vendors", False),  # another clause
])
def test_a_phrase_is_negated_by_the_words_before_it_or_in_korean_after_it(text, phrase, negated):
    from bot.domain.negation import is_negated

    start = text.index(phrase)
    assert is_negated(text, start, start + len(phrase)) is negated


def test_a_negated_cue_gives_its_stage_nothing(service):
    ask = service.composer.retriever.entry("stage-ask", Lang.EN)
    assert ask.cued_by("they are comparing vendors this week")
    assert not ask.cued_by("they know us but are not comparing vendors yet")


@pytest.mark.parametrize("question", [
    "We sell payroll software. The HR lead downloaded our price quote, booked a demo and asked for a trial. "
    "What do we send now?",
    "인사 SaaS 팔아요. 담당자가 견적서 받아 갔고 데모도 잡았어요. 다음에 뭐 보내요?",
    "做排班系统的。有家门店看了价格页，问了报价，还约了演示，下一步发什么？",
])
def test_the_verdict_quotes_the_askers_own_words_that_decided_the_stage(service, question):
    answer = service.ask(question)
    verdict = answer.body.split("\n")[0]
    quoted = verdict.split("“")[1].split("”")[0]
    assert answer.stage.value == "ask" and quoted in question and len(quoted) < len(question) / 2


def test_a_one_clause_question_is_not_quoted_back_at_the_asker(service):
    answer = service.ask("how do we reach clinic owners who have never heard of us")
    assert answer.stage.value == "aware" and "never heard of us”" not in answer.body.split("\n")[0]


def test_a_pricing_page_is_the_channel_and_still_tells_the_stage(service):
    answer = service.ask("我们的定价页要放什么？来看的都是在几家供应商之间比来比去的采购经理")
    assert (answer.channel.value, answer.stage.value) == ("website", "ask")
    assert service.ask("가격 페이지 개편하려는데 뭘 넣을까요?").channel.value == "website"


def test_words_that_only_contain_a_stage_term_are_not_it():
    from bot.planning.intent import read_intent

    assert read_intent("哪家售票平台的手续费比较低？").funnel is None  # 手续费 holds 续费 (renewal fee)


def test_pronouns_alone_do_not_make_two_criteria_a_lead_description():
    assert read_bant("Founder here. Nobody knows us, and they don't see that the problem costs them hires") is None
    assert read_bant("线索：老板能拍板，需求也很明确") is not None


def test_a_korean_copula_ending_starts_a_new_clause():
    reading = read_bant("리드: 물류회사 CFO, 예산 확보됨, 본인이 결재권자인데 도입 일정은 아직 미정")
    assert reading is not None and set(reading.met) == {"budget", "authority"}


def test_a_hyphenated_cue_is_the_same_cue(service):
    ask = service.composer.retriever.entry("stage-ask", Lang.EN)
    assert ask.cued_by("procurement wants a side-by-side against their current vendor")


def test_a_metrics_answer_names_the_stage_its_question_has_a_cue_for(service):
    answer = service.ask("Which conversion rate should we watch? Our visitors are comparing vendors side by side")
    assert answer.sources[0].id == "kotler-metrics" and answer.stage.value == "ask"


def test_wechat_ideas_lead_only_for_chinese_readers_or_when_asked(service):
    def first_idea(question):
        return next(line for line in service.ask(question).body.split("\n") if line.startswith("- **"))

    assert "WeChat" not in first_idea("Prospects know us but don't prefer us yet. What content?")
    assert "公众号" in first_idea("客户知道我们但没什么好感，做什么内容？")
    assert "WeChat" in first_idea("Prospects know us but don't prefer us yet. What should our WeChat article say?")


@pytest.mark.parametrize("question, channel", [
    ("저희를 모르는 점주 대상으로 검색광고 랜딩페이지 만들 건데 뭘 넣죠?", "website"),  # a landing page, for search ads
    ("客户刚签约，app內的新手導覽要放哪些步骤？", "in_product"),
    ("데모 콜에서 뭘 보여드려야 할까요?", "sales_call"),
])
def test_the_channel_asked_about_is_the_thing_itself(question, channel):
    from bot.planning.intent import read_intent

    assert read_intent(question).channel.value == channel


def test_prospects_lost_at_a_step_are_not_churned_customers():
    from bot.planning.intent import read_intent

    assert read_intent("试用用户看了价格页就流失了，怎么优化？").funnel is None
    assert read_intent("老客户流失越来越多，怎么办？").funnel.value == "retention"


@pytest.mark.parametrize("question", [
    "웨비나 참석자가 '출석 관리가 완전 엉망'이라고 채팅 남겼어요. 그 외엔 정보 없음. 이 리드 어떻게 분류해요?",
    "A webinar attendee wrote that their scheduling is a total mess. Nothing else known. How do I classify this lead?",
])
def test_a_lead_asked_to_be_classified_is_read_from_one_criterion(service, question):
    answer = service.ask(question)
    assert (answer.funnel.value, answer.stage.value) == ("mql", "appeal")
