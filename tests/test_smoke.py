from conftest import TODAY


def test_new_then_check_is_clean_and_new_again_refuses(kaplan, tmp_path):
    r = kaplan("new", "acme", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    plan = tmp_path / "plans" / "acme.yaml"
    before = plan.read_bytes()
    r = kaplan("check", "--today", TODAY.isoformat())
    assert r.exit_code == 0, r.stdout
    assert "1 file checked: no problems" in r.stdout
    r = kaplan("new", "acme")
    assert r.exit_code == 1
    assert "already exists" in r.stderr
    assert plan.read_bytes() == before
