"""The 5A awareness stages, the sales funnel, the mapping between them, and BANT."""

from enum import StrEnum

from pydantic import BaseModel, model_validator


class AwarenessStage(StrEnum):
    """Kotler's 5A path: the prospect's awareness process."""

    AWARE = "aware"
    APPEAL = "appeal"
    ASK = "ask"
    ACT = "act"
    ADVOCATE = "advocate"

    @property
    def next(self) -> "AwarenessStage | None":
        return _next_in(list(AwarenessStage), self)


class FunnelStage(StrEnum):
    """The sales process, from first contact to renewal."""

    RAW_LEAD = "raw_lead"
    MQL = "mql"
    SQL = "sql"
    REVENUE = "revenue"
    RETENTION = "retention"

    @property
    def next(self) -> "FunnelStage | None":
        return _next_in(list(FunnelStage), self)


def _next_in(order: list, stage):
    position = order.index(stage)
    return order[position + 1] if position + 1 < len(order) else None


DEFAULT_FUNNEL_TO_AWARENESS: dict[FunnelStage, AwarenessStage] = dict(
    zip(FunnelStage, AwarenessStage, strict=True)
)


class StageMapping(BaseModel):
    """How a team pairs its sales funnel with the 5A path (one to one by default)."""

    funnel_to_awareness: dict[FunnelStage, AwarenessStage] = DEFAULT_FUNNEL_TO_AWARENESS

    @model_validator(mode="after")
    def _covers_every_funnel_stage(self) -> "StageMapping":
        missing = set(FunnelStage) - set(self.funnel_to_awareness)
        if missing:
            raise ValueError(f"mapping lacks funnel stages: {sorted(missing)}")
        return self

    def awareness_for(self, funnel: FunnelStage) -> AwarenessStage:
        return self.funnel_to_awareness[funnel]

    def funnel_for(self, stage: AwarenessStage) -> FunnelStage | None:
        """The first funnel stage paired with this 5A stage, if any."""
        for funnel, awareness in self.funnel_to_awareness.items():
            if awareness is stage:
                return funnel
        return None


class Bant(BaseModel):
    """Which of Budget, Authority, Need and Timeline a lead has shown."""

    budget: bool = False
    authority: bool = False
    need: bool = False
    timeline: bool = False

    @property
    def criteria_met(self) -> int:
        return sum((self.budget, self.authority, self.need, self.timeline))


def qualify(criteria_met: int, sql_threshold: int = 3) -> FunnelStage:
    """The lead stage BANT gives: none met is a raw lead, 1–2 an MQL, 3 or more an SQL.

    Marketing and sales may agree their own SQL bar, hence ``sql_threshold``.
    """
    if not 0 <= criteria_met <= 4:
        raise ValueError("BANT has four criteria; criteria met must be 0 to 4")
    if criteria_met >= sql_threshold:
        return FunnelStage.SQL
    if criteria_met >= 1:
        return FunnelStage.MQL
    return FunnelStage.RAW_LEAD
