"""The ids of the knowledge entries that describe each vocabulary value, for citing sources."""

from bot.domain.channels import Channel
from bot.domain.stages import AwarenessStage, FunnelStage

BANT_ENTRY = "bant"
CTA_ENTRY = "cta-guidance"
TEMPLATE_ENTRY = "plan-template"


def entry_id(value: AwarenessStage | FunnelStage | Channel) -> str:
    """stage-ask, funnel-raw-lead, channel-short-video, …"""
    prefix = {AwarenessStage: "stage", FunnelStage: "funnel", Channel: "channel"}[type(value)]
    return f"{prefix}-{value.value.replace('_', '-')}"
