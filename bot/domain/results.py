"""What happened after a plan was published, and the 5A funnel computed from it.

A result is one plan's figures for one period: how many people it reached, engaged and got to
click, and how many took its action and moved on to the plan's next stage. From the results of
the plans at each stage, the funnel has one step per move along the 5A path with Kotler's names
(attraction: Aware → Appeal, curiosity: Appeal → Ask, commitment: Ask → Act, affinity:
Act → Advocate), each step's rate being the people who moved over the people reached at that
stage. PAR (Act ÷ Aware) and BAR (Advocate ÷ Aware) chain the steps: the share of those made
aware who would go on to buy, and to recommend.
"""

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.domain.channels import Channel
from bot.domain.stages import AwarenessStage

MAX_COUNT = 10**12  # a figure past this is a typo, not an audience
NOTE_LIMIT = 500


class ResultProblem(StrEnum):
    """Why a result cannot be recorded (each is a message in the catalogue)."""

    MOVED_OVER_REACH = "moved_over_reach"
    CLICKS_OVER_REACH = "clicks_over_reach"
    PERIOD_BACKWARDS = "period_backwards"


class ResultError(ValueError):
    def __init__(self, problem: ResultProblem):
        super().__init__(problem.value)
        self.problem = problem


class PlanResult(BaseModel):
    """One plan's figures for one period (inclusive days)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    plan_id: int
    period_start: date
    period_end: date
    reach: int = Field(ge=0, le=MAX_COUNT)
    engagement: int = Field(default=0, ge=0, le=MAX_COUNT)
    clicks: int = Field(default=0, ge=0, le=MAX_COUNT)
    moved: int = Field(default=0, ge=0, le=MAX_COUNT)  # took the card's action, on to its next stage
    note: str = Field(default="", max_length=NOTE_LIMIT)
    # Kept by the log: who recorded this version of the figures, when, and which version it is.
    who: str = ""
    at: datetime | None = None
    version: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> "PlanResult":
        if self.period_end < self.period_start:
            raise ResultError(ResultProblem.PERIOD_BACKWARDS)
        if self.moved > self.reach:
            raise ResultError(ResultProblem.MOVED_OVER_REACH)
        if self.clicks > self.reach:
            raise ResultError(ResultProblem.CLICKS_OVER_REACH)
        return self


class StepName(StrEnum):
    ATTRACTION = "attraction"
    CURIOSITY = "curiosity"
    COMMITMENT = "commitment"
    AFFINITY = "affinity"


# Each step of the 5A path, from the stage a plan works at to the one its action moves people to.
STEPS: list[tuple[StepName, AwarenessStage, AwarenessStage]] = [
    (StepName.ATTRACTION, AwarenessStage.AWARE, AwarenessStage.APPEAL),
    (StepName.CURIOSITY, AwarenessStage.APPEAL, AwarenessStage.ASK),
    (StepName.COMMITMENT, AwarenessStage.ASK, AwarenessStage.ACT),
    (StepName.AFFINITY, AwarenessStage.ACT, AwarenessStage.ADVOCATE),
]


class MeasuredPlan(BaseModel):
    """What the funnel needs of a plan with results: where it works and what it recorded."""

    plan_id: int
    stage: AwarenessStage
    channel: Channel | None = None
    segment: str = ""
    title: str = ""
    reach: int = 0
    moved: int = 0


class FunnelStep(BaseModel):
    name: StepName
    from_stage: AwarenessStage
    to_stage: AwarenessStage
    reached: int = 0
    moved: int = 0
    plans: int = 0

    @property
    def rate(self) -> float | None:
        """Moved ÷ reached; None while nothing at this stage has results."""
        return self.moved / self.reached if self.reached else None


class Funnel(BaseModel):
    """The 5A funnel of some plans' results (a segment, a channel, a period, or all of them)."""

    steps: list[FunnelStep]
    segment: str | None = None
    channel: Channel | None = None
    period_start: date | None = None
    period_end: date | None = None

    def step(self, name: StepName) -> FunnelStep:
        return next(step for step in self.steps if step.name is name)

    def _chain(self, names: list[StepName]) -> float | None:
        product = 1.0
        for name in names:
            rate = self.step(name).rate
            if rate is None:
                return None
            product *= rate
        return product

    @property
    def par(self) -> float | None:
        """Purchase action ratio, Act ÷ Aware: attraction × curiosity × commitment."""
        return self._chain([StepName.ATTRACTION, StepName.CURIOSITY, StepName.COMMITMENT])

    @property
    def bar(self) -> float | None:
        """Brand advocacy ratio, Advocate ÷ Aware: PAR × affinity."""
        return self._chain([StepName.ATTRACTION, StepName.CURIOSITY, StepName.COMMITMENT, StepName.AFFINITY])

    @property
    def measured(self) -> bool:
        return any(step.reached for step in self.steps)

    def weakest(self) -> FunnelStep | None:
        """The step that loses the most, among those measured: the lowest rate (ties: the earlier
        step, since every later stage depends on it)."""
        measured = [step for step in self.steps if step.rate is not None]
        return min(measured, key=lambda step: step.rate) if measured else None


def funnel(plans: list[MeasuredPlan], segment: str | None = None, channel: Channel | None = None,
           period_start: date | None = None, period_end: date | None = None) -> Funnel:
    """The funnel of ``plans``: each one counts at the step that starts at its stage."""
    steps = {name: FunnelStep(name=name, from_stage=start, to_stage=end) for name, start, end in STEPS}
    by_stage = {start: name for name, start, _ in STEPS}
    for plan in plans:
        name = by_stage.get(plan.stage)
        if name is None:
            continue  # an Advocate plan's action has no further 5A stage to move people to
        step = steps[name]
        step.reached += plan.reach
        step.moved += plan.moved
        step.plans += 1
    return Funnel(steps=list(steps.values()), segment=segment, channel=channel, period_start=period_start,
                  period_end=period_end)
