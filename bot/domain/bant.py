"""Reading BANT (budget, authority, need, timeline) from how a marketer describes a lead.

Marketers rarely write "BANT": they write "采购时间定了", "the decision-maker joined the call",
"예산은 확보했지만 결정권자는 아직 없음". Each criterion is recognised by its usual words in
four languages, and a criterion whose clause negates it ("no timeline yet", "还没有预算",
"결정권자 없음") counts as not met.
"""

import re
from dataclasses import dataclass

from bot.domain.stages import Bant

# A senior title names authority too, but as the person's title only: "店长说有预算" says who
# spoke, and a later "最后要总部决定" says the store manager does not decide.
AUTHORITY_TITLES = [
    r"(?:cfo|ceo|coo|cto|vp|head of \w+|director|owner|boss|founder|gm)",
    "老板", "老闆", "负责人", "負責人", "采购负责人", "採購負責人", "总经理", "總經理", "董事长", "董事長",
    "总裁", "總裁", "老总", "老總", "营运长", "營運長", "执行长", "執行長", "财务长", "財務長", "技术长", "技術長",
    "院长", "院長", "校长", "校長", "店长", "店長",
    "대표", "임원", "사장",
]

CRITERION_TERMS: dict[str, list[str]] = {
    "budget": [
        r"budgets?", r"budgeted", r"funding", r"funds?",
        r"money (?:is |was |has been )?(?:set aside|approved|allocated)", r"afford",
        r"spend (?:is )?approved", r"approved the (?:spend|purchase|money)", r"purchase order", r"\bpo\b",
        r"can spend", r"spend (?:about|around|up to)", r"(?:about|around|up to) \$\d", r"earmark\w*",
        r"what they'?d spend", "可以花钱", "可以花錢", "花钱", "花錢", "쓸 돈", "책정",
        "预算", "預算", "经费", "經費", "资金", "資金", "费用", "費用", "钱", "錢",
        "예산", "자금", "비용",
    ],
    "authority": [
        r"decision[- ]?makers?", r"decision[- ]making power", r"authority", r"sign[- ]?off", r"approvers?",
        r"economic buyer", r"who (?:signs|decides)", r"can sign", r"decides", r"makes? the call", r"calls? the shots",
        r"purchasing calls?", "사인할 수",
        r"final say",
        "决策人", "決策人", "决策者", "決策者", "决策权", "決策權", "拍板", "拍不了板", "签字", "簽字", "审批人",
        "審批人", "决定权", "決定權", "话事人", "話事人", "做决定", "做決定", "说了算", "說了算", "决定", "決定",
        "点头", "點頭",
        "결정권자", "의사결정권자", "의사 결정권자", "결재권자", "승인권자", "결정권", "권한", "결재", "결정은",
        "결정하",
    ],
    "need": [
        r"needs?", r"pain(?: points?)?", r"nightmare", "噩梦", "噩夢", "악몽",
        r"(?:a|total|complete) mess", r"killing (?:them|us|her|him)",
        r"requirements?", r"use cases?", r"problem", r"replace", r"frustrat\w*",
        r"struggl\w*",
        "需求", "痛点", "痛點", "刚需", "剛需", "头疼", "頭疼", "换掉", "換掉", "替换", "替換", "很痛", "困扰",
        "困擾", "麻烦", "麻煩", "痛苦", "头痛", "頭痛", "很乱", "很亂", "混乱", "混亂", "很需要", "非常需要",
        "急需", "确实需要", "確實需要", "确定需要", "確定需要", "真的需要", "想改善", "想解决",
        "想解決", "想换", "想換", "要换", "要換", "需要(?:换|換|一套|一个|一個|个|個|套|新的|上)",
        # "要上合规工具" is a need; "要上线" (go live) is timing.
        "(?:要|得|必须|必須)上(?!线|線)", "要在.{1,20}(?:前|之前)上(?!线|線)",
        "(?:法规|法規|合规|合規|监管|監管)要求", "一定要(?:导入|導入|换|換|用)",
        "필요", "니즈", "불편", "급하", "도입해야", "힘들", "어렵", "어려워", "엉망", "하소연",
        "요구사항", "페인 ?포인트", "문제", "불만", "교체", "바꾸",
    ],
    "timeline": [
        r"timelines?", r"time ?frame", r"deadline", r"(?:purchase|buying|go-live|launch|start) date",
        r"go[- ]live", r"by (?:q[1-4]|the end of|next|this) ?\w*", r"this quarter", r"next quarter",
        r"(?:procurement|purchase|buying|decision) (?:date|timeline|deadline)", r"date (?:is )?set", r"next month",
        r"(?:in|by|for) (?:january|february|march|april|may|june|july|august|september|october|november|december)",
        r"when (?:to|they(?:'ll| will)) buy", r"timing",
        r"when (?:she|he|they)(?:'d| would| will|'ll) (?:switch|buy|start|move|sign|decide)",
        r"before (?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:tember)?"
        r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|q[1-4]|the end|year[- ]end)",
        "时间表", "時間表", "采购时间", "採購時間", "采购日期", "採購日期", "购买时间", "購買時間", "上线时间",
        "上線時間", "截止", "时间点", "時間點", "期限", "时间线", "時間線", "下季度", "下个季度", "下個季度",
        "本季度", "年底前", "年底", "几月", "幾月", "下个月", "下個月", "月底", "月前", "时程", "時程", "上线",
        "上線", "下一季", "下季", "这一季", "這一季", "什么时候买", "什麼時候買", "什么时候要", "什麼時候要",
        "什么时候用", "什麼時候用", "什么时候上", "什麼時候上", "啥时候", "啥時候",
        "(?:明年|今年|年底|年初)?[0-9一二三四五六七八九十]{1,2}月(?:份|底|初|前|中)?", "明年", "今年内", "今年內",
        "年内", "年內", "何时", "何時", "时间也",
        "時間也",
        "时间还", "時間還", "时间都", "時間都", "时间定", "時間定", "定时间", "定時間", "急",
        r"q[1-4]",
        "일정", "도입 ?시기", "구매 ?시기", "타임라인", "마감", "분기", "시점", "연말", "다음 ?달", "월까지",
        "월 안에", "월 전에", "월 전까지", r"\d{1,2}월", "올해 안", "연내", "내년", "성수기", "언제",
        r"before the \w+ (?:rush|season|launch|opening)", "旺季前",
    ],
}

