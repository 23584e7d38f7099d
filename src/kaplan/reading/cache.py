"""The check cache: what was read of each plan, kept between runs and keyed by the file's bytes.

An entry is used only when kaplan (its version and code) and the config match what made it, "today"
is one of the days its dated findings are known for (`kaplan.clock`; what changes on the week's days
after the plan was read was worked out then, `reading.ahead`: the entry is brought to the day, and
the plan is read again only after that), and the file is byte for byte the one that was read: its
content hash is compared on every run. The
hash is recomputed unless the file's stat signature is the one recorded with it (see `_fingerprint` for why
that is safe: the change time cannot be set back, and files changed just before a read are always
hashed again). So an edited plan is always read again and nothing stale is trusted.

Two parts, both JSON (never unpickled, so a planted cache file cannot run code), in the user's cache
folder (`_fingerprint.cache_dir`), readable by that user only, and each behind an HMAC tag made with
a key that only this user can read (`_fingerprint.seal`), so an entry that kaplan did not write for
this user is ignored, however it got there:
- an index per portfolio: each file's content hash, stat signature, summary core (findings and the
  facts portfolio rules need; a count of days in a message is kept as its parts and worded for the
  day it is read on), the days it holds for, and what changes in it on the days ahead (JSON text,
  decoded only on a day that needs it: `PlanSummary.ahead`);
- the index's changes: the entries changed since the index was last written whole, in the same folder
  as the details, kept against that version of the index (its tag): a new day that reads some plans
  again writes only those, and the index is written whole again once they are a quarter of it;
- details (health signals, investment requests) in shards named by the hash of what they hold, in a
  folder of the portfolio's own, read
  only when a command needs them;
- beside them, the portfolio's tiers (`kept_tiers`), and which entries stop holding on each day and how
  many start (`ENDS`), so a run knows before it reads the index which plans it will read again.
The last check's whole answer is kept apart (`_quick`). Everything is written atomically and is safe
to delete; a part that cannot be read is ignored.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import secrets
import stat
from pathlib import Path

from kaplan.reading.paths import MAX_BYTES
from kaplan.reading.fingerprint import (build_id, cache_dir, cache_key, claimed_tag, digest, file_clock, open_folder,
                                       PLAIN_JSON, read_sealed, read_tagged, seal, unchanged,
                                       write_sealed)
from kaplan.reading.summary import PlanSummary, advanced, longer
from kaplan.config import Config

FORMAT = 10


def write_details(folder: Path, details: dict[str, list]) -> str | None:
    """Write the details of several plans (content hash → details) as one shard; return its name, or
    None when the folder cannot be used (see `open_folder`).

    The name is the hash of what the shard holds (the details as worked out on some day: the same
    plans can have other signals on another day), so no temporary file is needed: an existing shard
    of that name holds the same; one cut short by a crash fails to parse, which makes the reader read
    the plans again. One shard per batch (not one file per plan) keeps a cold run from creating
    thousands of files.
    """
    data = PLAIN_JSON.encode(details).encode()
    name = digest(data)
    sealed = seal(data)
    fd = open_folder(folder)
    if fd is None:
        return None
    try:
        out = os.open(f"{name}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600,
                      dir_fd=fd)
    except FileExistsError:
        return name
    finally:
        os.close(fd)
    with os.fdopen(out, "wb") as fh:
        fh.write(sealed)
    return name


CHANGES = "changes"
"""The file of the index's changes, in the details folder (never a `.json` name: those are shards)."""
CHANGES_MIN, CHANGES_SHARE = 256, 0.25
"""The index is written whole again once its changes hold more entries than `CHANGES_MIN` and than
that share of it: reading them costs every run, writing it whole only that one."""


ENDS = "ends"
"""The file of the days the index's entries stop holding (the files of the entries that stop on each)
and start holding (how many entries on each), in the details folder, kept against one version of the
index (its tag): read before the index itself, it tells how many plans a day will read again, and
which (`SummaryCache.reads_expected`, `SummaryCache.expected`)."""
TIERS = "tiers"
"""The file of the portfolio's tiers, in the details folder, with the inputs they were worked out from."""
LEFT_BEHIND_SECONDS = 3600
"""A part's temporary file this old was left by a run that was killed while writing it: it goes."""


