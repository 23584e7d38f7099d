"""An export cannot cost more than its bounds: each is checked before (or while) the work it bounds is done.

Workbooks are zip archives: a part declared to unpack to hundreds of megabytes, one compressed
thousands of times, or a shared-strings table of millions of entries is refused before openpyxl
reads it; a CSV's delimiter is guessed from its first few KB; rows and cells are counted while they
are read. The CPU time and memory these cost are measured in `bench/reliability.py`, not here.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kaplan.commands.importing import source
from kaplan.reading import archive

PLAN = "kaplan: 1\naccount:\n  id: acme\n  name: Acme\nplan:\n  owner: Jo Owner\n"


@pytest.fixture
def portfolio(tmp_path, write):
    write("kaplan.yaml", "kaplan: 1\nplans: plans\n")
    write("plans/acme.yaml", PLAN)
    return tmp_path


def workbook(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def with_part(path: Path, name: str, data: bytes) -> Path:
    """`path`'s workbook with the part `name` replaced by `data` (deflated)."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != name:
                z.writestr(info.filename, src.read(info.filename))
        z.writestr(name, data)
    path.write_bytes(out.getvalue())
    return path


def refused(run, where: str, words: str) -> None:
    assert run.exit_code == 1, run.stderr
    assert f"{where}: error [too-large]" in run.stderr and words in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and "no plan was changed" in run.stderr


def test_a_workbook_part_compressed_thousands_of_times_is_refused_before_it_is_read(kaplan, portfolio):
    """sharedStrings.xml of 200,000 tiny entries (3.4 MB, a few KB packed): the shape of the
    10-million-entry bomb that took 66 s and 1 GB."""
    path = workbook(portfolio / "bomb.xlsx", [["account", "period", "revenue"], ["acme", "2026-Q2", 100]])
    entries = b"<si><t>a</t></si>" * 200_000
    with_part(path, "xl/sharedStrings.xml",
              b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + entries + b"</sst>")
    assert path.stat().st_size < 60_000
    run = kaplan("import", "bomb.xlsx", "--as", "financials", cwd=portfolio)
    refused(run, "bomb.xlsx:1:1", "xl/sharedStrings.xml is compressed")


def test_a_workbook_that_unpacks_past_the_limit_is_refused(kaplan, portfolio, monkeypatch):
    monkeypatch.setattr(archive, "MAX_UNPACKED", 20_000)  # the real one is 256 MiB; the sum is the same check
    workbook(portfolio / "big.xlsx", [["account", "period", "revenue"]]
                    + [["acme", f"2026-Q{1 + i % 4}", i] for i in range(2000)])
    run = kaplan("import", "big.xlsx", "--as", "financials", cwd=portfolio)
    refused(run, "big.xlsx:1:1", "the workbook unpacks to more than")


def test_a_shared_strings_table_past_the_limit_is_refused_before_openpyxl_builds_it(kaplan, portfolio,
                                                                                    monkeypatch):
    monkeypatch.setattr(source, "MAX_SHARED_STRINGS", 50)
    loaded = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: loaded.append(1))
    path = workbook(portfolio / "many.xlsx", [["account", "period", "revenue"], ["acme", "2026-Q2", 100]])
    entries = b"".join(b"<si><t>acct-%d</t></si>" % i for i in range(51))  # as Excel writes them
    with_part(path, "xl/sharedStrings.xml",
              b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + entries + b"</sst>")
    run = kaplan("import", "many.xlsx", "--as", "financials", cwd=portfolio)
    refused(run, "many.xlsx:1:1", "shared-strings table holds more than 50 entries")
    assert loaded == []


