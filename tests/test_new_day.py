"""A new day is not a cold start: the first check of a day reads again only the plans whose dated
findings or figures change that day (`kaplan.clock`), and finds exactly what a check without a
cache finds, word for word."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES
from kaplan import check, rules, score_portfolio
from kaplan.clock import Clock, DatedText, first_day_months_after, months_before
from kaplan.commands.risk import risk_report
from kaplan.findings import Issue
from kaplan.reading import parallel as _parallel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import generate  # noqa: E402

# Days in order, some a day apart and some years, across a leap day, and some going back in time.
DAYS = [dt.date(2024, 1, 15), dt.date(2024, 1, 16), dt.date(2024, 2, 29), dt.date(2024, 3, 1),
        dt.date(2024, 7, 1), dt.date(2025, 1, 1), dt.date(2025, 6, 30), dt.date(2025, 10, 14),
        dt.date(2025, 10, 15), dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 6, 30),
        dt.date(2026, 7, 1), dt.date(2026, 11, 24), dt.date(2026, 11, 25), dt.date(2026, 11, 26),
        dt.date(2025, 3, 3), dt.date(2027, 2, 1), dt.date(2028, 2, 29), dt.date(2030, 1, 1),
        dt.date(2026, 11, 23)]


def _findings(result) -> list:
    return [f.to_dict() for f in result.findings]


def _standing(folder: Path, day: dt.date, cache: bool) -> tuple:
    """What score and risk say on `day`: ranks, scores, NPS, health, levels and every signal in words."""
    scored = score_portfolio([folder / "plans"], today=day, cache=cache)
    risk = risk_report([folder / "plans"], today=day, cache=cache)
    return ([(a.account_id, a.rank, a.score, a.tier_name, [(c.criterion, c.raw) for c in a.contributions])
             for a in scored.accounts],
            [(r.account_id, r.health.score, r.health.level, [(s.name, s.value, s.reason, s.at) for s in r.health.signals])
             for r in risk.rows])


@pytest.fixture(params=["examples", "generated"])
def portfolio(request, tmp_path) -> Path:
    folder = tmp_path / "portfolio"
    if request.param == "examples":
        shutil.copytree(EXAMPLES, folder)
    else:  # sixty plans modelled on the examples, a quarter of them with a mistake
        generate(folder, 60, seed=7, findings_pct=25)
    return folder


def test_each_new_day_finds_what_a_cold_check_finds(portfolio, reads):
    plans = len(list((portfolio / "plans").glob("*.yaml")))
    check([portfolio / "plans"], today=DAYS[0], jobs=1)
    for before, day in zip(DAYS, DAYS[1:]):
        reads.clear()
        brought = check([portfolio / "plans"], today=day, jobs=1)
        read_again = len(reads)
        assert _findings(brought) == _findings(check([portfolio / "plans"], today=day, cache=False)), day
        if day - before == dt.timedelta(days=1):  # the day after the last check: most plans hold
            assert read_again < plans / 2, (day, read_again)


def test_a_run_of_days_reads_few_plans_again(portfolio, reads):
    """Day after day, a plan is read again only on a day its findings or figures change."""
    plans = len(list((portfolio / "plans").glob("*.yaml")))
    start = dt.date(2026, 6, 1)
    check([portfolio / "plans"], today=start, jobs=1)
    reads.clear()
    for k in range(1, 31):
        check([portfolio / "plans"], today=start + dt.timedelta(days=k), jobs=1)
    # thirty cold checks would read every plan thirty times
    assert len(reads) < 30 * plans / 4, len(reads)


def test_score_and_risk_on_a_new_day_agree_with_a_cold_read(portfolio):
    check([portfolio / "plans"], today=DAYS[0], jobs=1)
    for day in DAYS[1::3]:
        assert _standing(portfolio, day, cache=True) == _standing(portfolio, day, cache=False), day


def test_a_rule_that_reads_today_itself_is_still_right_every_day(portfolio, reads, monkeypatch):
    """A plan rule written against `ctx.today` (not the clock) makes its plans hold for one day only:
    slower, never stale."""
    def says_the_day(plan, ctx):
        yield Issue(("account",), f"checked on {ctx.today}")

    monkeypatch.setitem(rules.REGISTRY, "says-the-day", rules.Rule("says-the-day", rules.Severity.WARNING,
                                                                   "Says the day.", "plan", says_the_day))
    plans = sorted(p.name for p in (portfolio / "plans").glob("*.yaml"))
    check([portfolio / "plans"], today=DAYS[0], jobs=1)
    for day in DAYS[1:6]:
        reads.clear()
        brought = check([portfolio / "plans"], today=day, jobs=1)
        assert f"checked on {day}" in [f.message for f in brought.findings]
        assert _findings(brought) == _findings(check([portfolio / "plans"], today=day, cache=False)), day
        valid = [p for p in plans if any(f.message == f"checked on {day}" and f.path.endswith(p)
                                         for f in brought.findings)]
        assert sorted(set(reads)) == sorted(set(reads) | set(valid))  # every plan the rule ran on was read


def _days(start: dt.date, n: int):
    return [start + dt.timedelta(days=k) for k in range(n)]


@pytest.mark.parametrize("months", [1, 6, 12])
@pytest.mark.parametrize("back", [0, 1])
def test_the_survey_window_and_its_span_match_the_calendar(months, back):
    """`within_months` says what `months_before` says, and holds on every day of the span it gives."""
    rng = random.Random(months * 10 + back)
    for _ in range(60):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 1200))
        for today in _days(day - dt.timedelta(days=40), 40 * months + 80)[::7]:
            clock = Clock(today)
            answer = clock.within_months(day, months, back)
            end = today
            for _ in range(back):
                end = months_before(end, months)
            assert answer == (months_before(end, months) < day <= end), (day, today)
            since, until = clock.span
            for other in {since, until - 1, (since + until) // 2}:
                if dt.date.min.toordinal() < other < dt.date(9000, 1, 1).toordinal():
                    assert Clock(dt.date.fromordinal(other)).within_months(day, months, back) == answer


def test_first_day_months_after_is_the_first_such_day():
    for day in _days(dt.date(2023, 12, 1), 800):
        for months in (1, 2, 12):
            first = first_day_months_after(day, months)
            assert months_before(first, months) >= day > months_before(first - dt.timedelta(days=1), months)


def test_counts_of_days_are_worded_for_the_day_they_are_read_on():
    clock = Clock(dt.date(2026, 12, 4), marked=True)
    due, renews = dt.date(2026, 12, 3), dt.date(2027, 1, 3)
    text = clock.dated(f"was due {due} ({clock.ago(due)}), renews {clock.ahead(renews)}")
    assert isinstance(text, DatedText) and text == "was due 2026-12-03 (1 day ago), renews in 30 days"
    assert DatedText(text.parts, dt.date(2026, 12, 10)) == "was due 2026-12-03 (7 days ago), renews in 24 days"
    assert DatedText(text.parts, dt.date(2027, 1, 2)) == "was due 2026-12-03 (30 days ago), renews in 1 day"
    assert DatedText(text.parts, dt.date(2026, 12, 3)) == "was due 2026-12-03 (today), renews in 31 days"
    assert DatedText(text.parts, dt.date(2027, 1, 3)) == "was due 2026-12-03 (31 days ago), renews today"
    assert clock.span == Clock(dt.date(2026, 12, 4)).span  # words alone hold on every day
    # a plan's own text that looks like a count of days stays as written
    assert clock.dated("\x1eago:2020-01-01\x1f") == "\x1eago:2020-01-01\x1f"


def _risk(folder: Path, day: dt.date, cache: bool) -> list:
    return _standing(folder, day, cache)[1]


def test_plans_read_again_in_parallel_on_a_far_day_get_that_day_s_signals(tmp_path, monkeypatch):
    """Read in worker processes on two far-apart days, the same plans fall into the same batches:
    what each batch's shard holds differs, so the second day must not find the first day's signals."""
    generate(tmp_path / "p", 40, seed=5, findings_pct=0)
    monkeypatch.setattr(_parallel, "PARALLEL_MIN", 1)
    check([tmp_path / "p" / "plans"], today=dt.date(2026, 11, 24), jobs=2)
    later = dt.date(2031, 6, 1)
    brought = check([tmp_path / "p" / "plans"], today=later, jobs=2)
    assert _findings(brought) == _findings(check([tmp_path / "p" / "plans"], today=later, cache=False))
    assert _risk(tmp_path / "p", later, cache=True) == _risk(tmp_path / "p", later, cache=False)


def test_two_portfolios_on_one_config_keep_their_own_signals(tmp_path):
    """Two copies of a repository (a worktree, a second clone) share the cache folder and config."""
    for name in ("one", "two"):
        (tmp_path / name / "plans").mkdir(parents=True)
        shutil.copy(EXAMPLES / "kaplan.yaml", tmp_path / name)
        shutil.copy(EXAMPLES / "plans" / "kestrel-freight.yaml", tmp_path / name / "plans")
    first, second = dt.date(2026, 11, 24), dt.date(2031, 6, 1)
    check([tmp_path / "one" / "plans"], today=first, jobs=1)
    check([tmp_path / "two" / "plans"], today=second, jobs=1)
    assert _risk(tmp_path / "one", first, cache=True) == _risk(tmp_path / "one", first, cache=False)
    assert _risk(tmp_path / "two", second, cache=True) == _risk(tmp_path / "two", second, cache=False)


def test_identical_plans_under_different_rule_settings_get_their_own_day_s_signals(tmp_path):
    folder = tmp_path / "p"
    (folder / "plans").mkdir(parents=True)
    (folder / "kaplan.yaml").write_text("kaplan: 1\noverrides:\n  - files: [plans/acme2.yaml]\n"
                                        "    rules: {action-overdue: 'off'}\n")
    text = ("kaplan: 1\naccount: {id: ACME, name: Acme}\nplan: {owner: Jo}\nactions:\n"
            "  - {id: a1, action: Call, owner: Jo, due: 2026-06-01, status: planned}\n")
    (folder / "plans" / "acme.yaml").write_text(text.replace("ACME", "acme"))
    (folder / "plans" / "acme2.yaml").write_text(text.replace("ACME", "acme"))
    check([folder / "plans"], today=dt.date(2026, 5, 1), jobs=1)
    later = dt.date(2026, 7, 1)
    check([folder / "plans"], today=later, jobs=1)
    # both claim one account, so only one named alone is counted: each in turn
    for name in ("acme.yaml", "acme2.yaml"):
        cold = _risk_of(folder / "plans" / name, later, cache=False)
        assert cold and _risk_of(folder / "plans" / name, later, cache=True) == cold


def test_identical_plans_whose_rules_work_out_fewer_days_ahead_get_each_day_s_signals(tmp_path):
    """Files of the same bytes share their signals in the cache; a file whose rules change daily has
    them worked out for fewer days ahead than a copy with those rules off. On each day, either one
    named alone has the signals a cold read gives it."""
    folder = tmp_path / "p"
    (folder / "plans" / "zz").mkdir(parents=True)
    (folder / "kaplan.yaml").write_text("kaplan: 1\noverrides:\n  - files: [plans/acme.yaml]\n"
                                        "    rules: {action-overdue: 'off'}\n")
    start = dt.date(2026, 12, 1)
    actions = "".join(f"  - {{id: a{k}, action: Call {k}, owner: Jo, due: {start + dt.timedelta(days=k)}, "
                      "status: planned}\n" for k in range(10))
    text = "kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Jo}\nactions:\n" + actions
    for name in ("acme.yaml", "zz/acme.yaml"):
        (folder / "plans" / name).write_text(text)
    check([folder / "plans"], today=start, jobs=1)
    for day in _days(start + dt.timedelta(days=1), 9):
        for name in ("acme.yaml", "zz/acme.yaml"):
            assert _risk_of(folder / "plans" / name, day, cache=True) == \
                _risk_of(folder / "plans" / name, day, cache=False), (day, name)


def _risk_of(plan: Path, day: dt.date, cache: bool) -> list:
    """What `risk` says of one plan file named alone."""
    return [(r.account_id, r.health.score, r.health.level, [(s.name, s.value, s.reason) for s in r.health.signals])
            for r in risk_report([plan], today=day, cache=cache).rows]


def test_a_high_risk_plan_names_the_reasons_of_the_day_as_a_cold_check_does(tmp_path):
    """The stale-high-risk finding names the account's first two health reasons. One of them (the
    renewal, weighted 3 here) loses more points every day: as the renewal nears it overtakes the
    others, and a check from the cache names what a cold check names, day by day."""
    folder = tmp_path / "portfolio"
    shutil.copytree(EXAMPLES, folder)
    plan = folder / "plans" / "aldergrove-health.yaml"
    plan.write_text(plan.read_text().replace("renewal_date: 2026-06-30", "renewal_date: 2027-03-01"))
    config = folder / "kaplan.yaml"
    config.write_text(config.read_text() + "\nhealth:\n  weights:\n    renewal: 3\n")

    def named(result) -> list[str]:
        return [f.message for f in result.findings if f.rule == "stale-high-risk" and "aldergrove" in f.path]

    said = set()
    check([folder / "plans"], today=dt.date(2026, 11, 20), jobs=1)
    for day in _days(dt.date(2026, 11, 21), 60):
        cached = named(check([folder / "plans"], today=day, jobs=1))
        assert cached == named(check([folder / "plans"], today=day, cache=False)), day
        said.add(any("contract renews" in m for m in cached))
    assert said == {True, False}  # the renewal was named on some days and not on others


def test_a_day_that_reads_many_plans_again_forks_its_workers_before_the_index_is_loaded(portfolio, monkeypatch):
    """A worker forked after the index is loaded holds its own copy of it (every page of it the worker
    touches becomes its own): on a day the last check's entries say many plans will be read again,
    the workers start first. On a day they say none will, none start."""
    from kaplan.reading import cache as _cache

    events: list = []
    monkeypatch.setattr(_parallel, "PARALLEL_MIN", 1)
    start, load, expected, put = (_parallel.Workers.start, _cache.SummaryCache.load,
                                  _cache.SummaryCache.reads_expected, _cache.SummaryCache.put)
    monkeypatch.setattr(_parallel.Workers, "start", lambda self: events.append("workers") or start(self))
    monkeypatch.setattr(_cache.SummaryCache, "load", lambda self: events.append("index") or load(self))
    monkeypatch.setattr(_cache.SummaryCache, "reads_expected",
                        lambda self, files: events.append(("expected", expected(self, files))) or expected(self, files))
    monkeypatch.setattr(_cache.SummaryCache, "put", lambda self, *a, **k: events.append("read") or put(self, *a, **k))
    read = _parallel.Workers.read
    monkeypatch.setattr(_parallel.Workers, "read",
                        lambda self, chunk: events.append(("handed", len(chunk))) or read(self, chunk))
    plans = len(list((portfolio / "plans").glob("*.yaml")))
    check([portfolio / "plans"], today=DAYS[0], jobs=2)
    assert events[:3] == [("expected", plans), "workers", "index"] and events.count("read") == plans
    for day in (DAYS[0], DAYS[0] + dt.timedelta(days=1), DAYS[0] + dt.timedelta(days=400),
                DAYS[0] - dt.timedelta(days=400)):
        cold = _findings(check([portfolio / "plans"], today=day, cache=False))
        for record in _cache.cache_dir().glob("last-check-*"):
            record.unlink()  # the check goes through the index
        events.clear()
        assert _findings(check([portfolio / "plans"], today=day, jobs=2)) == cold
        predicted = events[0][1]
        assert predicted == events.count("read")  # what the entries said is what was read
        before_index = events[:events.index("index")]
        early = sum(e[1] for e in before_index if type(e) is tuple and e[0] == "handed")
        if predicted:
            assert events[1] == "workers"
            if day > DAYS[0]:  # the plans whose entries stop holding by then were handed over at once
                assert early == predicted
        else:
            assert events[1] == "index" and "workers" not in events
    assert predicted > 0  # going back before the days the plans were read for
    # named files are some of those the index counts: their workers start as before, when needed
    events.clear()
    score_portfolio([sorted((portfolio / "plans").glob("*.yaml"))[0]], today=DAYS[0] + dt.timedelta(days=800))
    assert events[0] == "index" and not any(type(e) is tuple and e[0] == "expected" for e in events)  # not counted, not first


def test_the_days_kept_for_one_version_of_the_index_say_nothing_of_another(portfolio):
    from kaplan.reading import cache as _cache
    from kaplan.reading import fingerprint as _fingerprint
    from kaplan.reading.loader import open_portfolio

    check([portfolio / "plans"], today=DAYS[0], jobs=1)
    pf = open_portfolio(portfolio)
    far = DAYS[0] + dt.timedelta(days=2000)
    plans = len(list((portfolio / "plans").glob("*.yaml")))
    assert _cache.SummaryCache(pf.root, pf.config, far, load=False).reads_expected(plans) > 0
    (ends,) = _cache.cache_dir().glob(f"details-*/{_cache.ENDS}")
    ends.unlink()  # as after an upgrade: the index is another build's, this build has kept no count
    assert _cache.SummaryCache(pf.root, pf.config, far, load=False).reads_expected(plans) == plans
    for record in _cache.cache_dir().glob("last-check-*"):
        record.unlink()
    check([portfolio / "plans"], today=DAYS[0], jobs=2)  # reads nothing again, and keeps the count
    assert ends.exists()
    assert _cache.SummaryCache(pf.root, pf.config, DAYS[0], load=False).reads_expected(plans) == 0
    (index,) = _cache.cache_dir().glob("check-*")
    doc = _fingerprint.read_json(index)
    doc["entries"].popitem()  # another version of the index
    _fingerprint.write_json(index, doc)
    assert _cache.SummaryCache(pf.root, pf.config, far, load=False).reads_expected(plans) == 0
    index.unlink()
    assert _cache.SummaryCache(pf.root, pf.config, far, load=False).reads_expected(plans) == plans
    index.mkdir()  # a folder in its place: no index
    assert _cache.SummaryCache(pf.root, pf.config, far, load=False).reads_expected(plans) == plans
    assert _findings(check([portfolio / "plans"], today=far, jobs=2)) == \
        _findings(check([portfolio / "plans"], today=far, cache=False))


def test_files_the_kept_days_name_are_read_only_if_they_are_plans_of_the_portfolio(portfolio, tmp_path, monkeypatch):
    """What the last run left (`ENDS`) only says which plans to hand to the workers first: a file it
    names outside the portfolio, or one that is gone, is never read; a plan it names whose entry holds
    today is read again, and found the same."""
    from kaplan.reading import cache as _cache
    from kaplan.reading.loader import open_portfolio

    outside = tmp_path / "outside.yaml"
    outside.write_text((portfolio / "plans" / sorted(p.name for p in (portfolio / "plans").glob("*.yaml"))[0])
                       .read_text())
    check([portfolio / "plans"], today=DAYS[0], jobs=1)
    pf = open_portfolio(portfolio)
    (folder,) = _cache.cache_dir().glob("details-*")
    tag = _cache.claimed_tag(next(_cache.cache_dir().glob("check-*")))
    plans = sorted(str(p) for p in (portfolio / "plans").glob("*.yaml"))
    link = portfolio / "plans" / "zz-link.yaml"
    link.symlink_to(outside)  # a plan file that leads out of the portfolio
    named = [str(outside), str(portfolio / "plans" / "gone.yaml"), str(link), plans[0]]
    assert _cache._write_part(folder, _cache.ENDS, json.dumps(
        {"base": tag, "ends": [[DAYS[0].toordinal(), named * 100]], "starts": []}).encode())
    store = _cache.SummaryCache(pf.root, pf.config, DAYS[0], load=False)
    assert store.reads_expected(len(plans)) == len(plans)  # (no more than there are files)
    plans.append(str(link))
    monkeypatch.setattr(_parallel, "PARALLEL_MIN", 1)
    log = tmp_path / "read.log"
    read = _parallel.read_and_summarise

    def logged(path, *args):  # (in the workers too: they are forked with it)
        with open(log, "a") as fh:
            fh.write(f"{path}\n")
        return read(path, *args)

    monkeypatch.setattr(_parallel, "read_and_summarise", logged)
    for record in _cache.cache_dir().glob("last-check-*"):
        record.unlink()
    result = check([portfolio / "plans"], today=DAYS[0], jobs=2)
    assert log.read_text().splitlines() == [plans[0]]
    assert result.files == len(plans)
    assert [f.rule for f in result.findings if f.path.endswith("zz-link.yaml")] == ["outside-portfolio"]
    assert _findings(result) == _findings(check([portfolio / "plans"], today=DAYS[0], cache=False))


def test_workers_started_for_a_reading_that_fails_before_it_begins_are_stopped(portfolio, monkeypatch):
    import multiprocessing

    from kaplan.reading import cache as _cache

    monkeypatch.setattr(_parallel, "PARALLEL_MIN", 1)
    check([portfolio / "plans"], today=DAYS[0], jobs=2)

    def interrupted(self):
        assert multiprocessing.active_children()  # the workers were started first
        raise KeyboardInterrupt

    monkeypatch.setattr(_cache.SummaryCache, "load", interrupted)
    with pytest.raises(KeyboardInterrupt):
        check([portfolio / "plans"], today=DAYS[0] + dt.timedelta(days=2000), jobs=2)
    assert not multiprocessing.active_children()


def test_a_worker_ends_quietly_on_ctrl_c(capfd):
    """Ctrl-C reaches every process of the terminal's group: a worker ends at once, without a traceback
    of its own, and never waits for the process that started it to stop it (which may not get to)."""
    import os
    import signal
    import time

    # as a terminal starts kaplan: a test run started in the background (`nohup … &`) ignores SIGINT,
    # and so, by design, would the workers
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    workers = _parallel.Workers([], None, DAYS[0], None, 2)
    workers.start()
    try:
        pids = {workers._pool.submit(os.getpid).result() for _ in range(8)}
        for pid in pids:
            os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + 20
        while any(_running(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_running(p) for p in pids)
    finally:
        workers.close()
        signal.signal(signal.SIGINT, previous)
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel ends a worker with its parent on Linux only")
def test_workers_end_when_the_process_that_started_them_is_killed(tmp_path):
    """`timeout`, or a cancelled CI job, ends kaplan with a signal that leaves it no time to stop its
    workers: they must not live on."""
    import os
    import subprocess
    import time

    script = tmp_path / "starter.py"
    script.write_text(
        "import datetime, os, sys, time\n"
        "from kaplan.reading.parallel import Workers\n"
        "w = Workers([], None, datetime.date(2026, 1, 1), None, 2)\n"
        "w.start()\n"
        "pids = {w._pool.submit(os.getpid).result() for _ in range(8)}\n"
        "print(' '.join(map(str, pids)), flush=True)\n"
        "time.sleep(60)\n")
    starter = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in starter.stdout.readline().split()]
    assert pids
    starter.kill()
    starter.wait()
    deadline = time.monotonic() + 20
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [p for p in pids if _running(p)]
    assert not alive


def test_the_plans_of_a_worker_that_died_are_read_all_the_same(portfolio, monkeypatch):
    """A worker killed while it reads (by the out-of-memory killer, say) leaves its plans, and those of
    the pool it broke, to be read by the process that started it: the same findings, no traceback."""
    import os
    import signal

    plans = sorted(str(p) for p in (portfolio / "plans").glob("*.yaml"))
    read, parent = _parallel.read_and_summarise, os.getpid()

    def dies_on_the_first_plan(path, *args):
        if os.getpid() != parent and str(path) == plans[0]:  # a worker
            os.kill(os.getpid(), signal.SIGKILL)
        return read(path, *args)

    monkeypatch.setattr(_parallel, "PARALLEL_MIN", 1)
    monkeypatch.setattr(_parallel, "read_and_summarise", dies_on_the_first_plan)
    for day in (DAYS[0], DAYS[5]):
        assert _findings(check([portfolio / "plans"], today=day, jobs=2)) == \
            _findings(check([portfolio / "plans"], today=day, cache=False, jobs=1))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups and /proc as on Linux")
def test_a_check_started_with_ctrl_c_ignored_ignores_it_in_its_workers_too(tmp_path):
    """A background job of a script starts with SIGINT ignored: a Ctrl-C to its group must not end
    kaplan's workers either (they ended, and the pool they broke ended kaplan with a traceback)."""
    import os
    import signal
    import subprocess
    import time

    from _proc import kaplan_command

    folder = tmp_path / "portfolio"
    generate(folder, 260, seed=3, findings_pct=25)  # enough for workers (`PARALLEL_MIN`)
    args = kaplan_command() + ["--no-cache", "check", "--today", "2026-11-24", "--format", "json"]
    quiet = subprocess.run(args, cwd=folder, capture_output=True, text=True)
    with open(tmp_path / "out", "w+") as out, open(tmp_path / "err", "w+") as err:  # (a pipe could fill)
        ignoring = subprocess.Popen(args, cwd=folder, stdout=out, stderr=err, start_new_session=True,
                                    preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        deadline = time.monotonic() + 60
        while ignoring.poll() is None and time.monotonic() < deadline:
            try:
                os.killpg(ignoring.pid, signal.SIGINT)
            except ProcessLookupError:
                break
            time.sleep(0.02)
        ignoring.wait(timeout=60)
    assert "Traceback" not in (tmp_path / "err").read_text()
    assert (ignoring.returncode, (tmp_path / "out").read_text()) == (quiet.returncode, quiet.stdout)


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_read_on_a_python_built_without_ctypes(monkeypatch):
    """Ending with the parent is a nicety where the system offers it, never a condition."""
    import os

    monkeypatch.setitem(sys.modules, "ctypes", None)  # `import ctypes` fails, in the workers too
    workers = _parallel.Workers([], None, DAYS[0], None, 2)
    workers.start()
    try:
        assert workers._pool.submit(os.getpid).result() != os.getpid()
    finally:
        workers.close()


@pytest.mark.parametrize("part", ["check-", "last-check-"])
def test_a_sealed_cache_file_nested_too_deep_to_parse_is_one_that_cannot_be_read(portfolio, part):
    from kaplan.reading import cache as _cache
    from kaplan.reading import fingerprint as _fingerprint

    day = DAYS[0]
    first = _findings(check([portfolio / "plans"], today=day, jobs=1))
    (path,) = _cache.cache_dir().glob(f"{part}*")
    _fingerprint.write_sealed(path, b"[" * 200_000 + b"]" * 200_000)
    if part == "check-":
        for record in _cache.cache_dir().glob("last-check-*"):
            record.unlink()  # the check goes through the index
    assert _findings(check([portfolio / "plans"], today=day, jobs=1)) == first


def test_findings_kept_ahead_as_the_first_day_s_stay_right_when_brought_forward_twice():
    """The text of the days ahead names the first day's findings by their places in the core (-1, -2):
    brought forward to a later day, whose core has other findings, it still gives the first day's."""
    from kaplan.reading.summary import advanced

    a, b, c = ([1, 1, "r", "warning", text, None] for text in ("first", "second", "new"))
    core = [None] * 16
    core[12] = [a, b]
    ahead = json.dumps({"f": [c], "c": [[10, [-1, 0], None, None], [12, [-2, -1], None, None]]})
    on_10, since, rest, next_day = advanced(core, ahead, 10)
    assert (on_10[12], since, next_day) == ([a, c], 10, 12)
    on_12, since, rest, next_day = advanced(on_10, rest, 12)
    assert (on_12[12], since, rest, next_day) == ([b, a], 12, None, None)
    assert advanced(core, ahead, 13)[0][12] == [b, a]  # both days at once


@pytest.mark.parametrize("place", [True, 1.0, "0", None])
def test_a_kept_text_of_the_days_ahead_with_a_place_that_is_not_a_whole_number_is_not_used(place):
    """A cache text the writer would never make (JSON's `true` passes for 1 as a list index) is refused,
    so the plan is read again rather than shown with another finding."""
    from kaplan.reading.summary import advanced

    a, b = ([1, 1, "r", "warning", text, None] for text in ("first", "second"))
    core = [None] * 16
    core[12] = [a]
    with pytest.raises((ValueError, TypeError)):
        advanced(core, json.dumps({"f": [b], "c": [[10, [place], None, None]]}), 10)
    with pytest.raises((ValueError, TypeError)):  # in a change still ahead, too
        advanced(core, json.dumps({"f": [b], "c": [[10, [0], None, None], [12, [place], None, None]]}), 10)
