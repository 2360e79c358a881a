"""Rights an adversarial probe found too wide (issue 9, items 7, 9 and 10), through HTTP."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from jixiao.web.cycles import services as cs
from jixiao.web.cycles.models import Participant, TargetChange

from ..factories import client_for, make_cycle, participant, walk

ROLES = ["hr", "gm", "leader", "supervisor", "head", "employee", "peer", "cs_head", "outsider"]


def test_the_appraised_person_cannot_approve_a_change_to_their_own_target(org):
    """HR asks to change the leader's target; the leader (a decider for everyone else) may not
    approve it — only the requester was refused before."""
    cycle = walk(org, make_cycle(org), "running")
    item = participant(cycle, org.leader).plan_items.first()
    change = cs.target_change_request(
        user=org.hr.user, item=item, new_target="10", reason="业务调整"
    )
    url = reverse("cycles:target_change_decide", args=[change.pk])
    r = client_for(org.leader.user).post(url, {"approve": "1"})
    assert r.status_code == 403
    assert TargetChange.objects.get().status == TargetChange.Status.PENDING
    assert client_for(org.gm.user).post(url, {"approve": "1"}).status_code == 302
    assert TargetChange.objects.get().status == TargetChange.Status.APPROVED


@pytest.fixture
def in_review(org):
    cycle = walk(org, make_cycle(org), "review")
    # the head's own grade is the only A: the distribution must not give it away
    Participant.objects.filter(cycle=cycle).update(grade="C")
    Participant.objects.filter(cycle=cycle, employee=org.head).update(grade="A")
    return cycle


def test_a_head_cannot_read_their_own_grade_off_the_team_distribution(org, in_review):
    head = client_for(org.head.user)
    team = head.get(reverse("cycles:team", args=[in_review.pk])).content.decode()
    assert "A: 1" not in team and "C: 2" in team  # employee and peer
    dash = head.get(reverse("cycles:dashboard", args=[in_review.pk])).content.decode()
    chart = json.loads(dash.split('id="chart-data"', 1)[1].split(">", 1)[1].split("</script>")[0])
    assert "A" not in chart["grades"] and "A: 1" not in dash
    assert sum(chart["counts"]) == 2  # the histogram of totals leaves the head out as well
    # the head's supervisor sees the head's grade in the same distribution
    sup = client_for(org.supervisor.user)
    assert "A: 1" in sup.get(reverse("cycles:team", args=[in_review.pk])).content.decode()


def test_results_json_is_refused_to_whoever_the_csv_export_refuses(org):
    cycle = walk(org, make_cycle(org), "published")
    api = reverse("cycles:api_results", args=[cycle.pk])
    csv_url = reverse("cycles:export", args=[cycle.pk])
    refused = []
    for role in ROLES:
        c = client_for(org.user(role))
        expected = c.get(csv_url).status_code
        assert c.get(api).status_code == expected, role
        if expected == 403:
            refused.append(role)
    assert {"employee", "head", "outsider", "cs_head"} <= set(refused)
    data = json.loads(client_for(org.gm.user).get(api).content)
    assert len(data["results"]) == Participant.objects.filter(cycle=cycle).count()
