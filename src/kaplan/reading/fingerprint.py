"""What identifies a plan file's bytes and kaplan's own build between runs, and where that is kept.

The check cache (`_cache`) and the last check's record (`_quick`) both trust what an earlier run
recorded only while these say nothing changed: a file's content hash, re-taken unless its stat
signature is the one recorded with it (see `settled` for when a signature may be recorded), and
kaplan's build. A file changed less than `RACY_SECONDS` before it was read is hashed again next time
(git's index treats "racily clean" files the same way); the change time cannot be set back by a
user (`touch -d`, `os.utime` set it to now), so an edit that keeps a file's size and modification
time is still seen.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import os
import secrets
import stat
import sys
import tempfile
import time
from pathlib import Path

from kaplan import __version__
from kaplan.reading.paths import MAX_BYTES

RACY_SECONDS = 2.0
"""A file changed less than this long before it was read is hashed again next time."""


def digest(data: bytes) -> str:
    """The content hash (SHA-256, the fastest strong hash here: CPUs compute it in hardware)."""
    return hashlib.sha256(data).hexdigest()[:32]


_build: list[str] = []


_READERS = ("pydantic", "pydantic_core", "ruamel.yaml", "_ruamel_yaml", "yaml_rs")
"""The libraries whose behaviour shapes findings (parsing, validation messages)."""


def build_id() -> str:
    """kaplan's version and the stat signature of each of its modules, the Python version, and the
    installed files of the libraries that read and validate plans: a changed kaplan or library (an
    upgrade, an edited checkout) never trusts what was recorded before. The signature takes in the
    inode and the change time, which no install can set back, so a rebuild whose files keep their
    sizes and a fixed modification time (as reproducible builds set it) differs too. Nothing is
    imported."""
    if not _build:
        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # all of kaplan, not reading/ alone
        parts = [__version__, sys.version]
        for folder, dirs, files in os.walk(package):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".py"):
                    st = os.stat(os.path.join(folder, name))
                    parts.append(f"{os.path.relpath(os.path.join(folder, name), package)}:{_stamp(st)}")
        for name in _READERS:
            try:
                spec = importlib.util.find_spec(name)
                st = os.stat(spec.origin) if spec is not None and spec.origin else None
            except (ImportError, ValueError, OSError):
                st = None
            parts.append(f"{name}:{_stamp(st)}" if st else f"{name}:-")
        _build.append(digest("\n".join(parts).encode()))
    return _build[0]


def _stamp(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_dev}"


def signature(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


_clock: list[float] = []


def file_clock() -> float:
    """Now, by the clock that stamps file times (seconds, as time.time()).

    File times come from the kernel; the process's own clock can disagree with it (a clock moved for
    a test, a container's faked time), and then comparing the two would trust a file just written or
    never trust any. So "now" is read once off a file made for the purpose, as git reads it off its
    index, and carried on with the monotonic clock.
    """
    if not _clock:
        try:
            fd, name = tempfile.mkstemp(prefix=".kaplan-clock-")
            try:
                st = os.fstat(fd)
            finally:
                os.close(fd)
                os.unlink(name)
            base = max(st.st_mtime_ns, st.st_ctime_ns) / 1e9
        except OSError:
            base = time.time()
        _clock[:] = [base, time.monotonic()]
    return _clock[0] + (time.monotonic() - _clock[1])


def settled(st: os.stat_result, read_at: float) -> list[int] | None:
    """The signature to record for a file stat'ed before being read at `read_at` (`file_clock()`),
    or None when the file changed too shortly before to trust its times later."""
    newest = max(st.st_mtime_ns, st.st_ctime_ns) / 1e9
    return signature(st) if read_at - newest >= RACY_SECONDS else None


def read_file(path: str) -> tuple[bytes | None, os.stat_result | None]:
    """(bytes, stat taken before reading) of a regular file no larger than kaplan reads; (None, None)
    for anything else, which the reader reports and nothing caches. A pipe or device is never opened."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None, None
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())  # the file opened, if it was swapped since the stat
            if not stat.S_ISREG(st.st_mode):
                return None, None
            return fh.read(MAX_BYTES + 1), st
    except OSError:
        return None, None


