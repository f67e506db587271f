"""What a question is about: the vocabulary it names and what kind of answer it asks for."""

import re
from dataclasses import dataclass

from bot.domain.channels import Channel
from bot.domain.stages import AwarenessStage, FunnelStage
from bot.domain.vocabulary import (
    SITUATIONAL_CHANNEL_NAMES,
    asks_what_to_put,
    bant_criteria_count,
    find_mentions,
    is_about_domain,
    names_concept,
    without_question_form,
)

_ASKS_FOR_STAGE = re.compile(
    r"哪个阶段|哪一个阶段|哪个认知阶段|哪个5a|什么阶段|哪一阶段|哪個階段|哪一個階段|哪個認知階段|什麼階段"
    r"|适合哪个|屬於哪|属于哪|對應.{0,6}哪|对应.{0,6}哪"
    r"|which (5a |awareness |funnel )?(stage|phase)|what (5a )?(stage|phase)|where do .* fit"
    r"|어느 단계|어떤 단계|무슨 단계|몇 단계",
    re.IGNORECASE,
)
_ASKS_FOR_CONTENT = re.compile(
    r"什么内容|哪些内容|什么样的内容|什麼內容|哪些內容|什麼樣的內容|准备哪些|准备什么|準備哪些|準備什麼"
    r"|做什么|做什麼|what content|which content|content should|what should we (prepare|make|create|publish)"
    r"|어떤 콘텐츠|무슨 콘텐츠|어떤 자료|무엇을 준비|콘텐츠부터|콘텐츠.{0,4}(뭐|무엇|어떤|좋을)",
    re.IGNORECASE,
)


_ASKS_ABOUT_FORMAT = re.compile(
    r"多长|多長|多久|时长|時長|几分钟|幾分鐘|几秒|幾秒|多少字|字数|字數|长文|長文|短文|长一点|長一點|短一点|短一點"
    r"|长度|長度|片长|片長|几多秒|幾多秒|几多分钟|幾多分鐘|几长|幾長|多少秒|多少分钟|多少分鐘"
    r"|图片|圖片|配图|配圖|图文|圖文|篇幅|格式|规则|規則|太长|太長|小时|小時|分钟|分鐘|几张|幾張|多少张|多少張"
    r"|how long|length|minutes|seconds|how many words|word count|images?|image-heavy|long-form|short-form"
    r"|long or short|format|rule|too long|too short|how many (?:pictures|photos|slides)|plain text|text only"
    r"|纯文字|純文字|纯文本|純文本|全是文字|텍스트만"
    r"|길이|몇 분|몇 초|분량|이미지|사진|비중|형식|규칙|분짜리|시간짜리|초짜리|너무 길|너무 긴|몇 장"
    r"|얼마나 길|길어야|길게|몇 자|몇 글자",
    re.IGNORECASE,
)


