"""The check cache: unchanged plans are not read again, changed ones always are, a bad cache is ignored.

Two layers are exercised: the per-plan index (`_cache`), and the record of the last check (`_quick`),
which answers a check of an unchanged portfolio without reading any plan.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from conftest import EXAMPLES, TODAY

from kaplan import check

from kaplan.reading import fingerprint as _fingerprint
from kaplan.reading import quick as _quick

from kaplan.reading import parallel as _reading
from kaplan.commands.risk import risk_report


@pytest.fixture
def portfolio(tmp_path):
    folder = tmp_path / "portfolio"
    shutil.copytree(EXAMPLES, folder)
    return folder


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


def _cache_files(prefix: str) -> list[str]:
    folder = os.environ["KAPLAN_CACHE_DIR"]
    return [e.path for e in os.scandir(folder) if e.name.startswith(prefix)]


@pytest.mark.parametrize("prefix", ["check-", "last-check-"])
def test_a_corrupted_cache_is_ignored(portfolio, reads, tmp_path, prefix):
    first = check([portfolio], today=TODAY, jobs=1)
    for path in _cache_files("check-") + _cache_files("last-check-"):
        if os.path.basename(path).startswith(prefix) or prefix == "check-":
            with open(path, "w") as fh:
                fh.write('{"header": {"format": 2}, "entries": {"x": [1, 2, "')
    reads.clear()
    second = check([portfolio], today=TODAY, jobs=1)
    assert findings(second) == findings(first)
    # a broken record alone costs nothing: the index still knows every plan
    assert len(reads) == (13 if prefix == "check-" else 0)


def test_a_cache_entry_with_the_wrong_shape_is_not_trusted(portfolio, reads):
    """Even one that kaplan itself sealed (a bug in an older build, say)."""
    from pathlib import Path

    first = check([portfolio], today=TODAY, jobs=1)
    (index,) = _cache_files("check-")
    doc = _fingerprint.read_json(Path(index))
    for entry in doc["entries"].values():
        entry[1] = ["x"]  # a core that cannot be read back
    _fingerprint.write_json(Path(index), doc)
    (record,) = _cache_files("last-check-")
    doc = _quick.read_record(Path(record))
    doc["files"] = [[1, 2]] * len(doc["files"])  # entries that cannot be unpacked
    _quick.write_record(Path(record), doc)
    reads.clear()
    assert findings(check([portfolio], today=TODAY, jobs=1)) == findings(first)
    assert len(reads) == 13


def test_an_unchanged_portfolio_is_answered_from_the_last_check(portfolio, reads, monkeypatch):
    """No plan is read, and the reader, models and rules are not even needed."""
    from kaplan.reading import summary as _summary

    fresh = check([portfolio], today=TODAY, jobs=1, cache=False)
    check([portfolio], today=TODAY, jobs=1)
    reads.clear()
    monkeypatch.setattr(_summary, "locate_in_file", None)  # would fail if the full check ran
    again = check([portfolio], today=TODAY, jobs=1)
    assert reads == []
    assert findings(again) == findings(fresh)
    assert (again.files, again.errors, again.warnings) == (fresh.files, fresh.errors, fresh.warnings)
    assert [p.display for p in again.plans] == [p.display for p in fresh.plans]  # read on demand


def test_one_plan_is_answered_from_the_check_of_the_whole_portfolio(portfolio, reads, monkeypatch):
    plan = portfolio / "plans" / "aldergrove-health.yaml"
    alone = check([plan], today=TODAY, jobs=1, cache=False)
    assert alone.files == 1 and alone.findings
    check([portfolio], today=TODAY, jobs=1)
    reads.clear()
    assert findings(check([plan], today=TODAY, jobs=1)) == findings(alone)
    assert reads == []


def test_a_duplicate_account_is_reported_on_the_same_plan_alone_or_with_all(portfolio):
    """Portfolio rules see the plans in one order, whichever files are named."""
    copy = portfolio / "plans" / "zz-copy.yaml"
    copy.write_text((portfolio / "plans" / "tallis-agri.yaml").read_text())
    whole = [f for f in check([portfolio], today=TODAY, cache=False).findings if f.rule == "duplicate-account"]
    assert [f.path.rsplit("/", 1)[-1] for f in whole] == ["tallis-agri.yaml", "zz-copy.yaml"]
    for plan, said in ((copy, whole[1]), (portfolio / "plans" / "tallis-agri.yaml", whole[0])):
        alone = check([plan], today=TODAY, cache=False).findings
        assert [f.to_dict() for f in alone if f.rule == "duplicate-account"] == [said.to_dict()]


def test_an_edit_is_seen_even_when_file_times_are_trusted(portfolio, reads, monkeypatch):
    """With stat signatures recorded (files older than the racy window), an edit that keeps the
    file's size and modification time still changes its change time, so the plan is read again."""
    import time

    from kaplan.reading import fingerprint as _fingerprint

    monkeypatch.setattr(_fingerprint, "RACY_SECONDS", 0.0)
    time.sleep(0.05)  # a clock tick after the copy
    check([portfolio], today=TODAY, jobs=1)
    check([portfolio], today=TODAY, jobs=1)
    (record,) = _cache_files("last-check-")
    from pathlib import Path

    assert all(entry[3] is not None for entry in _quick.read_record(Path(record))["files"])
    reads.clear()
    time.sleep(0.05)
    plan = portfolio / "plans" / "tallis-agri.yaml"
    before = plan.stat()
    text = plan.read_text()
    plan.write_text(text.replace("  sector:", "  sectr: ", 1))
    os.utime(plan, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert plan.stat().st_size == before.st_size
    result = check([portfolio], today=TODAY, jobs=1)
    assert reads == ["tallis-agri.yaml"]
    assert any(f.rule == "unknown-key" for f in result.findings)


def test_a_file_changed_just_before_it_was_read_is_hashed_again(tmp_path):
    from kaplan.reading import fingerprint as _fingerprint

    path = tmp_path / "plan.yaml"
    path.write_text("kaplan: 1\n")
    st = path.stat()
    assert _fingerprint.settled(st, st.st_ctime_ns / 1e9 + 0.5) is None
    assert _fingerprint.settled(st, st.st_ctime_ns / 1e9 + _fingerprint.RACY_SECONDS) == _fingerprint.signature(st)


def test_adding_or_removing_a_plan_is_not_answered_from_the_record(portfolio, reads):
    check([portfolio], today=TODAY, jobs=1)
    (portfolio / "plans" / "tallis-agri.yaml").unlink()
    reads.clear()
    result = check([portfolio], today=TODAY, jobs=1)
    assert result.files == 12 and reads == []  # the index still knows the other twelve
    assert not any("tallis-agri" in f.path for f in result.findings)


def test_a_changed_kaplan_yaml_is_not_answered_from_the_record(portfolio, reads):
    check([portfolio], today=TODAY, jobs=1)
    config = portfolio / "kaplan.yaml"
    config.write_text(config.read_text() + "\n# a comment only\n")
    reads.clear()
    check([portfolio], today=TODAY, jobs=1)
    assert reads == []  # same config after all: the index is still good, but the record was not used
    config.write_text(config.read_text().replace("renewal_warning_days: 90", "renewal_warning_days: 30"))
    check([portfolio], today=TODAY, jobs=1)
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


def test_another_day_reads_few_plans_again_and_another_config_reads_them_all(portfolio, reads):
    """On a new day only the plans whose dated findings change are read (see test_new_day.py)."""
    check([portfolio], today=TODAY, jobs=1)
    reads.clear()
    later = TODAY.replace(day=25)
    brought = check([portfolio], today=later, jobs=1)
    assert len(reads) < 13
    assert findings(brought) == findings(check([portfolio], today=later, jobs=1, cache=False))
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


def test_score_and_risk_read_what_the_check_cached(portfolio, reads):
    """`kaplan score` and `kaplan risk` read their plans as `kaplan check` does: after a check on the
    same day they read nothing, and after an edit only the edited plan."""
    from kaplan import score_portfolio

    fresh = score_portfolio([portfolio], cache=False, today=TODAY)
    check([portfolio], today=TODAY, jobs=1)
    reads.clear()
    scored = score_portfolio([portfolio], today=TODAY)
    assert reads == []
    assert [(a.account_id, a.score, a.tier_name) for a in scored.accounts] == \
        [(a.account_id, a.score, a.tier_name) for a in fresh.accounts]
    (portfolio / "plans" / "tallis-agri.yaml").write_text(
        (portfolio / "plans" / "tallis-agri.yaml").read_text().replace("strength: 3", "strength: 2", 1))
    score_portfolio([portfolio], today=TODAY)
    assert reads == ["tallis-agri.yaml"]
    reads.clear()
    risk_report([portfolio], today=TODAY)
    assert reads == []  # the plan read by score is in the cache


def test_an_unchanged_portfolio_is_checked_without_loading_the_reader_or_the_models(portfolio):
    """What keeps `kaplan check` in a pre-commit hook quick: no YAML parser, model or rule module is
    imported when the last check's record answers."""
    import subprocess
    import sys

    code = ("import sys\nfrom kaplan.cli.app import app\n"
            "try:\n    app(['check', '--today', sys.argv[1], '--format', 'json'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pydantic', 'ruamel.yaml', 'yaml_rs', 'kaplan.model', 'kaplan.rules', 'kaplan.reading.loader')"
            " if m in sys.modules]\nprint('HEAVY', heavy, file=sys.stderr)\n")
    runs = [subprocess.run([sys.executable, "-c", code, TODAY.isoformat()], cwd=portfolio, capture_output=True,
                           text=True, timeout=120, env=os.environ) for _ in range(2)]
    assert "HEAVY []" not in runs[0].stderr  # the first check reads everything
    assert "HEAVY []" in runs[1].stderr, runs[1].stderr
    assert runs[1].stdout == runs[0].stdout


def test_an_upgraded_reading_library_does_not_trust_the_cache(portfolio, reads, monkeypatch, tmp_path):
    """Findings quote what the parser and the validator say: a new version of either reads afresh."""
    import importlib.util

    from kaplan.reading import fingerprint as _fingerprint

    check([portfolio], today=TODAY, jobs=1)
    fake = tmp_path / "pydantic_core_init.py"
    fake.write_text("# another version\n")
    real = importlib.util.find_spec

    def upgraded(name, *args):
        spec = real(name, *args)
        if name == "pydantic_core":
            spec = importlib.util.spec_from_file_location(name, fake)
        return spec

    monkeypatch.setattr(importlib.util, "find_spec", upgraded)
    monkeypatch.setattr(_fingerprint, "_build", [])
    reads.clear()
    check([portfolio], today=TODAY, jobs=1)
    assert len(reads) == 13


def test_file_times_are_judged_by_the_file_system_s_clock_not_the_process_s(tmp_path, monkeypatch):
    """A process whose clock is a year behind the kernel's (a moved clock, a faked container) still
    trusts a file settled long enough by the clock that stamped it, and never a file just written."""
    import datetime as dt
    import os
    import time

    import time_machine

    from kaplan.reading import fingerprint as _fingerprint

    plan = tmp_path / "acme.yaml"
    plan.write_text("kaplan: 1\n")
    time.sleep(0.05)
    monkeypatch.setattr(_fingerprint, "_clock", [])
    monkeypatch.setattr(_fingerprint, "RACY_SECONDS", 0.01)
    with time_machine.travel(dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=365)):
        assert _fingerprint.settled(os.stat(plan), _fingerprint.file_clock()) is not None
        monkeypatch.setattr(_fingerprint, "RACY_SECONDS", 60.0)
        assert _fingerprint.settled(os.stat(plan), _fingerprint.file_clock()) is None


