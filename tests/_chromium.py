"""Headless Chromium for the review-pack browser tests, driven over the DevTools pipe.

`--remote-debugging-pipe` makes Chromium read DevTools commands on fd 3 and write replies and events
on fd 4 (JSON, each message ended by a NUL byte), so no port, no websocket library and no driver is
needed. A shell `exec` puts our stdin/stdout pipes on fds 3 and 4.
"""

from __future__ import annotations

import base64
import json
import os
import select
import subprocess
import time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio"]


def run_cli(*args: str, profile: Path, timeout: int = 90) -> subprocess.CompletedProcess:
    """Chromium's own command line (--screenshot, --print-to-pdf)."""
    return subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, timeout=timeout)


class Browser:
    """One Chromium with one page, for `navigate`, `screenshot` and `pdf`; records what the page did."""

    def __init__(self, profile: Path, timeout: float = 60):
        self.timeout = timeout
        self.proc = subprocess.Popen(
            ["sh", "-c", 'exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null', str(CHROMIUM), *FLAGS,
             f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._buffer = b""
        self._id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)
        self.call("Network.emulateNetworkConditions", session=True, offline=True, latency=0,
                  downloadThroughput=-1, uploadThroughput=-1)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: bool = False, **params) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.proc.stdin.write(json.dumps(message).encode() + b"\0")
        self.proc.stdin.flush()
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, since: int = 0) -> dict:
        """The first `method` event from `self.events[since:]` on, waiting for it if none has come."""
        deadline = time.monotonic() + self.timeout
        for event in self.events[since:]:
            if event.get("method") == method:
                return event
        while True:
            event = self._read(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def navigate(self, url: str) -> None:
        # a second navigation must wait for its own load, not find the first page's load event
        since = len(self.events)
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired", since)
        self.call("Runtime.evaluate", session=True, expression="document.readyState")  # let late events arrive

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page; a script error fails loudly."""
        reply = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        if "exceptionDetails" in reply:
            raise RuntimeError(f"the page's script failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", session=True, format="png",
                                          captureBeyondViewport=True)["data"])

    def pdf(self, width_in: float, height_in: float) -> bytes:
        return base64.b64decode(self.call("Page.printToPDF", session=True, paperWidth=width_in,
                                          paperHeight=height_in, printBackground=True)["data"])

    def named(self, *methods: str) -> list[dict]:
        return [e for e in self.events if e.get("method") in methods]

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def pdf_pages(data: bytes) -> int:
    """Pages in a PDF: its page objects (`/Type /Page`, not `/Pages`)."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