_CHOICE = re.compile(
    r"还是|還是|或者|或是|哪个好|哪個好|哪个更|哪個更|\bor\b|\bvs\.?|\bversus\b|which is better|better:"
    r"|아니면|중에|중 어느|어느 쪽|뭐가 (?:나아|좋아|더)",
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(
    r"^\s*(and|also|what about|how about|then|so)\b|^\s*(那|那么|那麼|还有|還有|另外|然后|然後|其次)"
    r"|^\s*(그럼|그러면|그리고|또|그건|그 다음)",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[A-Za-z]+|[\u4e00-\u9fff]|[\uac00-\ud7a3]+")


def is_follow_up(question: str) -> bool:
    """A question that leans on the one before: "and which channel?", "那渠道呢？", "그럼 채널은?"."""
    return bool(_FOLLOW_UP.search(question)) or len(_WORDS.findall(question)) <= 4


@dataclass(frozen=True)
class QuestionIntent:
    stage: AwarenessStage | None
    funnel: FunnelStage | None
    channel: Channel | None
    bant_count: int | None
    asks_for_stage: bool
    asks_for_content: bool
    asks_about_format: bool
    names_domain_term: bool
    names_concept: bool = False
    names_bant: bool = False
    asks_what_to_put: bool = False
    # "Which stage is a webinar for?": a channel, a stage asked for, and nothing else said.
    asks_only_which_stage_a_channel_fits: bool = False
    # "Webinar or short video?": two or more channels named, and a choice asked between them.
    channels_to_choose: tuple[Channel, ...] = ()

    @property
    def names_subject(self) -> bool:
        return bool(self.stage or self.funnel or self.bant_count is not None)

    @property
    def asks_about_content(self) -> bool:
        """A question about a piece of content: a channel named with its format or what goes in it."""
        return bool(self.channel and (self.asks_about_format or self.asks_what_to_put))

    @property
    def wants_stage_entry(self) -> bool:
        return self.asks_for_stage or self.asks_for_content


_STOP_WORDS = {
    "which", "what", "stage", "stages", "phase", "phases", "is", "are", "the", "a", "an", "for", "good", "best",
    "fit", "fits", "suited", "suit", "does", "do", "used", "use", "our", "we", "in", "of", "to", "at", "and",
    "awareness", "funnel", "mainly", "mostly", "usually", "most", "belong", "belongs", "meant", "it",
    "맞나요", "적합한가요", "좋나요", "맞을까요", "쓰나요", "주로", "어디에", "해당하나요", "속하나요", "단계",
}
_STOP_HAN = set("和与與跟及主要是为為了用于於的吗嗎呢么麼适適合比较較最在属屬"
                "一般通常哪个個些阶階段这這那我们們你该該什做")
_LATIN_OR_HANGUL_WORD = re.compile(r"[a-z0-9]{2,}|[\uac00-\ud7a3]{2,}")


def _only_asks_which_stage(question: str, mentions) -> bool:
    """Whether, once the channels and the "which stage" phrasing are taken out, nothing is left
    that describes a situation ("onboarding emails" still has "onboarding")."""
    rest = question.lower()
    for mention in sorted(mentions, key=lambda m: -m.start):
        rest = rest[:mention.start] + " " + rest[mention.start + len(mention.alias):]
    rest = _ASKS_FOR_STAGE.sub(" ", rest)
    words = [word for word in _LATIN_OR_HANGUL_WORD.findall(rest) if word not in _STOP_WORDS]
    han = [char for char in rest if "\u4e00" <= char <= "\u9fff" and char not in _STOP_HAN]
    return len(words) <= 1 and len(han) <= 2


def _channels_to_choose(question: str, mentions) -> tuple[Channel, ...]:
    channels = tuple(dict.fromkeys(m.value for m in mentions if isinstance(m.value, Channel)))
    return channels if len(channels) >= 2 and _CHOICE.search(question) else ()


_SENTENCE_END = re.compile(r"[。？！?!\n]|\.(?:\s|$)")


def _asked_channel(question: str, mentions) -> Channel | None:
    """The channel the question asks about: context comes first and the question last ("they ask
    peers in a community… how should we structure the webinar?"), so the first channel named in
    the last sentence that names one. Of two channel names side by side the last is the thing
    itself ("a search-ad landing page", "검색광고 랜딩페이지" is a landing page)."""
    channels = [m for m in mentions if isinstance(m.value, Channel)]
    if not channels:
        return None
    channels = [mention for mention, after in zip(channels, [*channels[1:], None], strict=True)
                if after is None or after.start - (mention.start + len(mention.alias)) > 1]
    ends = [found.end() for found in _SENTENCE_END.finditer(question)]

    def sentence_of(mention) -> int:
        return sum(1 for end in ends if end <= mention.start)

    last = max(sentence_of(mention) for mention in channels)
    return next(mention.value for mention in channels if sentence_of(mention) == last)


def read_intent(question: str) -> QuestionIntent:
    """Named stages, funnel stages and channels (first of each), and the answer wanted."""
    mentions = find_mentions(question)

    def first(kind):
        return next((m.value for m in mentions if isinstance(m.value, kind)), None)

    return QuestionIntent(
        stage=first(AwarenessStage),
        funnel=first(FunnelStage),
        channel=_asked_channel(question, mentions),
        bant_count=bant_criteria_count(question),
        asks_for_stage=bool(_ASKS_FOR_STAGE.search(question)),
        asks_for_content=bool(_ASKS_FOR_CONTENT.search(question)),
        asks_about_format=bool(_ASKS_ABOUT_FORMAT.search(question)),
        names_domain_term=is_about_domain(question),
        names_concept=names_concept(question),
        names_bant=bool(re.search(r"(?<![a-z])bant(?![a-z])", question, re.IGNORECASE)),
        asks_what_to_put=asks_what_to_put(question),
        channels_to_choose=_channels_to_choose(question, mentions),
        asks_only_which_stage_a_channel_fits=bool(
            first(Channel) and not first(AwarenessStage) and not first(FunnelStage)
            and _ASKS_FOR_STAGE.search(question) and _only_asks_which_stage(question, mentions)),
    )


# "我们是做排产SaaS的，目标是工厂厂长", "we sell AcmeFlow to plant managers", "저희는 근태관리 SaaS를
# 팔고 타깃은 중소기업 인사팀이에요": the product and segment a question says it is about.
_PRODUCT_PATTERNS = [
    re.compile(r"我们(?:是|是专门|主要)?做(?P<v>[^，。,.;；!！?？\n的]{2,20})的"),
    re.compile(r"我們(?:是|是專門|主要)?做(?P<v>[^，。,.;；!！?？\n的]{2,20})的"),
    re.compile(r"(?:我们的|我們的)?(?:产品|產品)(?:是|叫)(?P<v>[^，。,.;；!！?？\n]{2,20})"),
    re.compile(r"\bwe (?:sell|make|build|offer|run) (?P<v>[A-Za-z0-9][\w\- ]{1,30}?)(?= to | for |,|\.|;|$)", re.I),
    re.compile(r"\bour (?:product|tool|app|platform),? (?:is |called )?(?P<v>[A-Z][\w\-]+(?: [A-Z][\w\-]+)?)"),
    re.compile(r"저희는 (?P<v>[^,.?!\n]{2,20}?)(?:을|를) (?:팔|판매|만들|개발|운영)"),
    re.compile(r"저희(?:는)? (?P<v>[^,.?!\n]{2,20}?) (?:회사|업체|스타트업)(?:예요|이에요|입니다|고|인데)"),
]
# Statements of who the asker sells to ("目标客户是工厂厂长"); a segment named inside a situation
# ("面向还不觉得有问题的厂长") is part of the situation and stays in it.
_SEGMENT_STATEMENTS = [
    re.compile(r"目标(?:客户|用户|人群|受众|群体)?(?:是|为)(?P<v>[^，。,.;；!！?？\n]{2,20})"),
    re.compile(r"目標(?:客戶|用戶|人群|受眾|族群)?(?:是|為)(?P<v>[^，。,.;；!！?？\n]{2,20})"),
    re.compile(r"\bwe sell [\w\- ]{1,30}? to (?P<v>[\w\- ]{2,40}?)(?=,|\.|;| and |$)", re.I),
    re.compile(r"\b(?:targeting|our target (?:audience|segment|customers?) (?:is|are)) "
               r"(?P<v>[\w\- ]{2,40}?)(?=,|\.|;|$)", re.I),
    re.compile(r"(?:타깃|타겟|대상)(?:은|는|이)? (?P<v>[^,.?!\n]{2,20}?)(?:이에요|예요|입니다|이고|고|,|\.|$)"),
]
_SEGMENT_PATTERNS = [
    *_SEGMENT_STATEMENTS,
    re.compile(r"(?:面向|针对|針對|卖给|賣給)(?P<v>[^，。,.;；!！?？\n]{2,15}?)(?:的|，|。|$)"),
]


def _first_group(patterns: list[re.Pattern], text: str) -> str:
    for pattern in patterns:
        if match := pattern.search(text):
            return match.group("v").strip().strip("「」“”\"'")
    return ""


def read_product_and_segment(question: str) -> tuple[str, str]:
    """The product and the segment a question says it is about, each "" when it names none."""
    return _first_group(_PRODUCT_PATTERNS, question), _first_group(_SEGMENT_PATTERNS, question)


def situation_text(question: str) -> str:
    """The question without the channels it names and without what it says about the asker's
    product and segment ("我们是做排产SaaS的，目标是工厂厂长"): what is left describes the
    prospect's situation, which is what places them at a stage (a channel is chosen for the
    stage, not the other way round)."""
    rest = question
    for pattern in (*_PRODUCT_PATTERNS, *_SEGMENT_STATEMENTS):
        rest = pattern.sub(" ", rest)
    rest = without_question_form(rest)
    for mention in sorted(find_mentions(rest), key=lambda m: -m.start):
        if isinstance(mention.value, Channel) and mention.alias not in SITUATIONAL_CHANNEL_NAMES:
            rest = rest[:mention.start] + " " + rest[mention.start + len(mention.alias):]
    return rest
