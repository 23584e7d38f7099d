"""The real YAML language server validates plans through the modeline `kaplan new` writes.

This is what a KAM sees in VS Code (or any editor using `yaml-language-server`): red squiggles on
an unknown key, nothing on a valid plan. The server is the npm package pinned in tests/lsp/
(`npm ci --prefix tests/lsp`), driven over stdio with LSP JSON-RPC: initialize, didOpen, then the
diagnostics it publishes. The schema comes only from the file's `# yaml-language-server: $schema=`
line; the server's schema store is switched off and it has no network.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO, TODAY

LSP_DIR = REPO / "tests" / "lsp"
SERVER = LSP_DIR / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"

pytestmark = pytest.mark.skipif(shutil.which("node") is None,
                                reason="node is not installed, so the YAML language server cannot run")


class LanguageServer:
    """A minimal LSP client: JSON-RPC over the server's stdin and stdout."""

    def __init__(self, root: Path):
        self.proc = subprocess.Popen(["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages: queue.Queue = queue.Queue()
        self.diagnostics: dict[str, list] = {}
        self.published: dict[str, threading.Event] = {}
        self.lock = threading.Lock()
        self._next_id = 0
        self._version = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {
            "processId": None, "rootUri": root.as_uri(),
            "capabilities": {"textDocument": {"publishDiagnostics": {}}},
            "workspaceFolders": [{"uri": root.as_uri(), "name": "portfolio"}],
        })
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": {
            "validate": True, "hover": True, "completion": True, "format": {"enable": False},
            "schemaStore": {"enable": False}, "schemas": {}}}})

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            message = json.loads(out.read(length))
            if message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                with self.lock:
                    self.diagnostics[params["uri"]] = params["diagnostics"]
                    self.published.setdefault(params["uri"], threading.Event()).set()
            elif "method" in message and "id" in message:  # a request from the server
                result = [{}] * len(message["params"]["items"]) if message["method"] == "workspace/configuration" \
                    else None
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            else:
                self.messages.put(message)

    def request(self, method: str, params: dict, timeout: float = 60) -> dict:
        self._next_id += 1
        self._send({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            message = self.messages.get(timeout=max(0.1, deadline - time.monotonic()))
            if message.get("id") == self._next_id:
                assert "error" not in message, message
                return message["result"]

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnose(self, path: Path, text: str | None = None, settle: float = 0.5, timeout: float = 60) -> list[dict]:
        """Open `path` (with `text`, default: its content) and return the diagnostics published for it.

        Each call opens the text under a new name beside `path` (same folder, so the modeline's
        relative path resolves the same): the server caches documents by name and version, and
        closing a document publishes an empty list that must not be mistaken for the next answer.
        """
        if text is None:
            text = path.read_text(encoding="utf-8")
        self._version += 1
        uri = path.with_name(f"{path.stem}.{self._version}{path.suffix}").as_uri()
        with self.lock:
            event = self.published.setdefault(uri, threading.Event())
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        assert event.wait(timeout), f"the language server published no diagnostics for {path.name}"
        while True:  # a later publication (none is expected) would replace the first
            event.clear()
            if not event.wait(settle):
                break
        with self.lock:
            found = self.diagnostics[uri]
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        return found

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory) -> Path:
    """A portfolio made the way a user makes one: `kaplan init`, then `kaplan new acme`."""
    from typer.testing import CliRunner

    from kaplan.cli.app import app

    root = tmp_path_factory.mktemp("portfolio")
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(root), "--quiet"]).exit_code == 0
    import os

    cwd = os.getcwd()
    os.chdir(root)
    try:
        r = runner.invoke(app, ["new", "acme", "--owner", "Jo Owner", "--today", TODAY.isoformat()])
    finally:
        os.chdir(cwd)
    assert r.exit_code == 0, r.output
    return root


@pytest.fixture(scope="module")
def server(portfolio):
    if not SERVER.is_file():
        npm = shutil.which("npm")
        assert npm, "node is installed but npm is not; install npm, then `npm ci --prefix tests/lsp`"
        subprocess.run([npm, "ci", "--prefix", str(LSP_DIR), "--no-audit", "--no-fund"], check=True,
                       capture_output=True, timeout=600)
    ls = LanguageServer(portfolio)
    yield ls
    ls.close()