def hash_file(path: str) -> tuple[str | None, os.stat_result | None]:
    """(content hash, stat taken before reading), as `read_file`."""
    data, st = read_file(path)
    return (None, None) if data is None else (digest(data), st)


def unchanged(path: str, st: os.stat_result, recorded_digest: str, recorded_sig: list | None):
    """(whether the file at `path`, stat'ed as `st`, still has the recorded content, the signature
    to record for it now). Its signature alone answers when it is the recorded one; otherwise the
    file is hashed again."""
    if recorded_sig is not None and signature(st) == recorded_sig:
        return True, recorded_sig
    found, st = hash_file(path)
    if found is None or found != recorded_digest:
        return False, None
    return True, settled(st, file_clock())


def cache_dir() -> Path:
    """Where the cache lives: `$KAPLAN_CACHE_DIR`; else `$XDG_CACHE_HOME/kaplan` when that is an
    absolute path (a relative one is ignored, as the XDG spec says); else where the OS expects a
    program's cache: `~/.cache/kaplan` on Linux and other Unixes, `~/Library/Caches/kaplan` on macOS,
    `%LOCALAPPDATA%\\kaplan\\Cache` on Windows (platformdirs)."""
    if os.environ.get("KAPLAN_CACHE_DIR"):
        return Path(os.environ["KAPLAN_CACHE_DIR"])
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "kaplan"
    if sys.platform in ("darwin", "win32"):
        import platformdirs

        return Path(platformdirs.user_cache_dir("kaplan", appauthor=False))
    return Path(os.path.expanduser("~")) / ".cache" / "kaplan"


def caching() -> bool:
    """False under `kaplan --no-cache` (`$KAPLAN_NO_CACHE`): every plan is read afresh, nothing kept."""
    return os.environ.get("KAPLAN_NO_CACHE", "") in ("", "0")


def private_folder(folder: Path) -> None:
    """Create `folder` (and its parents) for this user only (0700). The cache holds what plans say
    (contact names among it). An existing folder of kaplan's own (`~/.cache/kaplan`, a `details-`
    folder in it, `~/.config/kaplan`) that others may read is made private too; a folder the user
    named (`$KAPLAN_CACHE_DIR`, the folder of `$KAPLAN_CACHE_KEY`) is never changed when it exists: it
    may be any folder (`.`, a project), and kaplan's files in it are private (0600) anyway."""
    missing = [f for f in (folder, *folder.parents) if not os.path.lexists(f)]
    for f in reversed(missing):  # every folder kaplan creates here is private, not only the last
        try:
            f.mkdir(mode=0o700)
        except FileExistsError:  # made meanwhile by another run
            pass
    if missing:
        return
    st = folder.stat()
    if stat.S_ISDIR(st.st_mode) and st.st_mode & 0o077 and st.st_uid == _uid() and not _named_by_user(folder):
        os.chmod(folder, 0o700)


def _named_by_user(folder: Path) -> bool:
    key = os.environ.get("KAPLAN_CACHE_KEY")
    named = [os.environ.get("KAPLAN_CACHE_DIR"), os.path.dirname(os.path.abspath(key)) if key else None]
    here = os.path.realpath(folder)
    return any(n and os.path.realpath(n) == here for n in named)


def _uid() -> int | None:
    return os.getuid() if hasattr(os, "getuid") else None


# ---------------------------------------------------------------- authenticating what the cache holds

KEY_BYTES = 32
_TAG = 64
"""Hex digits of an HMAC-SHA256 tag."""


