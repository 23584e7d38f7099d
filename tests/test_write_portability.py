"""Writes work where POSIX-only calls are missing: no os.fchmod (Windows before Python 3.13) and no
hard links (some Windows and network file systems). Those platforms are simulated here by taking the
calls away, so the branches that serve them run on every machine."""

from __future__ import annotations

import os
import stat

import pytest

from _races import race_to_create
from conftest import TODAY
from kaplan.writing import files as _writer
from kaplan.writing.files import WriteRefused, write_new, write_replace


@pytest.fixture(params=["no-fchmod", "no-fchmod-no-links"])
def windows_like(request, monkeypatch):
    monkeypatch.delattr(os, "fchmod", raising=False)
    if request.param == "no-fchmod-no-links":
        def no_links(*args, **kwargs):
            raise OSError(1, "Operation not permitted")  # what a FAT or SMB volume answers
        monkeypatch.setattr(os, "link", no_links)
    return request.param


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_files_get_the_mode_open_would_give_and_exact_content(windows_like, tmp_path):
    path = tmp_path / "plans" / "acme.yaml"
    write_new(path, "kaplan: 1\n")
    assert path.read_text() == "kaplan: 1\n"
    assert _mode(path) == _writer._default_mode()
    assert [p.name for p in path.parent.iterdir()] == ["acme.yaml"]  # no temporary file left behind


def test_an_existing_file_is_refused_and_kept(windows_like, tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text("mine\n")
    with pytest.raises(WriteRefused):
        write_new(path, "theirs\n")
    assert path.read_text() == "mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["acme.yaml"]


def test_replacing_keeps_the_file_mode(windows_like, tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text("old\n")
    path.chmod(0o640)
    write_replace(path, "new\n")
    assert path.read_text() == "new\n" and _mode(path) == 0o640


def test_racing_creators_still_create_a_file_exactly_once(windows_like, tmp_path):
    for round_ in range(10):
        race_to_create(tmp_path / f"plan-{round_}.yaml", 6, lambda i: f"writer {i}\n")


def test_init_new_and_check_work_end_to_end(windows_like, kaplan, tmp_path):
    assert kaplan("init", cwd=tmp_path).exit_code == 0
    r = kaplan("new", "acme", "--owner", "Jo Owner", "--today", TODAY.isoformat())
    assert r.exit_code == 0, r.stderr
    assert kaplan("check", "--today", TODAY.isoformat()).exit_code == 0
    again = kaplan("new", "acme", "--owner", "Jo Owner", "--today", TODAY.isoformat())
    assert again.exit_code == 1 and "already exists" in again.stderr