def test_shared_strings_are_counted_with_and_without_a_namespace_prefix():
    data = (b'<x:sst xmlns:x="urn:x"><x:si><x:t>a</x:t></x:si><x:si/><si><t>si></t></si>'
            b'<si\n><t>Kasi s</t></si></x:sst>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", data)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    assert source._entries(archive, archive.getinfo("xl/sharedStrings.xml")) == 4


def test_a_csv_with_more_cells_than_the_limit_is_refused_at_the_row_that_goes_over(kaplan, portfolio,
                                                                                 monkeypatch):
    monkeypatch.setattr(source, "MAX_CELLS", 1000)
    rows = ["account,period,revenue"] + [f"acme,2026-Q2,{i}" for i in range(400)]
    (portfolio / "export.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = kaplan("import", "export.csv", "--as", "financials", cwd=portfolio)
    # 3 cells a line, the header too: line 333 brings 999, line 334 1,002
    refused(run, "export.csv:334:1", "the export has more than 1,000 cells")


def test_a_csv_with_more_rows_than_the_limit_is_refused(kaplan, portfolio, monkeypatch):
    monkeypatch.setattr(source, "MAX_ROWS", 100)
    (portfolio / "export.csv").write_text("account\n" + "acme\n" * 150, encoding="utf-8")
    run = kaplan("import", "export.csv", "--as", "financials", cwd=portfolio)
    refused(run, "export.csv:101:1", "the export has more than 100 rows")


def test_an_export_over_32_mib_is_refused_before_it_is_read(kaplan, portfolio):
    """64 MiB of one-letter fields took 0.95 GB to read; a 50,000-row report is a few MB."""
    with open(portfolio / "export.csv", "wb") as fh:
        fh.write(b"account,period,revenue\n")
        fh.truncate(32 * 1024 * 1024 + 1)  # sparse: costs no disk
    run = kaplan("import", "export.csv", "--as", "financials", cwd=portfolio)
    refused(run, "export.csv:1:1", "the file is larger than 32 MiB")


def test_the_delimiter_is_guessed_from_the_first_few_kb_only(kaplan, portfolio, monkeypatch):
    """`csv.Sniffer` costs the square of what it is given: 64 KB of `',` took 20 s of CPU time."""
    seen = []
    real = csv.Sniffer.sniff

    def sniff(self, sample, delimiters=None):
        seen.append(len(sample))
        return real(self, sample, delimiters)

    monkeypatch.setattr(csv.Sniffer, "sniff", sniff)
    (portfolio / "export.csv").write_text("',"  * 32_768 + "\n", encoding="utf-8")
    run = kaplan("import", "export.csv", "--as", "financials", cwd=portfolio)
    assert run.exit_code == 1 and "Traceback" not in run.stderr
    assert seen and max(seen) <= 4096


def test_a_csv_in_each_encoding_still_reads_as_it_did(kaplan, portfolio):
    """Rows are now read as a stream of the file's bytes: the byte-order mark, Windows-1252 and UTF-16
    decode as before."""
    text = "account;period;revenue;note\nacme;2026-Q2;1250;Café\n"
    for name, data in [("bom.csv", b"\xef\xbb\xbf" + text.encode()), ("cp.csv", text.encode("cp1252")),
                       ("u16.csv", text.encode("utf-16"))]:
        (portfolio / name).write_bytes(data)
        run = kaplan("import", name, "--as", "financials", "--dry-run", cwd=portfolio)
        assert run.exit_code == 0, (name, run.stderr)
        assert "revenue: 1250" in run.stdout, (name, run.stdout)


@pytest.mark.parametrize("what", ["fifo", "folder"])
def test_an_export_that_is_not_a_file_is_refused_not_waited_on(portfolio, what):
    """A named pipe named as the export would be waited on forever: it is refused before a byte is read."""
    import os
    import subprocess
    import sys

    name = "export.csv"
    if what == "fifo":
        os.mkfifo(portfolio / name)
    else:
        (portfolio / name).mkdir()
    r = subprocess.run([sys.executable, "-c", "from kaplan.cli.app import main; main()", "import", name,
                        "--as", "financials"], cwd=portfolio, capture_output=True, text=True, timeout=60)
    assert r.returncode == 1, r.stderr
    assert f"{name}:1:1: error [unreadable]" in r.stderr and "not a file" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