def parts_kept() -> bool:
    """Whether parts can be written here: atomically, by renaming within the details folder's descriptor."""
    return os.rename in os.supports_dir_fd


def _write_part(folder: Path, name: str, data: bytes) -> bool:
    """Write a part of the cache, sealed, into the details folder: through its descriptor (never
    through a link put in its place), atomically (a new file renamed over the old one). False when it
    could not be written (no key, no usable folder, a system that cannot rename through descriptors, a
    full disk, something else in its place)."""
    if not parts_kept():
        return False
    try:
        sealed = seal(data)
    except OSError:  # no key: nothing can be sealed
        return False
    fd = open_folder(folder)
    if fd is None:
        return False
    try:
        tmp = f".{name}-{secrets.token_hex(8)}.tmp"
        out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600, dir_fd=fd)
        try:
            with os.fdopen(out, "wb") as fh:
                fh.write(sealed)
            os.rename(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            try:
                os.unlink(tmp, dir_fd=fd)
            except OSError:
                pass
            raise
        return True
    except (OSError, NotImplementedError):
        return False
    finally:
        os.close(fd)


def _read_part(folder: Path, name: str):
    """A part `_write_part` wrote, as JSON; None when there is none, or it cannot be read or trusted."""
    fd = open_folder(folder) if os.path.lexists(folder) else None
    if fd is None:
        return None
    try:
        return json.loads(read_sealed(Path(name), dir_fd=fd))
    except (OSError, ValueError, TypeError, RecursionError):
        return None
    finally:
        os.close(fd)


def _remove_part(folder: Path, name: str) -> None:
    fd = open_folder(folder)
    if fd is None:
        return
    try:
        os.unlink(name, dir_fd=fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def kept_tiers(folder: Path, inputs: str, count: int, tiers: int) -> list[int | None] | None:
    """The tiers kept in the details `folder` for these `inputs` (a digest of `scoring.engine.tier_inputs`):
    for each of the `count` plans scored, the index of its tier among the config's `tiers`, or None
    when it has none. None when none were kept for these inputs."""
    doc = _read_part(folder, TIERS)
    if not (isinstance(doc, dict) and doc.get("inputs") == inputs):
        return None
    kept = doc.get("tiers")
    if not (type(kept) is list and len(kept) == count
            and all(k is None or (type(k) is int and 0 <= k < tiers) for k in kept)):
        return None
    return kept


def keep_tiers(folder: Path, inputs: str, kept: list[int | None]) -> None:
    """Keep the tiers worked out from these `inputs` (see `kept_tiers`); where they cannot be kept they
    are worked out again next time."""
    _write_part(folder, TIERS, PLAIN_JSON.encode({"inputs": inputs, "tiers": kept}).encode())


class Encoded(str):
    """A summary's core written as JSON already (in the worker that read the plan, or when it was kept):
    an index entry holds it so, as compact text rather than the objects it stands for, and it goes
    into the index file as it is (`entries_json`)."""

    __slots__ = ()


def entry_core(summary: PlanSummary) -> Encoded:
    """The core an index entry keeps of `summary` (`PlanSummary.core_json`), written as JSON."""
    return Encoded(PLAIN_JSON.encode(summary.core_json()))


def entries_json(entries: dict) -> str:
    """The index's `entries` as JSON, exactly as `PLAIN_JSON` writes the same entries with each core
    decoded, each `Encoded` core put in as it is."""
    encode = PLAIN_JSON.encode
    out = []
    for path, entry in entries.items():
        if type(entry) is list and len(entry) == 6 and type(entry[1]) is Encoded:
            out.append(f"{encode(path)}:[{encode(entry[0])},{entry[1]},{encode(entry[2:])[1:]}")
        else:
            out.append(f"{encode(path)}:{encode(entry)}")
    return "{" + ",".join(out) + "}"


class SummaryCache:
    """Summaries of one portfolio's plans for one config, each with the days it holds for, read on `today`."""

    def __init__(self, root: Path, config: Config, today: _dt.date, folder: Path | None = None, load: bool = True):
        folder = folder or cache_dir()
        cache_key()  # read (or made) here, before any worker process is forked: they share it
        self._root = str(root.resolve())
        self.path = folder / f"check-{digest(self._root.encode())}.json"
        self._folder = folder
        self.today = today
        self._ordinal = today.toordinal()
        self.header = {"format": FORMAT, "build": build_id(), "config": digest(config.model_dump_json().encode())}
        # one set of details per portfolio: another one's index would not know which of its shards are in use
        self.details_dir = self._folder / f"details-{digest(json.dumps({**self.header, 'root': self._root}, sort_keys=True).encode())}"
        self.entries: dict[str, list] = {}
        self.changed = False
        self._new_details: dict[str, list] = {}
        """Details read this run and not yet in a shard, by content hash."""
        self._waiting: dict[str, str] = {}
        """The path of each entry whose details are in `_new_details`, and its content hash."""
        self._shards: dict[str, dict] = {}
        self._replaced: Path | None = None
        """The details of the index this one replaces (another config or build), dropped on save."""
        self._base: str | None = None
        """The tag of the index file as read (None when there was none of this config and build)."""
        self._changes: dict[str, list | None] = {}
        """Entries changed since the index file was written whole (None: gone), as read."""
        self._touched: set[str] = set()
        """Paths whose entries changed in this run."""
        self._count_missing = False
        """Whether `reads_expected` found no `ENDS` for this index: this run keeps one."""
        self.expected: list[str] = []
        """The files whose entries `ENDS` says do not hold today (`reads_expected`): they will be read
        again, and can be handed to the workers before the index is loaded."""
        if load:
            self.load()

    def reads_expected(self, files: int) -> int:
        """How many plans of the `files` read this day (every plan the index knows) will be read
        again rather than taken from the cache, as far as can be told before the index is loaded:
        all of them when there is no index, or none of this config and build (no `ENDS` part of
        theirs); else those whose entries do not hold today (`ENDS`, as the last run left them; files
        edited since are not known yet), and 0 when what was kept is of another version of the index.
        The files of the entries that stop holding by today are left in `expected`."""
        tag = claimed_tag(self.path)
        doc = _read_part(self.details_dir, ENDS) if tag is not None else None
        if doc is None:
            if tag is None:
                return files
            self._count_missing = True  # kept by this run, even one that reads nothing again
            # every plan, unless no part can be kept here (then the count would never be there)
            return files if parts_kept() else 0
        if not (isinstance(doc, dict) and doc.get("base") == tag):
            return 0
        try:
            day = self._ordinal
            ended = [paths for end, paths in doc["ends"] if end <= day]
            if not all(type(paths) is list and all(type(p) is str for p in paths) for paths in ended):
                return 0
            count = min(files, sum(map(len, ended)) + sum(count for start, count in doc["starts"] if start > day))
        except (TypeError, ValueError, KeyError):
            return 0
        self.expected = [p for paths in ended for p in paths]
        return count

    def _keep_ends(self) -> None:
        """Keep the days the entries stop holding (with their files), and those from which they hold,
        against the version of the index they count."""
        if self._base is None:
            return
        ends: dict[int, list[str]] = {}
        starts: dict[int, int] = {}
        for path, entry in self.entries.items():
            try:
                start, end = entry[4][0], entry[4][1]
            except (TypeError, IndexError, KeyError):
                continue
            if type(start) is int and type(end) is int:
                ends.setdefault(end, []).append(path)
                starts[start] = starts.get(start, 0) + 1
        _write_part(self.details_dir, ENDS, PLAIN_JSON.encode({"base": self._base, "ends": sorted(ends.items()),
                                                               "starts": sorted(starts.items())}).encode())

    def load(self) -> None:
        """Read the index, and the changes kept against it."""
        try:
            tag, data = read_tagged(self.path)
            doc = json.loads(data)
            header = doc.get("header") if isinstance(doc, dict) else None
            if header == self.header and isinstance(doc.get("entries"), dict):
                self.entries, self._base = doc["entries"], tag
            elif isinstance(header, dict):
                self._replaced = self._folder / f"details-{digest(json.dumps({**header, 'root': self._root}, sort_keys=True).encode())}"
        except (OSError, ValueError, TypeError, RecursionError):
            self.entries = {}
        if self._base is not None:
            self._load_changes()

    def _load_changes(self) -> None:
        """Apply the changes kept against this very index file (any other's are stale: ignored)."""
        doc = _read_part(self.details_dir, CHANGES)
        if not (isinstance(doc, dict) and doc.get("base") == self._base and isinstance(doc.get("entries"), dict)):
            return
        for key, entry in doc["entries"].items():
            if entry is None:
                self.entries.pop(key, None)
            else:
                self.entries[key] = entry
        self._changes = doc["entries"]

    def lookup(self, path: Path, display: str, reread=None) -> PlanSummary | None:
        """The cached summary of an unchanged file, or None (the file is then read, and hashed, afresh).

        `reread()` gives the summary's details afresh if the details file has gone missing.
        """
        key = str(path)
        entry = self.entries.get(key)
        if not (isinstance(entry, list) and len(entry) == 6 and isinstance(entry[0], str)):
            return None
        spans = entry[4]
        if type(spans) is not list or len(spans) != 5 or not all(type(day) is int for day in spans):
            return None
        if not spans[0] <= self._ordinal < spans[1]:
            return None  # its dated findings or figures are not known for today: read it again
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None  # the reader refuses it; nothing to cache
        same, sig = unchanged(key, st, entry[0], entry[3])
        if not same:
            return None
        core = entry[1]
        if type(core) is Encoded:  # kept in this process (a file looked up twice)
            core = json.loads(core)
        if self._ordinal >= spans[4]:  # something of it changes by today: worked out when it was read
            if type(entry[5]) is not str:
                return None
            try:
                core, since, ahead, next_change = advanced(core, entry[5], self._ordinal)
            except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
                return None
            spans = [since, spans[1], spans[2], spans[3], spans[1] if next_change is None else next_change]
            entry[1], entry[4], entry[5] = core, spans, ahead
            self._touched.add(key)
            self.changed = True
        try:
            summary = PlanSummary.from_json(key, display, core,
                                            self.details_reader(entry[0], entry[2], reread, spans[2:4]), self.today)
        except (ValueError, TypeError, KeyError, IndexError):
            return None
        summary.digest, summary.signature = entry[0], sig
        summary.span, summary.details_span = tuple(spans[:2]), tuple(spans[2:4])
        if not spans[2] <= self._ordinal < spans[3]:
            summary.weighed = None  # the signals change today: they are worked out again when wanted
        if sig != entry[3]:
            entry[3] = sig
            self._touched.add(key)
            self.changed = True
        return summary

    def details_reader(self, file_digest: str, shard, reread, span=None):
        """A function that reads a plan's details from its shard, or from `reread()` if it is gone or
        they do not hold today (`span`, as `PlanSummary.details_span`)."""
        def read():
            try:
                if span is not None and not (span[0] <= self._ordinal < span[1]):
                    raise KeyError("the signals change on this day")
                if shard not in self._shards:
                    fd = open_folder(self.details_dir)
                    if fd is None:
                        raise OSError("no details folder")
                    try:
                        data = read_sealed(Path(f"{shard}.json"), dir_fd=fd)
                    finally:
                        os.close(fd)
                    # a shard is named by what it holds: one under another's name (copied there) is not used
                    loaded = json.loads(data) if digest(data) == shard else {}
                    self._shards[shard] = loaded if isinstance(loaded, dict) else {}
                return PlanSummary.details_from_json(self._shards[shard][file_digest], self.today)
            except (OSError, ValueError, TypeError, KeyError, RecursionError):
                return reread() if reread is not None else None

        return read

    def put(self, summary: PlanSummary, shard: str | None = None, core: Encoded | None = None) -> None:
        """Keep a summary read from a file; its details are in `shard` (written by a worker), or are
        written by `save`; `core` is its `core_json` as JSON, when the worker wrote it. A summary
        without a content hash (an unreadable file) is not kept."""
        if summary.digest is None:
            return
        span = summary.span or (self._ordinal, self._ordinal + 1)
        details = summary.details_span or (self._ordinal, self._ordinal + 1)
        next_change = span[1] if summary.next_change is None else summary.next_change
        if core is None:
            core = entry_core(summary)
        self.entries[summary.path] = [summary.digest, core, shard, summary.signature,
                                      [*span, *details, next_change], summary.ahead]
        self._touched.add(summary.path)
        if shard is None:
            self._new_details[summary.digest] = longer(self._new_details.get(summary.digest), summary.details_json())
            self._waiting[summary.path] = summary.digest
        self.changed = True

    def _drop_unused_shards(self) -> None:
        named = {entry[2] for entry in self.entries.values() if isinstance(entry, list) and len(entry) == 6}
        fd = open_folder(self.details_dir) if os.path.lexists(self.details_dir) else None
        if fd is None:
            return
        try:
            now = file_clock()
            for name in os.listdir(fd):
                try:
                    if name.endswith(".json") and name[:-5] not in named:
                        os.unlink(name, dir_fd=fd)
                    elif name.startswith(".") and name.endswith(".tmp") and \
                            now - os.stat(name, dir_fd=fd, follow_symlinks=False).st_mtime > LEFT_BEHIND_SECONDS:
                        os.unlink(name, dir_fd=fd)
                except OSError:
                    pass
        finally:
            os.close(fd)

    def _write(self) -> None:
        """Write the entries changed since the index file was written whole, when they are few; else
        the whole index (and its changes are dropped with the version they were kept against)."""
        changes = {**self._changes, **{key: self.entries.get(key) for key in self._touched}}
        if self._base is not None and len(changes) <= max(CHANGES_MIN, len(self.entries) * CHANGES_SHARE) and \
                _write_part(self.details_dir, CHANGES,
                            f'{{"base":{PLAIN_JSON.encode(self._base)},"entries":{entries_json(changes)}}}'.encode()):
            self._changes = changes
            try:  # the index is in use: tidying goes by when each part was last written
                os.utime(self.path, follow_symlinks=False)
            except (OSError, NotImplementedError):
                pass
        else:
            self._base = write_sealed(
                self.path, f'{{"header":{PLAIN_JSON.encode(self.header)},"entries":{entries_json(self.entries)}}}'.encode())
            if self._changes:
                _remove_part(self.details_dir, CHANGES)
            self._changes = {}
        self._touched = set()

    def keep_only(self, paths: set[str]) -> None:
        """Forget entries of files that are no longer in the portfolio."""
        stale = set(self.entries) - paths
        for p in stale:
            del self.entries[p]
        self._touched |= stale
        self.changed = self.changed or bool(stale)

    def save(self) -> None:
        """Write what changed, atomically; a read-only or full disk only means no cache next time.
        Plans read again leave shards that no entry names any more: those go."""
        try:
            if self.changed:
                self._drop_unused_shards()
            if self._new_details:
                shard = write_details(self.details_dir, self._new_details)
                for key in self._waiting:  # every file of those bytes (two files can hold the same)
                    if key in self.entries:
                        self.entries[key][2] = shard
                self._new_details.clear()
                self._waiting.clear()
            if self.changed:
                self._write()
                self.changed = False
                self._keep_ends()
            elif self._count_missing:
                self._keep_ends()
            self._count_missing = False
        except OSError:
            pass
        try:  # whether or not this run's part could be written
            from kaplan.reading.cache_tidy import tidy_once_a_day

            tidy_once_a_day(self._folder, self.today, replaced=self._replaced, in_use=self.details_dir)
            self._replaced = None
        except OSError:
            pass