def _index_and_changes() -> tuple[bytes, bytes | None]:
    (index,) = _cache_files("check-")
    (details,) = _cache_files("details-")
    changes = os.path.join(details, "changes")
    return open(index, "rb").read(), open(changes, "rb").read() if os.path.exists(changes) else None


def _edit(plan) -> None:
    plan.write_text(plan.read_text().replace("  sector:", "  sectr:", 1))


def test_a_run_that_reads_few_plans_writes_only_their_entries(portfolio, reads):
    """The index is written whole when it is made; after that a run that reads a few plans again keeps
    only their entries beside it, and the next run takes them from there."""
    check([portfolio], today=TODAY, jobs=1)
    index, changes = _index_and_changes()
    assert changes is None
    _edit(portfolio / "plans" / "tallis-agri.yaml")
    edited = check([portfolio], today=TODAY, jobs=1)
    assert _index_and_changes()[0] == index  # not written again
    assert b"tallis-agri.yaml" in _index_and_changes()[1]
    reads.clear()
    _quick_record_gone()
    again = check([portfolio], today=TODAY, jobs=1)
    assert reads == []  # the edited plan's entry came from the changes
    assert findings(again) == findings(edited) == findings(check([portfolio], today=TODAY, jobs=1, cache=False))


def test_changes_kept_against_another_version_of_the_index_are_not_applied(portfolio, reads, monkeypatch):
    from kaplan.reading import cache as _cache

    check([portfolio], today=TODAY, jobs=1)
    plan = portfolio / "plans" / "tallis-agri.yaml"
    original = plan.read_text()
    _edit(plan)
    check([portfolio], today=TODAY, jobs=1)
    _, stale = _index_and_changes()
    plan.write_text(original)
    monkeypatch.setattr(_cache, "CHANGES_MIN", 0)  # any change writes the index whole
    monkeypatch.setattr(_cache, "CHANGES_SHARE", 0)
    check([portfolio], today=TODAY, jobs=1)
    assert _index_and_changes()[1] is None  # the index was written whole, and its changes went
    (details,) = _cache_files("details-")
    with open(os.path.join(details, "changes"), "wb") as fh:  # the old changes, put back
        fh.write(stale)
    reads.clear()
    _quick_record_gone()
    result = check([portfolio], today=TODAY, jobs=1)
    assert reads == []  # the index as written whole holds every plan as it is
    assert not any(f.rule == "unknown-key" for f in result.findings)


