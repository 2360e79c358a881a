from .factories import make_cycle, walk


def test_walk_to_archive(org):
    cycle = make_cycle(org)
    cycle = walk(org, cycle, "archived")
    assert cycle.state == "archived"
    p = cycle.participants.get(employee=org.employee)
    assert p.total is not None and p.grade
