"""The reliability figures in the README, measured afresh:

    python bench/reliability.py          # the hostile corpus, fuzzing at every-run size, writes (~2 min)
    python bench/reliability.py --long   # the same with the long fuzzing run (~30 min)
    python bench/reliability.py --imports  # only the import bombs (5.)
    python bench/reliability.py --history  # only the history reads (6.)

1. hostile inputs: every case of tests/hostile/ run through the real `kaplan check` in its own
   process, with its time on the clock, its CPU time and peak resident memory (os.wait4); cases still waiting for a fix
   (corpus.pending()), if any, are reported as they stand;
2. fuzzing: the properties of tests/test_fuzz.py, with the number of examples run and failed;
3. round trip: load + dump of every example plan, examples/kaplan.yaml and the template output;
4. writes: a writer SIGKILLed before its rename and at random moments, and `kaplan new` races;
5. import bombs: the worst exports `kaplan import` is given (a zip bomb of shared strings, a CSV
   that makes `csv.Sniffer` work in the square of its length, 64 MiB of one-letter fields, a
   workbook that unpacks to 300 MB), each with its CPU time, peak memory and exit code;
6. history: `kaplan risk --since` on a revision holding a 1.5 GB plan (git stores it in about 1.7
   MB) and on one holding 20,000 small plans (`MAX_PLANS_AT`), and `kaplan report --all` over 150
   accounts each reviewed on its own day (150 revisions to compare with), each with its CPU time,
   peak memory and exit code.

Needs the test dependencies (`pip install '.[test]'`). Exit code 1 when any figure is not clean.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "hostile")]

import corpus  # noqa: E402
from _proc import measured  # noqa: E402

TODAY = "2026-11-24"


def hostile(timeout: float) -> tuple[bool, list[str]]:
    rows, slowest, cpu, largest, bad, tracebacks = [], (0.0, ""), (0.0, ""), (0.0, ""), [], 0
    for case in corpus.all_cases():
        ok, seconds, cpu_seconds, rss, tb = _run_case(case, timeout)
        tracebacks += tb
        if not ok:
            bad.append(case.id)
        slowest = max(slowest, (seconds, case.id))
        cpu = max(cpu, (cpu_seconds, case.id))
        largest = max(largest, (rss, case.id))
    n = len(corpus.all_cases())
    rows.append(f"hostile inputs: {n} cases, {n - len(bad)} with exit 1 and the expected finding at the expected "
                f"line, {tracebacks} tracebacks")
    rows.append(f"  slowest {slowest[0]:.2f} s ({slowest[1]}); most CPU {cpu[0]:.2f} s ({cpu[1]}); "
                f"largest peak memory {largest[0]:.0f} MB "
                f"({largest[1]})")
    if bad:
        rows.append(f"  not as expected: {', '.join(bad)}")
    pending = []
    for case in corpus.pending():
        ok, seconds, cpu_seconds, rss, tb = _run_case(case, min(timeout, 10.0))
        pending.append(f"{case.id} {'now as expected' if ok else 'not yet'}")
    if pending:
        rows.append(f"  waiting for a fix ({len(pending)}): {'; '.join(pending)}")
    return not bad and tracebacks == 0, rows


def _run_case(case, timeout: float) -> tuple[bool, float, float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        portfolio = Path(tmp) / "portfolio"
        rel = case.prepare(portfolio)
        args = ["check", "--today", TODAY, "--format", "json"] + ([] if case.whole else [str(rel)])
        m = measured(args, portfolio, timeout=timeout, env={"KAPLAN_CACHE_DIR": str(Path(tmp) / "cache")})
        tb = int("Traceback" in m.stdout + m.stderr)
        try:
            findings = json.loads(m.stdout)["findings"]
        except ValueError:
            return False, m.seconds, m.cpu_seconds, m.peak_rss_mb, tb
        named = str(Path("plans") / case.file)
        hits = [f for f in findings if f["path"] == named and f["rule"] == case.rule
                and case.line in (None, f["line"]) and case.column in (None, f["column"])]
        ok = (m.exit_code == 1 and not m.timed_out and bool(hits) and not tb
              and not (portfolio / corpus.MARKER).exists() and corpus.SECRET not in m.stdout + m.stderr)
        return ok, m.seconds, m.cpu_seconds, m.peak_rss_mb, tb


def fuzz(long: bool) -> tuple[bool, list[str]]:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    import fuzz_strategies as fs
    import test_fuzz as tf

    plans = [p.read_text(encoding="utf-8") for p in fs.EXAMPLE_PLANS]
    properties = [
        ("yamlish", tf._yamlish, {"text": fs.yamlish}),
        ("bytes", tf._bytes, {"raw": st.binary(max_size=400)}),
        ("noise_after_head", tf._noise_after_head, {"text": fs.yamlish}),
        ("mutated", tf._mutated, {"text": fs.mutated_plans()}),
        ("line_edits", tf._line_edits, {"text": fs.text_mutations()}),
        ("valid", tf._valid, {"plan": fs.valid_plans()}),
        ("writer", tf._writer, {"text": st.one_of(fs.text_mutations(), fs.mutated_plans(), fs.yamlish)}),
        ("writer", tf._writer_edits, {"text": st.one_of(fs.text_mutations(), st.sampled_from(plans)),
                                      "data": st.data()}),
    ]
    total, failures, rows = 0, [], []
    with tempfile.TemporaryDirectory() as tmp:
        portfolio = Path(tmp)
        (portfolio / "kaplan.yaml").write_text(tf.CONFIG, encoding="utf-8")
        (portfolio / "plans").mkdir()
        os.environ["KAPLAN_CACHE_DIR"] = str(portfolio / "cache")
        for key, prop, strategies in properties:
            n = tf.EXAMPLES[key][1 if long else 0]
            count = [0]

            def counted(*args, _prop=prop, **kwargs):
                count[0] += 1
                return _prop(*args, **kwargs)

            counted.__signature__ = inspect.signature(prop)
            base = tf.LONG if long else tf.CI
            test = settings(base, max_examples=n, database=None)(given(**strategies)(counted))
            try:
                test(portfolio=portfolio) if "portfolio" in inspect.signature(prop).parameters else test()
            except Exception as exc:  # a property failed: report it, keep measuring the rest
                failures.append(f"{prop.__name__}: {str(exc).splitlines()[0][:200]}")
            total += count[0]
        for path in fs.EXAMPLE_PLANS:
            tf.assert_round_trips(portfolio, path.read_text(encoding="utf-8"), path.name)
            total += 1
    rows.append(f"fuzzing ({'long run' if long else 'every-run size'}): {total:,} examples over "
                f"{len(properties)} properties, {len(failures)} failures")
    rows += [f"  {f}" for f in failures]
    return not failures, rows


def round_trip() -> tuple[bool, list[str]]:
    from kaplan.writing import roundtrip as rt
    from kaplan.commands.new import render_plan

    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted((REPO / "examples" / "plans").glob("*.yaml"))}
    texts["kaplan.yaml"] = (REPO / "examples" / "kaplan.yaml").read_text(encoding="utf-8")
    for name in ("Acme", "O'Brien & Co: \"Ltd\" #1", "Café Ünïcode 日本 🚀"):
        texts[f"template ({name})"] = render_plan("acme", name=name, owner="Jo Owner", today=dt.date(2026, 11, 24))
    same = [n for n, t in texts.items() if rt.dump(rt.load(t)) == t]
    one_line = 0
    for name, text in texts.items():
        if name.endswith(".yaml") and name != "kaplan.yaml":
            new = rt.edit_text(text, ("plan", "last_reviewed"), dt.date(2027, 1, 1))
            one_line += sum(a != b for a, b in zip(text.splitlines(), new.splitlines())) == 1
    plans = sum(1 for n in texts if n.endswith(".yaml") and n != "kaplan.yaml")
    rows = [f"round trip: {len(same)}/{len(texts)} files byte-identical after load + dump "
            f"({plans} example plans, examples/kaplan.yaml, {len(texts) - plans - 1} template outputs); "
            f"an edit of last_reviewed changed exactly one line in {one_line}/{plans} plans"]
    return len(same) == len(texts) and one_line == plans, rows


def writes() -> tuple[bool, list[str]]:
    import test_write_safety as ws

    survived = kills = partial = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for moment in ("before-rename", "mid-write"):
            plan = tmp / "acme.yaml"
            plan.write_text(ws.OLD)
            proc = ws.start_writer(tmp, str(plan), moment)
            ws.wait_for(proc, "paused")
            ws.kill(proc)
            kills += 1
            survived += plan.read_text() == ws.OLD
            for leftover in tmp.glob(".acme.yaml.*.tmp"):
                leftover.unlink()
        a, b = ws.big_text("a"), ws.big_text("b")
        (tmp / "a.txt").write_text(a)
        (tmp / "b.txt").write_text(b)
        plan = tmp / "acme.yaml"
        plan.write_text(a)
        rnd = random.Random(1)
        for _ in range(30):
            proc = ws.start_writer(tmp, str(plan), "loop", str(tmp / "a.txt"), str(tmp / "b.txt"))
            ws.wait_for(proc, "started")
            time.sleep(rnd.uniform(0.0, 0.25))
            ws.kill(proc)
            kills += 1
            survived += plan.read_text() in (a, b)
            leftovers = list(tmp.glob(".acme.yaml.*.tmp"))
            partial += any(p.stat().st_size < len(a) for p in leftovers)
            for leftover in leftovers:
                leftover.unlink()
    races = _races(10)
    rows = [f"kill during write: {survived}/{kills} SIGKILLed writers left one complete version "
            f"({partial} killed while their temporary file was half written)",
            f"concurrent kaplan new: {races}/10 races of two processes had exactly one winner and a complete file"]
    return survived == kills and races == 10, rows


def _races(rounds: int) -> int:
    import subprocess

    from _proc import kaplan_command

    from kaplan.reading.loader import load_plan

    good = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(rounds):
            folder = Path(tmp) / f"round-{i}"
            folder.mkdir()
            procs = [subprocess.Popen(kaplan_command() + ["new", "acme", "--owner", f"Racer {who}", "--today", TODAY],
                                      cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for who in "AB"]
            codes = sorted(p.wait(timeout=60) for p in procs)
            for p in procs:
                p.communicate()
            # complete: a valid plan whose owner is one of the two racers (the template's comments
            # name the owner too, so the text is not counted)
            plan = load_plan(folder / "plans" / "acme.yaml").plan
            good += codes == [0, 1] and plan is not None and plan.plan.owner in ("Racer A", "Racer B")
    return good


IMPORT_PLAN = "kaplan: 1\naccount:\n  id: acme\n  name: Acme\nplan:\n  owner: Jo Owner\n"


def _import_bombs(folder: Path) -> dict[str, Path]:
    """The exports: each a file `kaplan import` must refuse (or read) within its bounds."""
    import io
    import zipfile

    import openpyxl

    made = {}
    book = openpyxl.Workbook()
    book.active.append(["account", "period", "revenue"])
    book.active.append(["acme", "2026-Q2", 100])
    plain = io.BytesIO()
    book.save(plain)

    def workbook(name: str, part: str, data: bytes) -> Path:
        src = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            for info in src.infolist():
                body = src.read(info.filename)
                if info.filename == "[Content_Types].xml" and part == "xl/sharedStrings.xml":
                    # declared, so openpyxl reads the table as it would Excel's
                    body = body.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                        b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings'
                                        b'+xml"/></Types>')
                if info.filename != part:
                    z.writestr(info.filename, body)
            z.writestr(part, data)
        (folder / name).write_bytes(out.getvalue())
        return folder / name

    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    made["xlsx: 10,000,000 shared strings"] = workbook("strings.xlsx", "xl/sharedStrings.xml",
                                                       sst + b"<si><t>a</t></si>" * 10_000_000 + b"</sst>")
    made["xlsx: a part of 300 MB of zeros"] = workbook("zeros.xlsx", "xl/media/image1.png", bytes(300_000_000))
    made["xlsx: 499,999 shared strings (read: under every limit)"] = workbook(
        "strings-under.xlsx", "xl/sharedStrings.xml",
        sst + b"".join(b"<si><t>%06x</t></si>" % (i * 7919 % 16777216) for i in range(499_999)) + b"</sst>")
    head = b"".join(b'<c t="inlineStr"><is><t>column %d</t></is></c>' % i for i in range(40))
    body = b"".join(b"<row>" + b"".join(b"<c><v>%d</v></c>" % ((n * 40 + j) * 7919 % 10**9) for j in range(40))
                    + b"</row>" for n in range(49_999))
    made["xlsx: a sheet of 50,000 rows of 40 numbers (read: under every limit)"] = workbook(
        "cells.xlsx", "xl/worksheets/sheet1.xml",
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row>' + head
        + b"</row>" + body + b"</sheetData></worksheet>")
    wide = b"".join(b"<c><v>%d</v></c>" % (i * 7919 % 1_000_003) for i in range(1_000_000))
    made["xlsx: one row of a million cells"] = workbook(
        "wide.xlsx", "xl/worksheets/sheet1.xml",
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row>' + head
        + b"</row><row>" + wide + b"</row></sheetData></worksheet>")
    made["csv: 64 KB of ',"] = folder / "sniff.csv"
    made["csv: 64 KB of ',"].write_text("',"  * 32_768, encoding="utf-8")
    line = "a," * 31 + "a\n"
    made["csv: 32 MiB of one-letter fields"] = folder / "fields.csv"
    made["csv: 32 MiB of one-letter fields"].write_text(line * ((32 * 1048576 - 1) // len(line)), encoding="utf-8")
    cell = "abcdefghijklmnopqrstuvwxyz012345"
    line = ",".join([cell] * 19) + "\n"
    made["csv: 32 MiB of 990,000 32-letter fields (read: under every limit)"] = folder / "under.csv"
    made["csv: 32 MiB of 990,000 32-letter fields (read: under every limit)"].write_text(
        line * (990_000 // 19), encoding="utf-8")
    short = "ab," * 39 + "ab\n"
    made["csv: 1,999,960 two-letter fields (read: under every limit)"] = folder / "short.csv"
    made["csv: 1,999,960 two-letter fields (read: under every limit)"].write_text(
        short * (1_999_960 // 40), encoding="utf-8")
    return made


def import_bombs(timeout: float) -> tuple[bool, list[str]]:
    rows, clean = [], True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "plans").mkdir()
        (folder / "kaplan.yaml").write_text("kaplan: 1\nplans: plans\n")
        (folder / "plans" / "acme.yaml").write_text(IMPORT_PLAN)
        for label, path in _import_bombs(folder).items():
            m = measured(["import", path.name, "--as", "financials", "--dry-run"], folder, timeout=timeout,
                         env={"KAPLAN_CACHE_DIR": str(folder / "cache")})
            tb = "Traceback" in m.stdout + m.stderr
            clean &= m.exit_code == 1 and not m.timed_out and not tb
            said = next((line for line in m.stderr.splitlines() if "error [" in line), "")
            rows.append(f"import {label} ({path.stat().st_size / 1024:,.0f} KB): exit {m.exit_code}, "
                        f"{m.cpu_seconds:.2f} s CPU, {m.peak_rss_mb:.0f} MB peak{' TIMED OUT' if m.timed_out else ''}"
                        f"{' TRACEBACK' if tb else ''}; {said.split('] ', 1)[-1][:120]}")
    return clean, rows


def _git(folder: Path, *args: str, date: str = "2026-11-01T10:00:00") -> None:
    import subprocess

    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-c", "user.name=B", "-c", "user.email=b@example.invalid", *args], cwd=folder,
                   check=True, capture_output=True, env=env)


def history(timeout: float) -> tuple[bool, list[str]]:
    plan = "kaplan: 1\naccount: {{id: {id}, name: {id}}}\nplan: {{owner: Sam}}\n"
    rows, clean = [], True
    with tempfile.TemporaryDirectory() as tmp:
        for label, expected in (("a 1.5 GB plan, deleted in the next commit", 1),
                                ("20,000 small plans (the most it reads), deleted in the next commit", 0)):
            folder = Path(tmp) / str(len(rows))
            (folder / "plans").mkdir(parents=True)
            (folder / "kaplan.yaml").write_text("plans: plans\n")
            (folder / "plans" / "acme.yaml").write_text(plan.format(id="acme"))
            _git(folder, "init", "-q")
            _git(folder, "add", "-A")
            _git(folder, "commit", "-qm", "acme")
            if expected:
                with (folder / "plans" / "big.yaml").open("wb") as out:
                    out.write(plan.format(id="big").encode() + b"# ")
                    for _ in range(1536):
                        out.write(b"x" * 2**20)
            else:
                for n in range(19_999):  # and acme
                    (folder / "plans" / f"f{n:05d}.yaml").write_text(plan.format(id=f"f{n:05d}"))
            _git(folder, "add", "-A")
            _git(folder, "commit", "-qm", "many")
            _git(folder, "rm", "-rq", "plans")
            (folder / "plans").mkdir()
            (folder / "plans" / "acme.yaml").write_text(plan.format(id="acme"))
            _git(folder, "add", "-A")
            _git(folder, "commit", "-qm", "gone")
            m = measured(["risk", "--since", "HEAD~1", "--today", TODAY], folder, timeout=timeout,
                         env={"KAPLAN_NO_CACHE": "1"})
            tb = "Traceback" in m.stdout + m.stderr
            clean &= m.exit_code == expected and not m.timed_out and not tb
            said = next((line for line in m.stderr.splitlines() if line.startswith("kaplan:")), "")
            rows.append(f"risk --since, {label}: exit {m.exit_code}, {m.cpu_seconds:.2f} s CPU, "
                        f"{m.seconds:.1f} s, {m.peak_rss_mb:.0f} MB peak{' TIMED OUT' if m.timed_out else ''}"
                        f"{' TRACEBACK' if tb else ''}; {said[:140]}")
        m, tb = _packs_over_many_reviews(Path(tmp) / "reviews", timeout)
        clean &= m.exit_code == 0 and not m.timed_out and not tb
        rows.append(f"report --all, {REVIEWED:,} plans each reviewed on its own day (a commit a day), all changed "
                    f"since: exit {m.exit_code}, {m.cpu_seconds:.2f} s CPU, {m.seconds:.1f} s, {m.peak_rss_mb:.0f} MB "
                    f"peak{' TIMED OUT' if m.timed_out else ''}{' TRACEBACK' if tb else ''}")
    return clean, rows


REVIEWED = 150


def _packs_over_many_reviews(folder: Path, timeout: float):
    """Every account's pack, each compared with the revision of its own last review: one revision a
    day, each adding one plan reviewed that day (30 actions each), then every plan changed."""
    import datetime as dt

    (folder / "plans").mkdir(parents=True)
    (folder / "kaplan.yaml").write_text("plans: plans\n")
    _git(folder, "init", "-q")
    actions = "".join(f"  - {{id: a{a}, action: Do {a}, owner: Sam, due: 2026-12-01}}\n" for a in range(30))
    for i in range(REVIEWED):
        day = (dt.date(2026, 1, 1) + dt.timedelta(days=i)).isoformat()
        (folder / "plans" / f"p{i:03d}.yaml").write_text(
            f"kaplan: 1\naccount: {{id: p{i:03d}, name: P{i:03d}}}\nplan: {{owner: Sam, last_reviewed: {day}}}\n"
            f"actions:\n{actions}")
        _git(folder, "add", "-A", date=f"{day}T12:00:00")
        _git(folder, "commit", "-qm", f"p{i:03d}", date=f"{day}T12:00:00")
    for path in (folder / "plans").iterdir():
        path.write_text(path.read_text().replace("owner: Sam, last", "owner: Kim, last"))
    _git(folder, "commit", "-qam", "owners", date="2026-11-01T12:00:00")
    m = measured(["report", "--all", "-f", "md", "--out", str(folder / "packs"), "--today", TODAY], folder,
                 timeout=timeout, env={"KAPLAN_NO_CACHE": "1"})
    return m, "Traceback" in m.stdout + m.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="run the long fuzzing run")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds on the clock before a hostile case is stopped")
    parser.add_argument("--imports", action="store_true", help="measure only the import bombs")
    parser.add_argument("--history", action="store_true", help="measure only the history reads")
    args = parser.parse_args()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    started = time.monotonic()
    clean = True
    parts = [lambda: hostile(args.timeout), lambda: fuzz(args.long), round_trip, writes]
    chosen = [] if args.history else [lambda: import_bombs(args.timeout)]
    if not (args.imports or args.history):
        chosen = parts + chosen
    for part in chosen + ([] if args.imports else [lambda: history(args.timeout)]):
        ok, rows = part()
        clean &= ok
        for row in rows:
            print(row, flush=True)
    print(f"({time.monotonic() - started:.0f} s, Python {sys.version.split()[0]}, {sys.platform})")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
