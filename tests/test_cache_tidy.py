"""The cache stays bounded and where the OS expects it; `--no-cache`, `kaplan cache info|clear`."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from conftest import EXAMPLES

from kaplan.reading import fingerprint as _fingerprint


def examples(tmp_path) -> Path:
    folder = tmp_path / "portfolio"
    shutil.copytree(EXAMPLES, folder)
    return folder


def parts(cache: Path) -> list[str]:
    return sorted(p.name.split("-")[0] if not p.name.startswith("last-") else "last-check" for p in cache.iterdir())


def test_days_go_by_with_one_index_and_one_set_of_details(kaplan, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(cache))
    folder = examples(tmp_path)
    for day in ("2026-11-24", "2026-11-25", "2026-11-26", "2026-12-01"):
        assert kaplan("check", "--today", day, "-q", cwd=folder).exit_code == 0
        # one index, one set of details (kept across days), and the day the folder was last tidied
        assert parts(cache) == ["check", "details", "last-check", "tidied"], day


def test_old_parts_and_parts_beyond_the_size_cap_go_and_nothing_else_does(kaplan, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(cache))
    folder = examples(tmp_path)
    assert kaplan("check", "--today", "2026-11-24", "-q", cwd=folder).exit_code == 0
    month_ago = _fingerprint.file_clock() - 40 * 86400  # by the clock that stamps files
    stale = cache / f"last-check-{'0123456789abcdef' * 2}.json"  # a portfolio deleted long ago
    stale.write_text("{}")
    os.utime(stale, (month_ago, month_ago))
    big = cache / f"details-{'f' * 32}"  # another portfolio's details, recent but big
    big.mkdir()
    (big / "x.json").write_bytes(b"0" * 3 * 2**20)
    mine = cache / "notes.txt"                               # not kaplan's: never touched
    mine.write_text("keep me")
    monkeypatch.setenv("KAPLAN_CACHE_MAX_MB", "2")
    assert kaplan("check", "--today", "2026-11-25", "-q", cwd=folder).exit_code == 0
    assert not stale.exists() and not big.exists() and mine.read_text() == "keep me"
    assert parts(cache) == ["check", "details", "last-check", "notes.txt", "tidied"]


def test_no_cache_keeps_nothing_and_cache_info_and_clear(kaplan, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(cache))
    folder = examples(tmp_path)
    r = kaplan("--no-cache", "check", "--today", "2026-11-24", "-q", cwd=folder)
    os.environ["KAPLAN_NO_CACHE"] = ""  # the option set it for the rest of this (test) process
    assert r.exit_code == 0 and not cache.exists()
    assert kaplan("check", "--today", "2026-11-24", "-q", cwd=folder).exit_code == 0
    found = kaplan("cache", "info", "--format", "json").json()
    assert found["folder"] == str(cache) and found["portfolios"] == 1 and found["detail_sets"] == 1
    assert found["bytes"] == sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
    assert found["max_bytes"] == 500 * 2**20
    (cache / "notes.txt").write_text("keep me")
    r = kaplan("cache", "clear")
    assert r.exit_code == 0 and [p.name for p in cache.iterdir()] == ["notes.txt"]


def test_the_cache_is_where_each_os_expects_it(monkeypatch, tmp_path):
    monkeypatch.delenv("KAPLAN_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored, as the XDG spec says
    monkeypatch.setattr(sys, "platform", "linux")
    assert _fingerprint.cache_dir() == tmp_path / ".cache" / "kaplan"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _fingerprint.cache_dir() == tmp_path / "xdg" / "kaplan"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(sys, "platform", "darwin")
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda app, appauthor=None: f"/Users/x/Library/Caches/{app}")
    assert _fingerprint.cache_dir() == Path("/Users/x/Library/Caches/kaplan")
    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(tmp_path / "mine"))
    assert _fingerprint.cache_dir() == tmp_path / "mine"
    assert json.dumps(str(_fingerprint.cache_dir()))


def test_cache_info_and_clear_show_the_folder_s_name_escaped(kaplan, tmp_path, monkeypatch):
    # a KAPLAN_CACHE_DIR holding an escape sequence and a line that reads as a CI command was printed raw
    cache = tmp_path / "cc\x1b]0;pwn\x07\n::error::x"
    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(cache))
    shown = f"{tmp_path}/cc\\x1b]0;pwn\\x07\\x0a::error::x"
    info = kaplan("cache", "info")
    assert info.exit_code == 0 and info.stdout.startswith(shown + "\n"), info.stdout
    cleared = kaplan("cache", "clear")
    assert cleared.exit_code == 0 and cleared.stdout == f"cleared {shown} (0.0 MiB)\n", cleared.stdout
    for out in (info.stdout, cleared.stdout):
        assert "\x1b" not in out and "\x07" not in out
        assert not any(line.lstrip().startswith("::") for line in out.splitlines())
    assert kaplan("cache", "info", "--format", "json").json()["folder"] == str(cache)  # JSON: the name exactly