def test_many_changes_write_the_index_whole_again(portfolio, reads, monkeypatch):
    from kaplan.reading import cache as _cache

    monkeypatch.setattr(_cache, "CHANGES_MIN", 2)  # changes may be a quarter of the index, or 2 entries
    check([portfolio], today=TODAY, jobs=1)
    index, _ = _index_and_changes()
    plans = sorted((portfolio / "plans").glob("*.yaml"))
    for plan in plans[:3]:
        _edit(plan)
        check([portfolio], today=TODAY, jobs=1)
    assert _index_and_changes()[0] == index  # 3 changes of 13 entries: fewer than a quarter
    _edit(plans[3])
    check([portfolio], today=TODAY, jobs=1)
    assert _index_and_changes()[0] != index and _index_and_changes()[1] is None
    reads.clear()
    _quick_record_gone()
    cached = check([portfolio], today=TODAY, jobs=1)
    assert reads == []
    assert findings(cached) == findings(check([portfolio], today=TODAY, jobs=1, cache=False))


def _quick_record_gone() -> None:
    """Without the last check's record, a check goes through the index."""
    for path in _cache_files("last-check-"):
        os.unlink(path)


def test_tiers_are_kept_while_the_plans_score_the_same(portfolio, monkeypatch):
    """The portfolio rules' tiers come from scoring every plan together; a new day whose plans score
    as before takes them from the cache, and an edit that moves the scores works them out again."""
    import datetime as dt

    from kaplan.reading.loader import open_portfolio
    from kaplan.reading.portfolio import read
    from kaplan.scoring import engine

    scored = []
    real = engine.tiers_of
    monkeypatch.setattr(engine, "tiers_of", lambda *a, **k: scored.append(1) or real(*a, **k))

    def named(placed):
        return [(s.display, t.name if t else None) for s, t in placed]

    pf = open_portfolio(portfolio)
    first = read(pf, [], TODAY, whole_portfolio=True)
    assert named(first.tiers()) == named(real(first.everyone, pf.config)) and len(scored) == 1
    later = read(pf, [], TODAY + dt.timedelta(days=1), whole_portfolio=True)
    assert engine.tier_inputs(later.everyone) == engine.tier_inputs(first.everyone)  # the plans score the same
    assert named(later.tiers()) == named(first.tiers()) and len(scored) == 1  # the first day's, not scored again
    plan = portfolio / "plans" / "tallis-agri.yaml"
    plan.write_text(plan.read_text().replace("revenue: 62000,", "revenue: 62000000,"))
    edited = read(pf, [], TODAY + dt.timedelta(days=1), whole_portfolio=True)
    placed = named(edited.tiers())
    assert len(scored) == 2  # worked out again for the new scores
    assert placed == named(real(edited.everyone, pf.config)) != named(first.tiers())


