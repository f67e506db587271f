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


class ChannelRule(BaseModel):
    """What a channel demands of a piece of content; any part may be absent."""

    duration_seconds: Range | None = None
    # Words, or characters for Chinese and Korean text (as the channels themselves count them).
    word_count: Range | None = None
    min_image_share: float | None = Field(default=None, ge=0, le=1)
    image_count: Range | None = None
