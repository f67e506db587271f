"""What a message asks for: an answer, a drafted card (or one per stage), or the coverage gaps.

Every face routes a free-text message through here, so Slack and the terminal read the same
text the same way.
"""

import re
from dataclasses import dataclass

from bot.models import ReplyKind
from bot.planning.intent import read_intent

_DRAFT_REQUEST = re.compile(r"^\s*(draft|起草|草拟|草擬|写一份|寫一份|초안)", re.IGNORECASE)
_JOURNEY = re.compile(r"--journey\b|\bjourney\b|全旅程|整个旅程|整個旅程|전체 여정", re.IGNORECASE)
_EVERY_SEGMENT = re.compile(r"--(?:every|all)[- ]segments?\b|\b(?:every|each|all) segments?\b|每个细分|每個細分|"
                            r"所有细分|所有細分|每个客群|每個客群|모든 세그먼트|세그먼트별", re.IGNORECASE)
# Greetings and "what can you do?" — the whole message, give or take punctuation and a name.
_HELP_REQUEST = re.compile(
    r"^\W*(hi|hello|hey|help|what can you do|what do you do|how do i use (you|this|planbot)|who are you"
    r"|你好|您好|嗨|哈喽|哈囉|帮助|幫助|你能做什么|你能做什麼|你会什么|你會什麼|你可以做什么|你可以做什麼|怎么用|怎麼用"
    r"|안녕|안녕하세요|도움말|뭘 할 수 있어|무엇을 할 수 있나요|뭐 할 수 있어|어떻게 써|사용법)"
    r"(\s*(planbot|there|bot))?\W*$",
    re.IGNORECASE,
)
_GAPS_REQUEST = re.compile(r"\bgaps?\b|空白|缺口|빈틈|공백", re.IGNORECASE)


@dataclass(frozen=True)
class DraftRequest:
    # The brief in the writer's words, without "draft" and the journey and segment markers.
    brief_text: str
    journey: bool
    every_segment: bool = False


def read_request(message: str) -> ReplyKind:
    """What a message asks for."""
    if _HELP_REQUEST.search(message):
        return ReplyKind.HELP
    if _DRAFT_REQUEST.search(message):
        return ReplyKind.DRAFTS
    if _GAPS_REQUEST.search(message) and not read_intent(message).names_subject:
        return ReplyKind.GAPS
    return ReplyKind.ANSWER


def read_draft_request(message: str) -> DraftRequest:
    """A drafting request ("draft …", "--journey", "全旅程…") read as its brief and its scope."""
    journey, every_segment = bool(_JOURNEY.search(message)), bool(_EVERY_SEGMENT.search(message))
    brief = _DRAFT_REQUEST.sub(" ", _EVERY_SEGMENT.sub(" ", _JOURNEY.sub(" ", message)))
    return DraftRequest(brief.strip(), journey, every_segment)
