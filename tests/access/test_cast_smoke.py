def test_managers_follow_unit_heads(cast):
    assert cast.employee.manager_id == cast.manager.pk
    assert cast.manager.manager_id == cast.director.pk
    assert cast.director.manager_id == cast.secretary.pk
    assert cast.secretary.manager_id is None
