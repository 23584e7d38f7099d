"""The check cache: unchanged plans are not read again, changed ones always are, a bad cache is ignored."""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import EXAMPLES, TODAY

from kaplan import _reading, check
from kaplan.risk import risk_report


@pytest.fixture
def portfolio(tmp_path):
    folder = tmp_path / "portfolio"
    shutil.copytree(EXAMPLES, folder)
    return folder


@pytest.fixture
def reads(monkeypatch):
    """The plans read (summarised) from disk, by file name, during the test."""
    seen: list[str] = []
    real = _reading.summarise

    def counting(path, display, config, today):
        seen.append(path.name)
        return real(path, display, config, today)

    monkeypatch.setattr(_reading, "summarise", counting)
    return seen


def findings(result):
    return [f.to_dict() for f in result.findings]


def test_second_run_reads_nothing_and_finds_the_same(portfolio, reads):
    first = check([portfolio], today=TODAY, jobs=1)
    assert len(reads) == 13
    reads.clear()
    second = check([portfolio], today=TODAY, jobs=1)
    assert reads == []
    assert findings(second) == findings(first)


def test_editing_one_plan_rereads_exactly_that_plan(portfolio, reads):
    check([portfolio], today=TODAY, jobs=1)
    reads.clear()
    plan = portfolio / "plans" / "tallis-agri.yaml"
    before = plan.stat()
    text = plan.read_text()
    edited = text.replace("  sector:", "  sectr: ", 1)  # same size
    assert len(edited) == len(text)
    plan.write_text(edited)
    os.utime(plan, ns=(before.st_atime_ns, before.st_mtime_ns))  # same time too: only the bytes differ
    result = check([portfolio], today=TODAY, jobs=1)
    assert reads == ["tallis-agri.yaml"]
    assert any(f.rule == "unknown-key" and f.path.endswith("tallis-agri.yaml") for f in result.findings)


def test_a_corrupted_cache_is_ignored(portfolio, reads, tmp_path):
    first = check([portfolio], today=TODAY, jobs=1)
    cache = tmp_path / "cache"
    for path in (os.environ["KAPLAN_CACHE_DIR"],):
        for index in os.scandir(path):
            if index.name.startswith("check-"):
                with open(index.path, "w") as fh:
                    fh.write('{"header": {"format": 2}, "entries": {"x": [1, 2, "', )
    reads.clear()
    second = check([portfolio], today=TODAY, jobs=1)
    assert len(reads) == 13
    assert findings(second) == findings(first)
    assert not cache.exists()


def test_a_cache_entry_with_the_wrong_shape_is_not_trusted(portfolio, reads):
    import json

    first = check([portfolio], today=TODAY, jobs=1)
    folder = os.environ["KAPLAN_CACHE_DIR"]
    index = next(e.path for e in os.scandir(folder) if e.name.startswith("check-"))
    doc = json.loads(open(index).read())
    for entry in doc["entries"].values():
        entry[1] = ["x"]  # a core that cannot be read back
    doc["portfolio"] = {}
    open(index, "w").write(json.dumps(doc))
    reads.clear()
    assert findings(check([portfolio], today=TODAY, jobs=1)) == findings(first)
    assert len(reads) == 13


def test_missing_details_are_read_again_from_the_plan(portfolio):
    fresh = risk_report([portfolio], today=TODAY, cache=False)
    risk_report([portfolio], today=TODAY)  # fills the cache
    folder = os.environ["KAPLAN_CACHE_DIR"]
    for entry in os.scandir(folder):
        if entry.name.startswith("details-"):
            shutil.rmtree(entry.path)
    again = risk_report([portfolio], today=TODAY)
    assert [(r.account_id, round(r.health.score, 6)) for r in again.rows] == \
        [(r.account_id, round(r.health.score, 6)) for r in fresh.rows]


def test_another_day_or_config_does_not_use_the_cache(portfolio, reads):
    check([portfolio], today=TODAY, jobs=1)
    reads.clear()
    check([portfolio], today=TODAY.replace(day=25), jobs=1)
    assert len(reads) == 13
    reads.clear()
    config = portfolio / "kaplan.yaml"
    config.write_text(config.read_text().replace("renewal_warning_days: 90", "renewal_warning_days: 30"))
    check([portfolio], today=TODAY.replace(day=25), jobs=1)
    assert len(reads) == 13


def test_cache_off_reads_everything(portfolio, reads):
    check([portfolio], today=TODAY, jobs=1)
    reads.clear()
    check([portfolio], today=TODAY, jobs=1, cache=False)
    assert len(reads) == 13


def test_parallel_and_serial_reading_agree(portfolio):
    serial = check([portfolio], today=TODAY, jobs=1, cache=False)
    _reading.PARALLEL_MIN, saved = 1, _reading.PARALLEL_MIN
    try:
        parallel = check([portfolio], today=TODAY, jobs=2, cache=False)
    finally:
        _reading.PARALLEL_MIN = saved
    assert findings(parallel) == findings(serial)
