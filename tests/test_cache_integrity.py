"""The cache is private and authenticated: others cannot read it, and cannot forge a clean answer.

The cache holds what plans say (contact names among it), and `kaplan check` trusts it to skip
reading unchanged plans. So every file in it is this user's only (0600, folders 0700), and every
file carries an HMAC tag made with a key that only this user can read, kept outside the cache
folder: someone who can write the cache folder (a shared CI cache, a wrong KAPLAN_CACHE_DIR) can
delete entries, never make kaplan believe one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from pathlib import Path

import pytest

from conftest import TODAY, dedent

DAY = TODAY.isoformat()
CLEAN = dedent("""
    kaplan: 1
    account:
      id: acme
      name: Acme
    relationships:
      contacts:
        - {id: jo, name: Jo Secret-Contact}
    plan:
      owner: Jo Owner
""")
BROKEN = CLEAN.replace("  name: Acme\n", "  name: Acme\n  secter: Retail\n")


@pytest.fixture
def portfolio(tmp_path, monkeypatch):
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(CLEAN)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cache_folder() -> Path:
    return Path(os.environ["KAPLAN_CACHE_DIR"])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_cache_file_is_the_user_s_only(kaplan, portfolio):
    assert kaplan("check", "--today", DAY).exit_code == 0
    assert kaplan("risk", "--today", DAY).exit_code == 0  # writes the plans' details too
    files = [p for p in cache_folder().rglob("*") if p.is_file()]
    folders = [cache_folder()] + [p for p in cache_folder().rglob("*") if p.is_dir()]
    assert any(p.parent.name.startswith("details-") for p in files)  # what plans say, in part
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    assert {p.name: mode(p) for p in folders} == {p.name: 0o700 for p in folders}
    key = Path(os.environ["KAPLAN_CACHE_KEY"])
    assert mode(key) == 0o600 and cache_folder() not in key.parents


def test_kaplan_s_own_cache_folder_others_could_read_is_made_private(kaplan, portfolio, tmp_path, monkeypatch):
    monkeypatch.delenv("KAPLAN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    own = tmp_path / "xdg" / "kaplan"
    own.mkdir(parents=True)
    own.chmod(0o755)  # made by an older kaplan, or by hand
    assert kaplan("check", "--today", DAY).exit_code == 0
    assert mode(own) == 0o700


@pytest.mark.parametrize("where", ["project", "cwd"])
def test_a_cache_dir_the_user_names_is_never_chmodded_when_it_exists(kaplan, portfolio, tmp_path, monkeypatch,
                                                                     where):
    """`KAPLAN_CACHE_DIR=.` (or any project folder) must not become 0700: others lose access to it."""
    folder = portfolio if where == "cwd" else tmp_path / "shared"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o755)
    monkeypatch.setenv("KAPLAN_CACHE_DIR", "." if where == "cwd" else str(folder))
    monkeypatch.setenv("KAPLAN_CACHE_KEY", "cache-key" if where == "cwd" else str(folder / "cache-key"))
    assert kaplan("check", "--today", DAY).exit_code == 0
    assert mode(folder) == 0o755
    written = [p for p in folder.iterdir() if p.is_file() and p.suffix == ".json" or p.name == "cache-key"]
    assert written and all(mode(p) == 0o600 for p in written)  # kaplan's own files in it stay private
    new = tmp_path / "new-cache"
    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(new))
    assert kaplan("check", "--today", DAY).exit_code == 0
    assert mode(new) == 0o700  # one kaplan creates is private


def forge(new_plan: bytes, tag=None) -> None:
    """What someone who can write the cache folder (but not read the key) can do: take kaplan's own
    record of a clean check and make it claim that the plan as it is now was checked clean."""
    digest = hashlib.sha256(new_plan).hexdigest()[:32]
    for path in cache_folder().glob("*.json"):
        raw = path.read_bytes()
        # whatever kaplan put before the JSON dropped; a record is its header's line, its body's, and
        # a line of findings for each plan
        docs = [json.loads(line) for line in raw[raw.index(b"{"):].split(b"\n")]
        for doc in docs:
            if not isinstance(doc, dict):
                continue
            for entry in doc.get("entries", {}).values():
                entry[0], entry[3] = digest, None
            for entry in doc.get("files", []):
                entry[2], entry[3] = digest, None
        body = b"\n".join(json.dumps(doc).encode() for doc in docs)
        path.write_bytes(body if tag is None else tag(body) + b"\n" + body)


@pytest.mark.parametrize("tag", [
    pytest.param(None, id="as-plain-json"),
    pytest.param(lambda body: hmac.new(b"k" * 32, body, hashlib.sha256).hexdigest().encode(), id="own-key"),
    pytest.param(lambda body: b"0" * 64, id="made-up-tag"),
])
def test_a_forged_clean_answer_is_not_believed(kaplan, portfolio, tag):
    assert kaplan("check", "--today", DAY).exit_code == 0
    assert kaplan("check", "--today", DAY).exit_code == 0  # now answered from the record
    (portfolio / "plans" / "acme.yaml").write_text(BROKEN)
    forge(BROKEN.encode(), tag)
    r = kaplan("check", "--today", DAY, "--format", "json")
    assert r.exit_code == 1
    assert [(f["rule"], f["line"]) for f in r.json()["findings"]] == [("unknown-key", 5)]


def test_a_key_file_others_can_read_is_not_used(kaplan, portfolio, tmp_path, monkeypatch):
    key = tmp_path / "shared-key"
    key.write_bytes(b"k" * 32)
    key.chmod(0o644)
    monkeypatch.setenv("KAPLAN_CACHE_KEY", str(key))
    from kaplan.reading import fingerprint as _fingerprint

    monkeypatch.setattr(_fingerprint, "_key", [])
    assert kaplan("check", "--today", DAY).exit_code == 0
    assert not list(cache_folder().glob("*.json"))  # nothing written that anyone could have sealed
    assert kaplan("check", "--today", DAY).exit_code == 0


def _details_folder() -> Path:
    (found,) = [p for p in cache_folder().iterdir() if p.name.startswith("details-")]
    return found


def test_a_details_folder_replaced_by_a_link_never_sends_writes_or_deletions_through_it(kaplan, portfolio, tmp_path):
    assert kaplan("check", "--today", DAY).exit_code == 0
    assert kaplan("risk", "--today", DAY).exit_code == 0
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "settings.json").write_text("{}")
    details = _details_folder()
    for f in details.iterdir():
        f.unlink()
    details.rmdir()
    details.symlink_to(victim, target_is_directory=True)
    (portfolio / "plans" / "acme.yaml").write_text(CLEAN + "# edited\n")  # read again: a new shard, old ones dropped
    assert kaplan("check", "--today", DAY).exit_code == 0
    assert kaplan("risk", "--today", DAY).exit_code == 0
    assert sorted(p.name for p in victim.iterdir()) == ["settings.json"]


def test_a_fifo_or_a_link_in_place_of_a_cache_file_is_not_read(kaplan, portfolio):
    import subprocess
    import sys

    assert kaplan("check", "--today", DAY).exit_code == 0
    (cache_folder() / "tidied-on").unlink()
    os.mkfifo(cache_folder() / "tidied-on")  # reading it would wait for a writer forever
    (index,) = [p for p in cache_folder().iterdir() if p.name.startswith("check-")]
    index.unlink()
    index.symlink_to("/dev/zero")  # reading it would never end
    run = subprocess.run([sys.executable, "-m", "kaplan.cli.app", "check", "--today", "2026-11-25"],  # a new day
                         capture_output=True, text=True, timeout=120, cwd=portfolio)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr


def test_sealed_entries_of_the_wrong_shape_are_read_again_not_a_crash(kaplan, portfolio, monkeypatch):
    """Only kaplan can write an entry (it is sealed), but a wrong one must cost a read, not a traceback."""
    from kaplan.reading.fingerprint import read_json, write_json

    (portfolio / "plans" / "acme.yaml").write_text(CLEAN.replace("plan:\n", "plan:\n  last_reviewed: 2025-01-01\n"))
    cold = kaplan("--no-cache", "risk", "--today", DAY, "--format", "json").json()
    cold_check = kaplan("--no-cache", "check", "--today", DAY).stdout
    assert "stale-high-risk" in cold_check  # told from the kept signals' values
    monkeypatch.setenv("KAPLAN_NO_CACHE", "")  # the option set it for the rest of this (test) process
    assert kaplan("check", "--today", DAY).stdout == cold_check
    (index,) = [p for p in cache_folder().iterdir() if p.name.startswith("check-")]
    doc = read_json(index)
    for spans, places, weighed in [([1, 10**7, None, None], None, None), ([1, 10**7, 1, 10**7], [[1]] * 7, "xy"),
                                   ([1, 10**7, 1, 10**7], None, [[["percent_left", "2026-12-01", 0], 1]]),
                                   ([1, 10**7, 1, 10**7], None, [[["percent_left", "nope", 10], 1]])]:
        for entry in doc["entries"].values():
            entry[4] = spans
            entry[1][-2:] = [places, weighed]
        write_json(index, doc)
        assert kaplan("check", "--today", DAY).stdout == cold_check
        assert kaplan("risk", "--today", DAY, "--format", "json").json() == cold


def test_tidying_touches_only_kaplan_s_own_names(kaplan, portfolio, tmp_path, monkeypatch):
    """A cache folder the user named may be any folder, holding their own files."""
    from kaplan.reading import fingerprint as _fingerprint

    own = tmp_path / "mine"
    own.mkdir()
    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(own))
    month_ago = _fingerprint.file_clock() - 40 * 86400
    keep = [own / "check-list.md", own / "tidied-on-notes.txt", own / "details-for-client"]
    keep[0].write_text("mine")
    keep[1].write_text("mine")
    keep[2].mkdir()
    for p in keep:
        os.utime(p, (month_ago, month_ago))
    assert kaplan("check", "--today", DAY).exit_code == 0
    assert all(p.exists() for p in keep)


@pytest.mark.parametrize("limit", ["inf", "nan", "1e400", "-inf"])
def test_a_size_limit_that_is_no_number_is_the_default(kaplan, portfolio, monkeypatch, limit):
    monkeypatch.setenv("KAPLAN_CACHE_MAX_MB", limit)
    assert kaplan("check", "--today", DAY).exit_code == 0
    assert kaplan("cache", "info", "--format", "json").exit_code == 0


def test_a_fifo_in_place_of_the_key_is_no_key_not_a_hang(portfolio, tmp_path):
    import subprocess
    import sys

    key = tmp_path / "fifo-key"
    os.mkfifo(key, 0o600)
    run = subprocess.run([sys.executable, "-m", "kaplan.cli.app", "check", "--today", DAY],
                         capture_output=True, text=True, timeout=120, cwd=portfolio,
                         env={**os.environ, "KAPLAN_CACHE_KEY": str(key)})
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr


def test_a_shard_copied_under_another_shard_s_name_is_not_believed(kaplan, portfolio, monkeypatch):
    """A shard is named by the hash of what it holds; the seal covers what it holds, not its name."""
    (portfolio / "plans" / "acme.yaml").write_text(CLEAN + "actions:\n  - {id: call, action: Call, owner: Jo, "
                                                   "due: 2026-12-15, status: planned}\n")
    assert kaplan("risk", "--today", DAY).exit_code in (0, 1)
    first = {p.name: p.read_bytes() for p in _details_folder().glob("*.json")}
    with open(portfolio / "plans" / "acme.yaml", "a") as fh:  # other details: a shard of another name
        fh.write("investment:\n  - {id: crm, description: A CRM, amount: 5000}\n")
    assert kaplan("risk", "--today", DAY).exit_code in (0, 1)
    (new,) = [p for p in _details_folder().glob("*.json") if p.name not in first]
    new.write_bytes(next(iter(first.values())))
    cached = kaplan("risk", "--today", DAY, "--format", "json").json()
    assert cached == kaplan("--no-cache", "risk", "--today", DAY, "--format", "json").json()
    assert kaplan("score", "--budget", "--today", DAY, "--format", "json").json()["requested"] == 5000


def test_plans_with_the_same_bytes_both_keep_their_details(portfolio, reads):
    from kaplan.commands.risk import risk_report

    (portfolio / "plans" / "copy.yaml").write_text(CLEAN)
    for _ in range(2):
        risk_report([portfolio / "plans"], today=TODAY)
    reads.clear()
    risk_report([portfolio / "plans"], today=TODAY)
    assert reads == []


def test_a_huge_file_planted_in_place_of_a_cache_file_is_not_read(kaplan, portfolio, monkeypatch):
    """Sparse files (no disk used) just past the largest cache file kaplan reads, in place of the
    record and the index: each is refused from its size, not read, and the run answers as a cold one."""
    from kaplan.reading import fingerprint as _fingerprint

    assert kaplan("check", "--today", DAY).exit_code == 0
    (portfolio / "plans" / "acme.yaml").write_text(BROKEN)
    unsealed = []
    real = _fingerprint.unseal
    monkeypatch.setattr(_fingerprint, "unseal", lambda raw: unsealed.append(len(raw)) or real(raw))
    for planted in cache_folder().glob("*check-*.json"):
        planted.unlink()
        with open(planted, "wb") as fh:
            fh.truncate(_fingerprint.CACHE_FILE_MAX + 1)
    r = kaplan("check", "--today", DAY, "--format", "json")
    assert r.exit_code == 1
    assert [(f["rule"], f["line"]) for f in r.json()["findings"]] == [("unknown-key", 5)]
    assert unsealed and max(unsealed) < 1024 * 1024  # only the key and small files were read


def test_a_planted_file_costs_one_copy_of_it_at_most(tmp_path):
    """A file under the limit is read once and its tag checked before anything is copied from it."""
    import tracemalloc

    from kaplan.reading import fingerprint as _fingerprint

    _fingerprint.cache_key()
    planted = tmp_path / "check-0.json"
    size = 64 * 1024 * 1024
    with open(planted, "wb") as fh:
        fh.truncate(size)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError):
            _fingerprint.read_sealed(planted)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1.5 * size, peak / size


def test_a_rebuild_that_keeps_sizes_and_times_is_another_build(tmp_path):
    """A reproducible build sets every file's modification time to one value: a changed module of the
    same size would then look unchanged by size and time alone, and its old cache be trusted."""
    import shutil
    import subprocess
    import sys

    import kaplan

    package = tmp_path / "site" / "kaplan"
    shutil.copytree(Path(kaplan.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))

    def build_id() -> str:
        return subprocess.run([sys.executable, "-c", "from kaplan.reading.fingerprint import build_id; print(build_id())"],
                              capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONPATH": str(tmp_path / "site")}).stdout.strip()

    before = build_id()
    module = package / "rounding.py"
    st = module.stat()
    text = module.read_bytes()
    changed = text.replace(b"HEALTH_PLACES = 0", b"HEALTH_PLACES = 1")
    assert changed != text and len(changed) == len(text)
    module.unlink()
    module.write_bytes(changed)  # a new file: same size, same modification time
    os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert build_id() != before


def _run(portfolio: Path, env: dict, *args: str):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "kaplan.cli.app", "check", "--today", DAY, *args],
                          capture_output=True, text=True, timeout=120, cwd=portfolio, env={**os.environ, **env})


def test_a_key_that_is_a_folder_runs_without_the_cache_and_says_why_once(portfolio, tmp_path):
    # it stopped the command: `kaplan: 3 could not be used (Is a directory)`, exit 2
    folder = tmp_path / "a-folder"
    folder.mkdir()
    afresh = _run(portfolio, {"KAPLAN_NO_CACHE": "1"}, "--format", "json")
    for _ in range(2):  # the second run has no cache to take anything from either
        run = _run(portfolio, {"KAPLAN_CACHE_KEY": str(folder)}, "--format", "json")
        assert run.returncode == 0, run.stderr
        assert run.stdout == afresh.stdout  # the same findings as when every plan is read afresh
        said = [line for line in run.stderr.splitlines() if "cache" in line]
        assert said == [f"kaplan: ran without the cache (every plan read afresh, nothing kept): the cache key "
                        f"{folder} is not a file (a folder, a pipe or a device): set KAPLAN_CACHE_KEY to a file "
                        "of yours, which kaplan makes on first use"], run.stderr
        assert not list(cache_folder().glob("*.json"))
    (portfolio / "plans" / "acme.yaml").write_text(BROKEN)
    broken = _run(portfolio, {"KAPLAN_CACHE_KEY": str(folder)})
    assert broken.returncode == 1 and "unknown-key" in broken.stdout


def test_a_relative_xdg_config_home_is_ignored_for_the_key(portfolio, tmp_path):
    # XDG: a relative value is invalid and ignored; it put the key at ./rel/kaplan/cache-key, in the portfolio
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "KAPLAN_CACHE_KEY"}
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "kaplan.cli.app", "check", "--today", DAY], capture_output=True,
                         text=True, timeout=120, cwd=portfolio, env={**env, "XDG_CONFIG_HOME": "rel", "HOME": str(home)})
    assert run.returncode == 0 and "cache" not in run.stderr, run.stderr
    assert not (portfolio / "rel").exists()
    key = home / ".config" / "kaplan" / "cache-key"
    assert key.is_file() and mode(key) == 0o600 and len(key.read_bytes()) == 32