# A word that negates what it stands beside in the same clause, before or after the criterion.
_NEGATION = re.compile(
    r"\bno\b(?!-)|\bnot\b|n't\b|\bnever\b|\bnothing\b|\bno idea\b|\bwithout\b|\black(?:s|ing)?\b|\bmissing\b"
    r"|\bzero\b|\bnone\b|\byet to\b|\bmaybe\b|\bperhaps\b|\bnot sure\b"
    r"|\bunclear\b|\bunknown\b|\bundecided\b|\bundefined\b|\btbd\b|\bpending\b|\bunapproved\b|\bunsure\b"
    r"|没|沒|无|無|未|缺|不明|不确定|不確定|不清楚|不知|待定|尚无|尚無|谁|誰|不是|不能|不了|做不了主"
    r"|不急|不着急|不著急|不一定|模糊|含糊|不具体|不具體|不用说|不用說|更别说|更別說|再说|再說|以后再|以後再"
    r"|없|않|아직|미정|미확정|불확실|불명확|모르|모름|못|안 ?정해|부족|누가|누군지|아니"
    # Someone else decides: "결정은 원장님이 하시고", "she'd need her VP to sign off".
    r"|결정(?:권)?은 (?!본인|자기|직접)\S+(?:이|가|한테|에게) |애매|모호"
    r"|\bneeds? (?:his|her|their|the) \w+ to\b|'d need\b"
    r"|(?:最后|最後|最终|最終)(?:还|還)?(?:要|是)|先了解|随便看看|隨便看看|要(?:总部|總部|总公司|總公司|上面|上级|上級|董事会|董事會|集团|集團)"
    r"|才能(?:决定|決定|拍板|签|簽|批)|摸索|还在想|還在想|还在研究|還在研究",
    re.IGNORECASE,
)
# "Budget is no problem" / "预算没问题" affirm the criterion.
_AFFIRMING = re.compile(
    r"no problem|not an issue|isn't an issue|no issue|没问题|沒問題|不是问题|不是問題|不成问题|不成問題"
    r"|문제 ?없|문제가 ?없",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(
    r"[,.;:!?，。；：！？、\n()（）]|\b(?:and|but|while|though|although|however|yet)\b"
    r"|但是|但|不过|不過|可是|然而|而且|并且|並且|지만|하지만|그런데|는데|(?:인|은|한|던)데 |고 ",
    re.IGNORECASE,
)
# Words that show the text describes a lead or a deal (so that "need" in "what do we need?"
# is not read as a criterion).
_ABOUT_A_LEAD = re.compile(
    r"\bbant\b|\bleads?\b|\bprospects?\b|\bbuyers?\b|\baccounts?\b|\bdeals?\b|\bcustomers?\b|\bclients?\b"
    r"|\bcompany\b"
    r"|线索|線索|名单|名單|客户|客戶|潜客|潛客|这家|這家|对方|對方|买家|買家|公司"
    r"|리드|고객|잠재 ?고객|바이어|회사|고객사|거래처|담당자|그쪽",
    re.IGNORECASE,
)


# "How do I classify this lead?", "MQL or SQL?", "算哪一级？", "어떻게 분류해요?": a question about
# a lead's qualification, so even one criterion it names is read.
_ASKS_TO_CLASSIFY = re.compile(
    r"\bclassify\b|\bcategori[sz]e\b|how qualified|\bqualif(?:y|ies|ied) as\b|where does (?:this|it|she|he|the lead)"
    r"(?: one| lead)? sit|\bmql or (?:an? )?sql\b|\bis (?:this|it|that|she|he) an? (?:mql|sql)\b"
    r"|分类|分類|归类|歸類|算哪|哪一级|哪一級|算mql|算sql|是mql|是sql"
    r"|분류|어디에 넣|mql인가요|sql인가요",
    re.IGNORECASE,
)


# A deal already closed ("合约签了", "contract signed", "결제 완료") is a customer, not a lead to qualify.
_CLOSED_DEAL = re.compile(
    r"(?:合同|合约|合約)(?:已经|已經|上周|上週)?(?:签|簽)|(?:签|簽)(?:完|了)(?:合同|合约|合約)?|已(?:经|經)?付款|(?:款|钱|錢)(?:也)?到了"
    r"|\bcontract (?:is |was )?signed\b|\bsigned the contract\b|\b(?:they|we) (?:just )?(?:paid|closed)\b"
    r"|\bclosed[- ]won\b"
    r"|계약(?:했|을 했|서에 서명|이 끝났|완료)|결제(?:했|를 했|완료)",
    re.IGNORECASE,
)


def _pattern(term: str) -> str:
    return rf"(?<![a-z]){term}(?![a-z])" if term.isascii() else term


_TERMS = {name: re.compile("|".join(map(_pattern, terms + (AUTHORITY_TITLES if name == "authority" else []))),
                           re.IGNORECASE)
          for name, terms in CRITERION_TERMS.items()}
_AUTHORITY_BY_NAME = re.compile("|".join(map(_pattern, CRITERION_TERMS["authority"])), re.IGNORECASE)


@dataclass(frozen=True)
class BantReading:
    """Which criteria the text speaks of, and which of those it says are met."""

    mentioned: frozenset[str]
    met: frozenset[str]

    @property
    def bant(self) -> Bant:
        return Bant(**{name: name in self.met for name in CRITERION_TERMS})


def _clauses(text: str) -> list[str]:
    return [clause for clause in _CLAUSE_BREAK.split(text) if clause and clause.strip()]


def _is_bare(clause: str) -> bool:
    """A list item that is little more than a criterion's name ("预算", "timing", "who decides",
    "or if they even need it"): it takes its list's negation ("预算、谁做决定、什么时候买都不知道",
    "no idea about budget, who decides, timing")."""
    rest = clause
    for pattern in _TERMS.values():
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"^\s*(?:or|and|或|和|及)\b", " ", rest.strip(), flags=re.IGNORECASE).strip()
    if _NEGATION.search(clause) or _AFFIRMED.search(clause):
        return False
    if rest.isascii():
        return len([word for word in rest.lower().split() if word not in _FILLER]) <= 1
    return len(rest.replace(" ", "")) <= 2