def key_path() -> Path:
    """`$KAPLAN_CACHE_KEY`, else `$XDG_CONFIG_HOME/kaplan/cache-key`, else `~/.config/kaplan/cache-key`:
    never in the cache folder, so whoever can write there cannot also replace the key."""
    if os.environ.get("KAPLAN_CACHE_KEY"):
        return Path(os.environ["KAPLAN_CACHE_KEY"])
    base = os.environ.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(base):  # a relative one is ignored, as the XDG spec says (it was `./rel/kaplan`)
        base = os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "kaplan" / "cache-key"


_key: list = []
_unusable: list[str] = []


def key_unusable() -> str | None:
    """Why this run had no cache key, when it asked for one and had none (for the command to say once)."""
    return _unusable[0] if _unusable else None


def _no_key(path: Path, why: str) -> None:
    if not _unusable:
        _unusable.append(f"the cache key {path} {why}")


def cache_key() -> bytes | None:
    """This user's secret key for the cache: random bytes in a file only they can read, made on first
    use. None when there is none to be had (a key file others could read or write, or no place for
    one): then nothing is written to the cache and nothing in it is trusted."""
    if not _key:
        _unusable.clear()
        _key.append(_read_key(key_path(), create=True))
    return _key[0]


def _read_key(path: Path, create: bool) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return _make_key(path) if create else None
    except OSError as exc:
        return _no_key(path, f"could not be read ({exc.strerror or exc}): set KAPLAN_CACHE_KEY to a file of yours")
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):  # a folder (which fdopen refuses naming the descriptor), a FIFO
        os.close(fd)
        return _no_key(path, "is not a file (a folder, a pipe or a device): set KAPLAN_CACHE_KEY to a file of "
                           "yours, which kaplan makes on first use")
    with os.fdopen(fd, "rb") as fh:
        if st.st_mode & 0o077:
            return _no_key(path, "may be read or written by others: make it yours only (chmod 600)")
        if _uid() is not None and st.st_uid != _uid():
            return _no_key(path, "belongs to another user: set KAPLAN_CACHE_KEY to a file of yours")
        key = fh.read(KEY_BYTES + 1)
    return key if len(key) == KEY_BYTES else _no_key(path, f"is not {KEY_BYTES} bytes: delete it, and kaplan makes a new one")


def _make_key(path: Path) -> bytes | None:
    """Write a new key under a temporary name and link it into place: two runs starting at once end up
    with the same key (the second link fails, and that run reads the first one's)."""
    try:
        private_folder(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=".cache-key-", dir=path.parent)  # 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(KEY_BYTES))
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
    except OSError as exc:
        return _no_key(path, f"could not be made ({exc.strerror or exc}): set KAPLAN_CACHE_KEY to a file in a "
                                 "folder you may write")
    return _read_key(path, create=False)


def seal(data: bytes) -> bytes:
    """`data` behind its HMAC-SHA256 tag under this user's key (a line of hex digits); OSError when
    there is no key, so nothing is written."""
    key = cache_key()
    if key is None:
        raise OSError("no cache key")
    return hmac.new(key, data, hashlib.sha256).hexdigest().encode() + b"\n" + data


def unseal(raw: bytes) -> bytes:
    """The data `seal` wrapped, when its tag is right; ValueError for anything else (written by another
    user or program, changed since, cut short, or no key)."""
    key = cache_key()
    data = memoryview(raw)[_TAG + 1:]  # checked before it is copied: a planted file costs one read
    if key is None or raw[_TAG:_TAG + 1] != b"\n" or not hmac.compare_digest(
            raw[:_TAG], hmac.new(key, data, hashlib.sha256).hexdigest().encode()):
        raise ValueError("not written by kaplan for this user")
    return bytes(data)


_NO_LINK = getattr(os, "O_NOFOLLOW", 0)
_READ_PART = os.O_RDONLY | _NO_LINK | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
"""How a cache file is opened to be read: never through a link, never waiting (a FIFO in its place)."""
CACHE_FILE_MAX = 256 << 20
"""The largest cache file read (256 MiB; the index of 10,000 plans is about 12 MB): anything bigger is
not read, so a file planted in the cache folder costs at most that much reading."""


