"""What to test next: the weakest funnel step, and the lever to pull on it in the sources' order
(first the content, then the channel, last the strategy).

A lever counts as tried once enough variants of it have results: the content when two pieces
of content have run on the stage's main channel, the channel when the stage has run on two
channels. Until then the next experiment is another piece of content on the same channel;
then the same stage on a channel the knowledge base fits to it and the team has not tried;
only then the strategy (the segment, the offer, the stage pairing).
"""

from enum import StrEnum

from pydantic import BaseModel, Field

from bot.domain.channels import Channel
from bot.domain.results import Funnel, FunnelStep, MeasuredPlan
from bot.domain.stages import AwarenessStage

# Variants of a lever with results before the next lever is pulled.
CONTENTS_TO_TRY = 2
CHANNELS_TO_TRY = 2
METHOD_ENTRY, MEASURES_ENTRY = "test-iterate", "kotler-metrics"


class Lever(StrEnum):
    CONTENT = "content"
    CHANNEL = "channel"
    STRATEGY = "strategy"


class Experiment(BaseModel):
    """The next thing to test, and why."""

    step: FunnelStep
    lever: Lever
    stage: AwarenessStage
    channel: Channel | None = None          # where the stage has run (most reach)
    segment: str = ""                       # whom it reached there (most reach)
    try_channels: list[Channel] = Field(default_factory=list)  # for a channel change, strongest first
    contents_tried: int = 0
    channels_tried: int = 0
    sources: list[str] = Field(default_factory=list)


def next_experiment(funnel: Funnel, measured: list[MeasuredPlan],
                    stage_channels: dict[AwarenessStage, list[Channel]]) -> Experiment | None:
    """The experiment for the weakest measured step; None until some step has results."""
    step = funnel.weakest()
    if step is None:
        return None
    stage = step.from_stage
    at_stage = [plan for plan in measured if plan.stage == stage and plan.reach]
    reach_by_channel = _reach_by(at_stage, "channel")
    main = max(reach_by_channel, key=reach_by_channel.get) if reach_by_channel else None
    reach_by_segment = _reach_by(at_stage, "segment")
    contents = {plan.title.casefold() or str(plan.plan_id) for plan in at_stage if plan.channel == main}
    fitting = [channel for channel in stage_channels.get(stage, []) if channel not in reach_by_channel]
    if len(contents) < CONTENTS_TO_TRY:
        lever = Lever.CONTENT
    elif len(reach_by_channel) < CHANNELS_TO_TRY and fitting:
        lever = Lever.CHANNEL
    else:
        lever = Lever.STRATEGY
    sources = [METHOD_ENTRY, MEASURES_ENTRY, f"stage-{stage.value}"]
    return Experiment(step=step, lever=lever, stage=stage, channel=main,
                      segment=max(reach_by_segment, key=reach_by_segment.get) if reach_by_segment else "",
                      try_channels=fitting[:2] if lever is Lever.CHANNEL else [],
                      contents_tried=len(contents), channels_tried=len(reach_by_channel), sources=sources)


def _reach_by(plans: list[MeasuredPlan], part: str) -> dict:
    """The plans' reach summed by one of their parts (channel, segment), those without it left out."""
    reach: dict = {}
    for plan in plans:
        if value := getattr(plan, part):
            reach[value] = reach.get(value, 0) + plan.reach
    return reach
