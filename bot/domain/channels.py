"""The channel vocabulary and the measurable rules a channel puts on content."""

from enum import StrEnum

from pydantic import BaseModel, Field


class Channel(StrEnum):
    SHORT_VIDEO = "short_video"
    WECHAT_ARTICLE = "wechat_article"
    ONLINE_COURSE = "online_course"
    WEBINAR = "webinar"
    BLOG = "blog"
    EMAIL = "email"
    SOCIAL_POST = "social_post"
    LIVE_STREAM = "live_stream"
    EVENT = "event"
    WEBSITE = "website"
    SEARCH_ADS = "search_ads"
    COMMUNITY = "community"
    IN_PRODUCT = "in_product"
    SALES_CALL = "sales_call"


class Range(BaseModel):
    min: float | None = None
    max: float | None = None

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    @classmethod
    def written(cls, text: str) -> "Range | None":
        """A range as a person writes it: "60-90", "6–9", "≤1000", "-1000", "1500+", "8" (exactly);
        None for an empty text. A part that is not a number raises ValueError naming it."""
        text = text.strip().replace(" ", "").replace("，", ",").replace(",", "")
        if not text:
            return None
        for sign, bound in (("≤", "max"), ("<=", "max"), ("≥", "min"), (">=", "min")):
            if text.startswith(sign):
                return cls(**{bound: _number(text[len(sign):])})
        if text.endswith("+"):
            return cls(min=_number(text[:-1]))
        low, dash, high = text.replace("–", "-").replace("—", "-").replace("~", "-").replace("～", "-").partition("-")
        if not dash:
            return cls(min=_number(low), max=_number(low))
        return cls(min=_number(low) if low else None, max=_number(high) if high else None)


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None


class ChannelRule(BaseModel):
    """What a channel demands of a piece of content; any part may be absent."""

    duration_seconds: Range | None = None
    # Words, or characters for Chinese and Korean text (as the channels themselves count them).
    word_count: Range | None = None
    min_image_share: float | None = Field(default=None, ge=0, le=1)
    image_count: Range | None = None
