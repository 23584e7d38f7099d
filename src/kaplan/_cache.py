"""The check cache: what was read of each plan, kept between runs and keyed by the file's bytes.

An entry is used only when kaplan's version, the config, the rule set and "today" match what made
it, and the file is byte for byte the one that was read: every file is read and its content hash
compared on every run (reading and hashing 10,000 plans takes ~0.15 s; file times are not trusted,
since an edit can keep a file's size and time). So an edited plan is always read again and nothing
stale is trusted.

Three parts, all JSON (never unpickled, so a planted cache file cannot run code), in the user's cache
folder (`$KAPLAN_CACHE_DIR`, else `$XDG_CACHE_HOME/kaplan`, else `~/.cache/kaplan`):
- an index per portfolio: each file's content hash and the summary core (findings and the facts
  portfolio rules need), small enough to load in milliseconds;
- details (health signals, investment requests) in shards named by their plans' content hashes, read
  only when a command needs them;
- the last portfolio-wide result, reused when no plan changed at all.
Everything is written atomically and is safe to delete; a part that cannot be read is ignored.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import stat
import tempfile
import time
from pathlib import Path

from . import __version__
from . import rules as _rules
from ._summary import PlanSummary
from ._yaml import MAX_BYTES
from .config import Config

FORMAT = 4
MAX_READ = MAX_BYTES + 1
"""Read no more than this to hash a file: anything larger is refused by the reader anyway."""


def cache_dir() -> Path:
    if os.environ.get("KAPLAN_CACHE_DIR"):
        return Path(os.environ["KAPLAN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kaplan"


def digest(data: bytes) -> str:
    """The content hash (SHA-256, the fastest strong hash here: CPUs compute it in hardware)."""
    return hashlib.sha256(data).hexdigest()[:32]


def _write_json(path: Path, doc) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".kaplan-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(doc, separators=(",", ":")))  # dumps uses the C encoder; dump does not
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_details(folder: Path, details: dict[str, list]) -> str:
    """Write the details of several plans (content hash → details) as one shard; return its name.

    The name is derived from the content hashes it holds, so no temporary file is needed: an existing
    shard is kept, and one cut short by a crash fails to parse, which makes the reader read the plans
    again. One shard per batch (not one file per plan) keeps a cold run from creating thousands of files.
    """
    name = digest(",".join(sorted(details)).encode())
    try:
        with open(folder / f"{name}.json", "x", encoding="utf-8") as fh:
            fh.write(json.dumps(details, separators=(",", ":")))
    except FileExistsError:
        pass
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True)
        return write_details(folder, details)
    return name


class SummaryCache:
    """Summaries of one portfolio's plans for one config and one day."""

    def __init__(self, root: Path, config: Config, today: _dt.date, folder: Path | None = None):
        folder = folder or cache_dir()
        self.header = {
            "format": FORMAT, "kaplan": __version__, "today": today.isoformat(),
            "config": digest(config.model_dump_json().encode()),
            "rules": digest(",".join(sorted(_rules.REGISTRY)).encode()),
        }
        header_id = digest(json.dumps(self.header, sort_keys=True).encode())
        self.path = folder / f"check-{digest(str(root.resolve()).encode())}.json"
        self.details_dir = folder / f"details-{header_id}"
        self.entries: dict[str, list] = {}
        self.portfolio: dict = {}
        self.changed = False
        self._new_details: dict[str, tuple[str, list]] = {}
        self._shards: dict[str, dict] = {}
        self._load()

    def _load(self) -> None:
        try:
            doc = json.loads(self.path.read_bytes())
            if isinstance(doc, dict) and doc.get("header") == self.header and isinstance(doc.get("entries"), dict):
                self.entries = doc["entries"]
                kept = doc.get("portfolio") if isinstance(doc.get("portfolio"), dict) else {}
                self.portfolio = {k: v for k, v in kept.items() if isinstance(v, list) and len(v) == 2
                                  and isinstance(v[0], int) and isinstance(v[1], list)}
        except (OSError, ValueError, TypeError):
            self.entries, self.portfolio = {}, {}

    def lookup(self, path: Path, display: str, reread=None
               ) -> tuple[PlanSummary | None, str | None, os.stat_result | None]:
        """(the cached summary or None, the file's content hash, its stat).

        `reread()` gives the summary's details afresh if the details file has gone missing.
        """
        key = str(path)
        try:
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
                return None, None, None  # the reader refuses it; nothing to cache
            with open(path, "rb") as fh:
                file_digest = digest(fh.read(MAX_READ))
        except OSError:
            return None, None, None
        entry = self.entries.get(key)
        if not (isinstance(entry, list) and len(entry) == 3 and entry[0] == file_digest):
            return None, file_digest, None
        try:
            summary = PlanSummary.from_json(key, display, entry[1],
                                            self._details_reader(file_digest, entry[2], reread))
        except (ValueError, TypeError, KeyError, IndexError):
            return None, file_digest, None
        return summary, file_digest, None

    def _details_reader(self, file_digest: str, shard, reread):
        def read():
            try:
                if shard not in self._shards:
                    loaded = json.loads((self.details_dir / f"{shard}.json").read_bytes())
                    self._shards[shard] = loaded if isinstance(loaded, dict) else {}
                return PlanSummary.details_from_json(self._shards[shard][file_digest])
            except (OSError, ValueError, TypeError, KeyError):
                return reread() if reread is not None else None

        return read

    def put(self, path: Path, file_digest: str, st, summary: PlanSummary, shard: str | None = None) -> None:
        """Keep a summary; its details are in `shard` (written by a worker), or are written by `save`."""
        self.entries[str(path)] = [file_digest, summary.core_json(), shard]
        if shard is None:
            self._new_details[file_digest] = (str(path), summary.details_json())
        self.changed = True

    def keep_only(self, paths: set[str]) -> None:
        """Forget entries of files that are no longer in the portfolio."""
        stale = set(self.entries) - paths
        for p in stale:
            del self.entries[p]
        self.changed = self.changed or bool(stale)

    KEEP_RESULTS = 4
    """Portfolio-wide results kept (the whole portfolio, and a few single-file checks)."""

    def portfolio_result(self, key: str):
        found = self.portfolio.get(key)
        return found[1] if isinstance(found, list) and len(found) == 2 else None

    def set_portfolio_result(self, key: str, result) -> None:
        self.portfolio[key] = [time.time_ns(), result]
        for old in sorted(self.portfolio, key=lambda k: self.portfolio[k][0])[:-self.KEEP_RESULTS]:
            del self.portfolio[old]
        self.changed = True

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
                _write_json(self.path, {"header": self.header, "entries": self.entries,
                                        "portfolio": self.portfolio})
                self.changed = False
        except OSError:
            pass