def _a_new_day_then_the_same_day_again(portfolio, reads) -> None:
    """Check on the next day (some plans' findings change, as worked out when they were read), then
    once more that day: the cache must have kept what the first run changed."""
    later = TODAY.replace(day=25)
    first = check([portfolio], today=later, jobs=1)

    def found(result) -> list:
        return [(f.path, f.rule, f.line) for f in result.findings]

    assert found(first) != found(check([portfolio], today=TODAY, jobs=1, cache=False))  # some change that day
    reads.clear()
    _quick_record_gone()
    again = check([portfolio], today=later, jobs=1)
    assert reads == []
    assert findings(again) == findings(first) == findings(check([portfolio], today=later, jobs=1, cache=False))


@pytest.mark.parametrize("blocker", ["details folder is a file", "changes is a folder", "no rename by descriptor"])
def test_when_the_changes_cannot_be_written_the_index_is_written_whole(portfolio, reads, monkeypatch, blocker):
    check([portfolio], today=TODAY, jobs=1)
    reads.clear()
    (details,) = _cache_files("details-")
    if blocker == "details folder is a file":
        shutil.rmtree(details)
        with open(details, "w") as fh:
            fh.write("x")
    elif blocker == "changes is a folder":
        os.mkdir(os.path.join(details, "changes"))
    else:  # a system whose rename cannot work through a folder's descriptor
        real = os.rename

        def rename(src, dst, *, src_dir_fd=None, dst_dir_fd=None):
            if src_dir_fd is not None or dst_dir_fd is not None:
                raise NotImplementedError("src_dir_fd unavailable on this platform")
            return real(src, dst)

        monkeypatch.setattr(os, "rename", rename)
        monkeypatch.setattr(os, "supports_dir_fd", os.supports_dir_fd - {real})
    _a_new_day_then_the_same_day_again(portfolio, reads)


