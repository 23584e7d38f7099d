"""The check cache: plan summaries kept between runs, keyed by the exact bytes of each file.

An entry is used only when the file's content hash, kaplan's version, the config, the rule set and
"today" all match what produced it, so an edited plan is always read again and nothing stale is
ever trusted. The cache is JSON (never unpickled, so a planted cache file cannot run code), lives in
the user's cache folder (`$KAPLAN_CACHE_DIR`, else `$XDG_CACHE_HOME/kaplan`, else `~/.cache/kaplan`),
is written atomically, and is safe to delete at any time. A file that cannot be read or parsed is
ignored as if empty.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import tempfile
from pathlib import Path

from . import __version__
from . import rules as _rules
from ._summary import PlanSummary
from .config import Config

FORMAT = 1


def cache_dir() -> Path:
    if os.environ.get("KAPLAN_CACHE_DIR"):
        return Path(os.environ["KAPLAN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kaplan"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class SummaryCache:
    """Summaries of one portfolio's plans for one config and one day."""

    def __init__(self, root: Path, config: Config, today: _dt.date, folder: Path | None = None):
        self.path = (folder or cache_dir()) / f"check-{digest(str(root.resolve()).encode())}.json"
        self.header = {
            "format": FORMAT, "kaplan": __version__, "today": today.isoformat(),
            "config": digest(config.model_dump_json().encode()),
            "rules": digest(",".join(sorted(_rules.REGISTRY)).encode()),
        }
        self.entries: dict[str, list] = {}
        self.changed = False
        self._load()

    def _load(self) -> None:
        try:
            doc = json.loads(self.path.read_bytes())
            if isinstance(doc, dict) and doc.get("header") == self.header and isinstance(doc.get("entries"), dict):
                self.entries = doc["entries"]
        except (OSError, ValueError, TypeError):
            self.entries = {}

    def get(self, path: str, display: str, file_digest: str) -> PlanSummary | None:
        entry = self.entries.get(path)
        if not (isinstance(entry, list) and len(entry) == 2 and entry[0] == file_digest):
            return None
        try:
            return PlanSummary.from_json(path, display, entry[1])
        except (ValueError, TypeError, KeyError, IndexError):
            return None

    def put(self, path: str, file_digest: str, summary: PlanSummary) -> None:
        self.entries[path] = [file_digest, summary.to_json()]
        self.changed = True

    def keep_only(self, paths: set[str]) -> None:
        """Forget entries of files that are no longer in the portfolio."""
        stale = set(self.entries) - paths
        for p in stale:
            del self.entries[p]
        self.changed = self.changed or bool(stale)

    def save(self) -> None:
        """Write the cache atomically; a read-only or full disk only means no cache next time."""
        if not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".check-", suffix=".tmp", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"header": self.header, "entries": self.entries}, fh, separators=(",", ":"))
            os.replace(tmp, self.path)
        except OSError:
            pass
