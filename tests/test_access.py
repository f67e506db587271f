"""Which workspace's plans an actor sees: installed into many workspaces, only its own, whatever
the user, channel and home ids (property-based, as an attacker would pick them)."""

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.access import Actor, PlanPlace, can_see

ids = st.sampled_from(["", "T1", "T2", "local", "C1", "U1"])


@given(actor_workspace=ids, plan_workspace=ids, user=ids, channel=ids, owner=ids, home=ids, private=st.booleans())
def test_with_many_workspaces_a_plan_is_seen_only_from_its_own_workspace(actor_workspace, plan_workspace, user,
                                                                        channel, owner, home, private):
    actor = Actor(user=user or "U9", workspace=actor_workspace, channel=channel, one_workspace=False)
    place = PlanPlace(owner=owner, workspace=plan_workspace, home=home, home_private=private)
    if can_see(actor, place):
        assert actor_workspace and plan_workspace == actor_workspace


def test_with_one_workspace_plans_from_before_workspaces_are_its_own():
    place = PlanPlace(owner="U1", workspace="", home="C1")
    assert can_see(Actor(user="U2", workspace="T1", channel="C1"), place)
    assert not can_see(Actor(user="U2", workspace="T1", channel="C1", one_workspace=False), place)
    assert can_see(Actor(user="U2", operator=True, one_workspace=False), place)
