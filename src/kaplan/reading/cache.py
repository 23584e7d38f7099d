"""The check cache: what was read of each plan, kept between runs and keyed by the file's bytes.

An entry is used only when kaplan (its version and code), the config and "today" match what made it,
and the file is byte for byte the one that was read: its content hash is compared on every run. The
hash is recomputed unless the file's stat signature is the one recorded with it (see `_fingerprint` for why
that is safe: the change time cannot be set back, and files changed just before a read are always
hashed again). So an edited plan is always read again and nothing stale is trusted.

Two parts, both JSON (never unpickled, so a planted cache file cannot run code), in the user's cache
folder (`_fingerprint.cache_dir`), readable by that user only, and each behind an HMAC tag made with
a key that only this user can read (`_fingerprint.seal`), so an entry that kaplan did not write for
this user is ignored, however it got there:
- an index per portfolio: each file's content hash, stat signature and summary core (findings and the
  facts portfolio rules need);
- details (health signals, investment requests) in shards named by their plans' content hashes, read
  only when a command needs them.
The last check's whole answer is kept apart (`_quick`). Everything is written atomically and is safe
to delete; a part that cannot be read is ignored.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import stat
from pathlib import Path

from kaplan.reading.paths import MAX_BYTES
from kaplan.reading.fingerprint import (build_id, cache_dir, cache_key, digest, private_folder, read_json, seal, unchanged,
                           write_json)
from kaplan.reading.summary import PlanSummary
from kaplan.config import Config

FORMAT = 6


def write_details(folder: Path, details: dict[str, list]) -> str:
    """Write the details of several plans (content hash → details) as one shard; return its name.

    The name is derived from the content hashes it holds, so no temporary file is needed: an existing
    shard is kept, and one cut short by a crash fails to parse, which makes the reader read the plans
    again. One shard per batch (not one file per plan) keeps a cold run from creating thousands of files.
    """
    name = digest(",".join(sorted(details)).encode())
    data = seal(json.dumps(details, separators=(",", ":")).encode())
    try:
        fd = os.open(folder / f"{name}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return name
    except FileNotFoundError:
        private_folder(folder)
        return write_details(folder, details)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return name


class SummaryCache:
    """Summaries of one portfolio's plans for one config and one day."""

    def __init__(self, root: Path, config: Config, today: _dt.date | None, folder: Path | None = None):
        """`today` None: for a command whose results do not depend on the day (`kaplan score`), use
        the index whatever day it was made for; plans read again are then read for that same day
        (`self.today`), so the index stays one day's."""
        folder = folder or cache_dir()
        cache_key()  # read (or made) here, before any worker process is forked: they share it
        self.path = folder / f"check-{digest(str(root.resolve()).encode())}.json"
        self._folder = folder
        self._config = digest(config.model_dump_json().encode())
        self._set_day(today or _dt.date.today())
        self.entries: dict[str, list] = {}
        self.changed = False
        self._new_details: dict[str, tuple[str, list]] = {}
        self._shards: dict[str, dict] = {}
        self._replaced: Path | None = None
        """The details of the index this one replaces (another day, config or build), dropped on save."""
        self._load(any_day=today is None)

    def _set_day(self, today: _dt.date) -> None:
        self.today = today
        self.header = {"format": FORMAT, "build": build_id(), "today": today.isoformat(), "config": self._config}
        self.details_dir = self._folder / f"details-{digest(json.dumps(self.header, sort_keys=True).encode())}"

    def _load(self, any_day: bool) -> None:
        try:
            doc = read_json(self.path)
            header = doc.get("header") if isinstance(doc, dict) else None
            if any_day and isinstance(header, dict) and header != self.header \
                    and {**header, "today": self.header["today"]} == self.header:
                self._set_day(_dt.date.fromisoformat(header["today"]))
            if header == self.header and isinstance(doc.get("entries"), dict):
                self.entries = doc["entries"]
            elif isinstance(header, dict):
                self._replaced = self._folder / f"details-{digest(json.dumps(header, sort_keys=True).encode())}"
        except (OSError, ValueError, TypeError):
            self.entries = {}

    def lookup(self, path: Path, display: str, reread=None) -> PlanSummary | None:
        """The cached summary of an unchanged file, or None (the file is then read, and hashed, afresh).

        `reread()` gives the summary's details afresh if the details file has gone missing.
        """
        key = str(path)
        entry = self.entries.get(key)
        if not (isinstance(entry, list) and len(entry) == 4 and isinstance(entry[0], str)):
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None  # the reader refuses it; nothing to cache
        same, sig = unchanged(key, st, entry[0], entry[3])
        if not same:
            return None
        try:
            summary = PlanSummary.from_json(key, display, entry[1], self.details_reader(entry[0], entry[2], reread))
        except (ValueError, TypeError, KeyError, IndexError):
            return None
        summary.digest, summary.signature = entry[0], sig
        if sig != entry[3]:
            entry[3] = sig
            self.changed = True
        return summary

    def details_reader(self, file_digest: str, shard, reread):
        """A function that reads a plan's details from its shard, or from `reread()` if it is gone."""
        def read():
            try:
                if shard not in self._shards:
                    loaded = read_json(self.details_dir / f"{shard}.json")
                    self._shards[shard] = loaded if isinstance(loaded, dict) else {}
                return PlanSummary.details_from_json(self._shards[shard][file_digest])
            except (OSError, ValueError, TypeError, KeyError):
                return reread() if reread is not None else None

        return read

    def put(self, summary: PlanSummary, shard: str | None = None) -> None:
        """Keep a summary read from a file; its details are in `shard` (written by a worker), or are
        written by `save`. A summary without a content hash (an unreadable file) is not kept."""
        if summary.digest is None:
            return
        self.entries[summary.path] = [summary.digest, summary.core_json(), shard, summary.signature]
        if shard is None:
            self._new_details[summary.digest] = (summary.path, summary.details_json())
        self.changed = True

    def keep_only(self, paths: set[str]) -> None:
        """Forget entries of files that are no longer in the portfolio."""
        stale = set(self.entries) - paths
        for p in stale:
            del self.entries[p]
        self.changed = self.changed or bool(stale)

    def save(self) -> None:
        """Write what changed, atomically; a read-only or full disk only means no cache next time."""
        try:
            if self._new_details:
                shard = write_details(self.details_dir, {d: det for d, (_, det) in self._new_details.items()})
                for _, (key, _) in self._new_details.items():
                    if key in self.entries:
                        self.entries[key][2] = shard
                self._new_details.clear()
            if self.changed:
                write_json(self.path, {"header": self.header, "entries": self.entries})
                self.changed = False
                if self._replaced is not None:  # a new day, config or build: keep the folder bounded
                    from kaplan.reading.cache_tidy import tidy

                    tidy(self._folder, replaced=self._replaced, in_use=self.details_dir)
                    self._replaced = None
        except OSError:
            pass