def test_tidying_runs_when_this_run_s_part_cannot_be_written(portfolio, reads):
    check([portfolio], today=TODAY, jobs=1)
    reads.clear()
    (details,) = _cache_files("details-")
    os.mkdir(os.path.join(details, "changes"))
    check([portfolio], today=TODAY.replace(day=25), jobs=1)
    tidied = os.path.join(os.environ["KAPLAN_CACHE_DIR"], "tidied-on")
    assert _fingerprint.read_json(__import__("pathlib").Path(tidied)) == {"day": "2026-11-25"}


def test_a_part_left_half_written_by_a_killed_run_goes(portfolio, monkeypatch):
    from kaplan.reading import cache as _cache

    check([portfolio], today=TODAY, jobs=1)
    (details,) = _cache_files("details-")
    left = os.path.join(details, ".changes-0123456789abcdef.tmp")
    fresh = os.path.join(details, ".tiers-fedcba9876543210.tmp")  # another run may be writing it now
    for path in (left, fresh):
        with open(path, "w") as fh:
            fh.write("{")
    hour_ago = _fingerprint.file_clock() - _cache.LEFT_BEHIND_SECONDS - 60
    os.utime(left, (hour_ago, hour_ago))
    plan = portfolio / "plans" / "tallis-agri.yaml"
    _edit(plan)
    check([portfolio], today=TODAY, jobs=1)
    assert not os.path.exists(left) and os.path.exists(fresh)


def test_the_index_written_from_the_workers_cores_is_the_index_written_from_the_summaries(portfolio, monkeypatch):
    """Workers write each plan's entry core as JSON and the parent puts it into the index as it is:
    the index must be the one a serial reading writes, byte for byte once decoded, and plain JSON."""
    from pathlib import Path

    def index() -> str:
        (path,) = _cache_files("check-")
        return _fingerprint.read_sealed(Path(path)).decode()

    check([portfolio], today=TODAY, jobs=1)
    serial = index()
    shutil.rmtree(os.environ["KAPLAN_CACHE_DIR"])
    monkeypatch.setattr(_reading, "PARALLEL_MIN", 1)
    check([portfolio], today=TODAY, jobs=2)
    parallel = index()
    decoded = json.loads(parallel)
    assert _fingerprint.PLAIN_JSON.encode(decoded) == parallel  # what an encoder writes, nothing spliced in awry
    assert decoded["entries"] == json.loads(serial)["entries"]
    assert all(type(entry[1]) is list for entry in decoded["entries"].values())