def messages(diagnostics: list[dict]) -> list[str]:
    return [d["message"] for d in diagnostics]


def test_the_plan_kaplan_new_writes_has_no_diagnostics(server, portfolio):
    plan = portfolio / "plans" / "acme.yaml"
    assert plan.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../.kaplan/plan.schema.json\n")
    assert server.diagnose(plan) == []


def test_an_unknown_key_is_reported_at_its_line(server, portfolio):
    plan = portfolio / "plans" / "acme.yaml"
    text = plan.read_text(encoding="utf-8").replace("  name: \"Acme\"\n", "  name: \"Acme\"\n  secter: Retail\n")
    assert "secter" in text
    line = text.splitlines().index("  secter: Retail")
    found = server.diagnose(plan, text)
    assert len(found) == 1, messages(found)
    assert "secter" in found[0]["message"]
    assert found[0]["range"]["start"]["line"] == line


def test_wrong_values_are_reported(server, portfolio):
    plan = portfolio / "plans" / "acme.yaml"
    text = plan.read_text(encoding="utf-8").replace(
        "  review_cadence: quarterly", "  review_cadence: every-now-and-then").replace(
        "relationships:\n", "relationships:\n  strength: 9\n")
    found = server.diagnose(plan, text)
    lines = {d["range"]["start"]["line"] for d in found}
    rows = text.splitlines()
    assert rows.index("  strength: 9") in lines, messages(found)
    assert next(i for i, r in enumerate(rows) if r.startswith("  review_cadence:")) in lines, messages(found)


def test_without_the_modeline_the_server_knows_no_schema(server, portfolio):
    # The control: the same unknown key goes unnoticed when the modeline is gone.
    plan = portfolio / "plans" / "acme.yaml"
    text = plan.read_text(encoding="utf-8").replace("  name: \"Acme\"\n", "  name: \"Acme\"\n  secter: Retail\n")
    text = text.split("\n", 1)[1]
    assert server.diagnose(plan, text) == []


def test_a_rich_example_plan_has_no_diagnostics(server, portfolio):
    # Dates, ratings, enums, money and every section, as the server reads them (dates as strings).
    example = EXAMPLES / "plans" / "corvane-energy.yaml"
    if not example.is_file():
        pytest.skip("the example portfolio is not in this tree")
    text = example.read_text(encoding="utf-8")
    if not text.startswith("# yaml-language-server:"):
        text = "# yaml-language-server: $schema=../.kaplan/plan.schema.json\n" + text
    target = portfolio / "plans" / "corvane-energy.yaml"
    target.write_text(text, encoding="utf-8")
    try:
        assert server.diagnose(target) == []
    finally:
        target.unlink()


def test_the_kaplan_yaml_init_writes_has_no_diagnostics(server, portfolio):
    config = portfolio / "kaplan.yaml"
    assert config.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=.kaplan/config.schema.json\n")
    assert server.diagnose(config) == []
    broken = config.read_text(encoding="utf-8").replace("review_grace_days: 0", "review_grace_dayz: 0")
    found = server.diagnose(config, broken)
    assert any("review_grace_dayz" in m for m in messages(found)), messages(found)


def test_a_plan_made_without_kaplan_init_resolves_its_schema_offline(server, tmp_path):
    """`kaplan new` in a bare folder writes the portfolio's schema copy, so the modeline is a local
    file (no URL to look up, no ENOTFOUND) and the server validates against it."""
    from typer.testing import CliRunner

    from kaplan.cli.app import app

    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        r = CliRunner().invoke(app, ["new", "acme", "--owner", "Jo Owner", "--today", TODAY.isoformat()])
    finally:
        os.chdir(cwd)
    assert r.exit_code == 0, r.output
    assert "created .kaplan/plan.schema.json" in r.output
    plan = tmp_path / "plans" / "acme.yaml"
    text = plan.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../.kaplan/plan.schema.json\n")
    bare = LanguageServer(tmp_path)
    try:
        assert bare.diagnose(plan) == []
        found = bare.diagnose(plan, text.replace("  name: \"Acme\"\n", "  name: \"Acme\"\n  secter: Retail\n"))
        assert any("secter" in m for m in messages(found)), messages(found)
        assert not any("ENOTFOUND" in m or "Unable to load schema" in m for m in messages(found))
    finally:
        bare.close()
