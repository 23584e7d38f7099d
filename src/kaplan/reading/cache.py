"""The check cache: what was read of each plan, kept between runs and keyed by the file's bytes.

An entry is used only when kaplan (its version and code) and the config match what made it, and the
file is byte for byte the one that was read: its content hash is compared on every run. The
hash is recomputed unless the file's stat signature is the one recorded with it (see `_fingerprint` for why
that is safe: the change time cannot be set back, and files changed just before a read are always
hashed again). So an edited plan is always read again and nothing stale is trusted.

Two parts, both JSON (never unpickled, so a planted cache file cannot run code), in the user's cache
folder (`_fingerprint.cache_dir`), readable by that user only, and each behind an HMAC tag made with
a key that only this user can read (`_fingerprint.seal`), so an entry that kaplan did not write for
this user is ignored, however it got there:
- an index per portfolio: each file's content hash, stat signature and summary core (findings and the
  facts portfolio rules need) for the day it was last checked;
- details (health signals, investment requests, and what a new day needs: the plan's dated facts and
  the places of its dated findings) in shards named by their plans' content hashes, read only when
  a command needs them.
An entry made on another day is brought to today from its details (`newday.redate`), not read again.
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

FORMAT = 7


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
    """Summaries of one portfolio's plans for one config, brought to `today` when made on another day."""

    def __init__(self, root: Path, config: Config, today: _dt.date, folder: Path | None = None):
        folder = folder or cache_dir()
        cache_key()  # read (or made) here, before any worker process is forked: they share it
        self.path = folder / f"check-{digest(str(root.resolve()).encode())}.json"
        self._folder = folder
        self.config = config
        self.today = today
        self.header = {"format": FORMAT, "build": build_id(), "config": digest(config.model_dump_json().encode())}
        self.details_dir = self._folder / f"details-{digest(json.dumps(self.header, sort_keys=True).encode())}"
        self.entries: dict[str, list] = {}
        self.changed = False
        self._new_details: dict[str, tuple[str, list]] = {}
        self._shards: dict[str, dict] = {}
        self._replaced: Path | None = None
        """The details of the index this one replaces (another config or build), dropped on save."""
        self._tidied: str | None = None
        """The day the cache folder was last tidied (once a day, see `save`)."""
        self._load()

    def _load(self) -> None:
        try:
            doc = read_json(self.path)
            header = doc.get("header") if isinstance(doc, dict) else None
            if header == self.header and isinstance(doc.get("entries"), dict):
                self.entries = doc["entries"]
                self._tidied = doc.get("tidied")
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
            summary = PlanSummary.from_json(key, display, entry[1])
            another_day = summary.valid and summary.day != self.today
            # brought to today below from the details as kept; else their signals are for the summary's day
            summary._details = self.details_reader(entry[0], entry[2], reread, None if another_day else summary.day)
        except (ValueError, TypeError, KeyError, IndexError):
            return None
        summary.digest, summary.signature = entry[0], sig
        if sig != entry[3]:
            entry[3] = sig
            self.changed = True
        if another_day:
            from kaplan.reading.newday import redate

            placed = redate(summary, self.today, self.config)
            if placed is None:
                return None
            if placed:  # keep the new places (and today's signals) with the plan
                self.put(summary)
            else:
                entry[1] = summary.core_json()
                self.changed = True
        return summary

    def details_reader(self, file_digest: str, shard, reread, day: _dt.date | None = None):
        """A function that reads a plan's details from its shard, or from `reread()` if it is gone; the
        signals of details kept on another day than `day` are worked out for `day` from its facts."""
        def read():
            try:
                if shard not in self._shards:
                    loaded = read_json(self.details_dir / f"{shard}.json")
                    self._shards[shard] = loaded if isinstance(loaded, dict) else {}
                details = PlanSummary.details_from_json(self._shards[shard][file_digest])
            except (OSError, ValueError, TypeError, KeyError):
                return reread() if reread is not None else None
            if day is None or details[6] == day.isoformat() or details[4] is None:
                return details
            from kaplan.health.model import dated_signals
            from kaplan.reading.dated import view

            try:
                signals = dated_signals(view(details[4]), day, self.config, details[3])
            except (AttributeError, KeyError, TypeError, ValueError):
                return reread() if reread is not None else None
            return (signals, *details[1:6], day.isoformat())

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
            tidying = self._tidied != self.today.isoformat()
            if self.changed or tidying:
                write_json(self.path, {"header": self.header, "entries": self.entries,
                                       "tidied": self.today.isoformat()})
                self.changed = False
            if tidying or self._replaced is not None:  # once a day, and for a new config or build
                from kaplan.reading.cache_tidy import drop_unused_shards, tidy

                drop_unused_shards(self.details_dir, {entry[2] for entry in self.entries.values()
                                                      if isinstance(entry, list) and len(entry) == 4})
                tidy(self._folder, replaced=self._replaced, in_use=self.details_dir)
                self._replaced, self._tidied = None, self.today.isoformat()
        except OSError:
            pass