def read_json(path: Path, dir_fd: int | None = None):
    """A JSON document `write_json` wrote (see `read_sealed`)."""
    return json.loads(read_sealed(path, dir_fd))


def read_tagged(path: Path, dir_fd: int | None = None) -> tuple[str, bytes]:
    """The tag and the data of a file `seal` wrapped, as `read_sealed` reads them. The tag names those
    bytes: a part kept against one version of another file can tell whether it is still that version."""
    raw = _read_raw(path, dir_fd)
    return raw[:_TAG].decode("ascii"), unseal(raw)


def claimed_tag(path: Path) -> str | None:
    """The tag a sealed file begins with, read without checking it (its first bytes only): enough to
    tell which version of a file a part was kept against when only a guess rides on it, never what
    to trust. None when there is no such file."""
    try:
        fd = os.open(path, _READ_PART)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a folder, a FIFO or a device in its place
            return None
        return os.read(fd, _TAG).decode("ascii")
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        os.close(fd)


def read_sealed(path: Path, dir_fd: int | None = None) -> bytes:
    """The data of a file `seal` wrapped; ValueError when it is not authentic, OSError when unreadable.

    Only a regular file is read, never through a link (kaplan writes none), and never more than
    `CACHE_FILE_MAX`: a FIFO, device or link planted in the cache folder is an unreadable part, not a
    hang or an endless read."""
    return unseal(_read_raw(path, dir_fd))


def _read_raw(path: Path, dir_fd: int | None) -> bytes:
    fd = os.open(path, _READ_PART,
                 **({"dir_fd": dir_fd} if dir_fd is not None else {}))
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > CACHE_FILE_MAX:
            raise OSError(f"{path} is not a cache file")
        raw = fh.read(st.st_size + 1)
    if len(raw) > st.st_size:
        raise OSError(f"{path} grew while it was read")
    return raw


def open_folder(folder: Path) -> int | None:
    """A descriptor of `folder` for reading and writing the files in it by name (`dir_fd`), made
    private when missing; None unless it is a real folder of this user's (never one reached through a
    link) on a system that can work through descriptors. A details folder that is anything else (a
    link planted to point kaplan's writes and deletions elsewhere) is not used."""
    if os.open not in os.supports_dir_fd or os.unlink not in os.supports_dir_fd:
        return None
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NO_LINK
    try:
        fd = os.open(folder, flags)
    except FileNotFoundError:
        try:
            private_folder(folder)
            fd = os.open(folder, flags)
        except OSError:
            return None
    except OSError:
        return None
    st = os.fstat(fd)
    if not stat.S_ISDIR(st.st_mode) or (_uid() is not None and st.st_uid != _uid()) or st.st_mode & 0o077:
        os.close(fd)
        return None
    return fd


PLAIN_JSON = json.JSONEncoder(separators=(",", ":"), check_circular=False)
"""The encoder of what kaplan keeps (the cache, the last check), compact. What it keeps is its own plain
data, never circular, so that is not checked (a sixth of the time of writing the index of 10,000
plans). One encoder serves many small texts (`json.dumps` with options makes one each time); like
`json.dumps`, it escapes every line break, so a text always fits on one line, and uses the C encoder."""


def write_json(path: Path, doc) -> str:
    """Write a JSON document, sealed, for this user only (0600), atomically (see `write_sealed`); return
    its tag."""
    return write_sealed(path, PLAIN_JSON.encode(doc).encode())


def write_sealed(path: Path, data: bytes) -> str:
    """Write `data`, sealed, for this user only (0600), atomically (a temporary file renamed over the
    old one); return its tag (see `read_tagged`)."""
    data = seal(data)
    private_folder(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=".kaplan-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return data[:_TAG].decode("ascii")