# An item that says its criterion is met is no bare name: "budget approved", "the need is real",
# "a hard deadline", "money is set aside", "时间都定了", "老板也点头了", "예산 확보".
_AFFIRMED = re.compile(
    r"\b(?:approved|confirmed|set|secured|real|clear|hard|firm|signed|agreed|allocated|fixed|in place|known"
    r"|urgent)\b|定|批|点头|點頭|同意|确认|確認|确实|確實|真的|明确|明確|必须|必須|一定|要|到位|了|有|能|확보|승인|확정|정해졌|있"
    r"|명확|분명|확실",
    re.IGNORECASE,
)
# Words that leave a list item bare ("or if they even need it").
_FILLER = {"if", "they", "even", "it", "the", "a", "whether", "about", "is", "are", "of", "any", "so", "far"}


def read_bant(text: str) -> BantReading | None:
    """The criteria a description of a lead names and meets; None unless the text describes a lead
    by its criteria: three of them, or two where it speaks of a lead, a
    prospect, a customer ("线索", "客户", "리드"…) or of BANT itself."""
    if _CLOSED_DEAL.search(text):
        return None
    clauses = _clauses(text)
    named_in = [{name for name, pattern in _TERMS.items() if pattern.search(clause)} for clause in clauses]
    negated_in = [bool(named) and bool(_NEGATION.search(_AFFIRMING.sub(" ", clause)))
                  for clause, named in zip(clauses, named_in, strict=True)]
    # A run of bare items takes the negation of the list it belongs to: the item after it (the
    # verb comes last in Chinese and Korean) or the one before it ("no idea about budget, …").
    for position in range(len(clauses)):
        if named_in[position] and not negated_in[position] and _is_bare(clauses[position]):
            after = next((i for i in range(position + 1, len(clauses)) if not _is_bare(clauses[i])
                          or not named_in[i]), None)
            before = next((i for i in range(position - 1, -1, -1) if not _is_bare(clauses[i])
                           or not named_in[i]), None)
            negated_in[position] = any(i is not None and named_in[i] and negated_in[i] for i in (after, before))
    mentioned: set[str] = set()
    met: set[str] = set()
    said_met = said_denied = by_title = False  # authority said in so many words, or by a title
    for clause, named, negated in zip(clauses, named_in, negated_in, strict=True):
        mentioned |= named
        by_name = "authority" in named and bool(_AUTHORITY_BY_NAME.search(clause))
        if negated:
            said_denied |= by_name
            continue
        met |= named - {"authority"}
        said_met |= by_name
        by_title |= "authority" in named and not by_name
    # A title says authority unless the text says, in so many words, that the decision is not theirs.
    if said_met or (by_title and not said_denied):
        met.add("authority")
    describes_a_lead = len(mentioned) >= 3 or (
        len(mentioned) == 2 and bool(_ABOUT_A_LEAD.search(text))) or (
        bool(mentioned) and bool(_ASKS_TO_CLASSIFY.search(text)))
    if not describes_a_lead:
        return None
    return BantReading(frozenset(mentioned), frozenset(met))
