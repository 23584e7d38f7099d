"""A plan with thousands of findings costs in proportion to them: placing each finding in the file
must not read the whole file again."""

from __future__ import annotations

from conftest import TODAY
from kaplan import check
from kaplan.reading import document


def test_a_plan_s_lines_are_counted_once_however_many_findings_it_has(tmp_path, monkeypatch):
    calls = []
    real = document._shape
    monkeypatch.setattr(document, "_shape", lambda text: calls.append(1) or real(text))
    responses = "".join(f"    - {{date: 2026-{1 + i % 10:02d}-15, respondent: Critic {i}, score: 3}}\n"
                        for i in range(2000))
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "acme.yaml").write_text("kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Jo}\n"
                                     f"voice_of_customer:\n  nps:\n{responses}", encoding="utf-8")
    found = [f for f in check([plans], today=TODAY, cache=False).findings if f.rule == "nps-no-follow-up"]
    assert len(found) == 2000
    assert found[-1].line == 2005  # the last response's score, placed by the reference reader
    assert len(calls) <= 1
