"""How the packs are laid out: labels never cut, names where ids were, targets on the revenue chart,
and, in a real browser (Debian's Chromium), a content column as wide as the window allows.

The portfolio here is written for it: account names and forces far longer than the examples', so a
label that was cut, or ran past its chart's edge, would show.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from _chromium import CHROMIUM, Browser
from conftest import TODAY

from kaplan.report.charts import text_width

DAY = TODAY.isoformat()
LONG_NAME = "Consolidated Northern Hemisphere Agricultural Machinery Cooperative Holdings"
FORCE_FOR = ("The chief operating officer sponsors the programme in public and has already ring-fenced "
             "the budget for the second plant")
FORCE_AGAINST = "Procurement insists on a three-way tender for every renewal above the framework threshold"
PLAN = """\
kaplan: 1
account:
  id: {id}
  name: {name}
plan:
  owner: Jo Owner
financials:
  currency: EUR
  periods:
    - {{period: 2026-Q1, revenue: 100000, gross_profit: 30000, target_revenue: 120000}}
    - {{period: 2026-Q2, revenue: 110000, gross_profit: 33000, target_revenue: 120000}}
    - {{period: 2026-Q3, revenue: 130000, gross_profit: 39000, target_revenue: 120000}}
    - {{period: 2026-Q4, revenue: 90000, gross_profit: 27000, target_revenue: 120000}}
force_field:
  for:
    - {{force: "{force_for}", strength: 4}}
    - {{force: Short one, strength: 2}}
  against:
    - {{force: "{force_against}", strength: 3}}
investment:
  - {{id: team, description: A resident engineer, amount: 50000}}
"""


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """The account pack of the long-named account and the portfolio pack, as HTML, by the real command."""
    from typer.testing import CliRunner

    from kaplan.cli.app import app

    root = tmp_path_factory.mktemp("layout")
    plans = root / "plans"
    plans.mkdir()
    for account, name in [("cnh", LONG_NAME), ("brio", "Brio Foods"), ("cato", "Cato Logistics International Group")]:
        (plans / f"{account}.yaml").write_text(
            PLAN.format(id=account, name=name, force_for=FORCE_FOR, force_against=FORCE_AGAINST), encoding="utf-8")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(root)
    out = {}
    for key, args in (("account", ("cnh",)), ("portfolio", ("--portfolio",))):
        for fmt in ("html", "md"):
            r = CliRunner().invoke(app, ["report", *args, "-f", fmt, "--today", DAY, "-o", str(root / f"{key}.{fmt}")])
            assert r.exit_code == 0, r.output
            out[key, fmt] = root / f"{key}.{fmt}"
    monkeypatch.undo()
    return out


def svg(html: str, css_class: str) -> ET.Element:
    found = re.search(rf'<svg class="chart {css_class}".*?</svg>', html, flags=re.S)
    assert found, css_class
    return ET.fromstring(found.group(0).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


NS = "{http://www.w3.org/2000/svg}"


def test_force_field_labels_are_whole_wrapped_to_their_half_and_inside_the_chart(packs):
    chart = svg(packs["account", "html"].read_text(encoding="utf-8"), "force-field")
    width, height = (float(v) for v in chart.get("viewBox").split()[2:])
    assert width == 640
    labels = [t for t in chart.iter(f"{NS}text") if t.findall(f"{NS}tspan")]
    whole = [" ".join(s.text for s in t.findall(f"{NS}tspan")) for t in labels]
    assert whole == [FORCE_FOR, "Short one", FORCE_AGAINST]  # every word, none cut off with "…"
    for text, label in zip(labels, whole):
        lines = [s.text for s in text.findall(f"{NS}tspan")]
        # labels of forces for sit left of the middle (x = 320 − 8, ending there), against right of it
        room = 320 - 8 - 4
        assert all(text_width(line, 12) <= room for line in lines), lines
        ys = [float(s.get("y")) for s in text.findall(f"{NS}tspan")]
        assert all(b - a == 15 for a, b in zip(ys, ys[1:]))  # one line under the other
        assert 34 <= ys[0] and ys[-1] <= height - 40
    # a force of ~110 characters does not fit one line of ~300 px at 12 px: it takes more, and its
    # row grows with it, so the rows below start lower
    assert len(labels[0].findall(f"{NS}tspan")) >= 2
    first, second = (float(t.findall(f"{NS}tspan")[0].get("y")) for t in labels[:2])
    assert second - first >= 15 * len(labels[0].findall(f"{NS}tspan"))


def test_pareto_names_are_whole_and_the_chart_grows_to_hold_them(packs):
    chart = svg(packs["portfolio", "html"].read_text(encoding="utf-8"), "pareto")
    width, height = (float(v) for v in chart.get("viewBox").split()[2:])
    names = [t.text for t in chart.iter(f"{NS}text") if (t.get("transform") or "").startswith("rotate(-40")]
    assert sorted(names) == sorted([LONG_NAME, "Brio Foods", "Cato Logistics International Group"])
    # each name runs down-left from under its bar at 40°: its far end must stay inside the chart
    import math

    for t in chart.iter(f"{NS}text"):
        if t.text in names:
            x, y, w = float(t.get("x")), float(t.get("y")), text_width(t.text, 10)
            assert x - w * math.cos(math.radians(40)) >= 0
            assert y + w * math.sin(math.radians(40)) <= height
    assert height > 300  # the 78-character name needs more than the 300 px the chart had


def test_investment_rows_name_the_account(packs):
    for fmt in ("html", "md"):
        text = packs["portfolio", fmt].read_text(encoding="utf-8")
        section = text.split("Investment allocation", 1)[1]
        rows = [line for line in section.splitlines() if "A resident engineer" in line]
        assert len(rows) == 3, fmt
        shown = sorted(next(n for n in (LONG_NAME, "Brio Foods", "Cato Logistics International Group") if n in row)
                       for row in rows)
        assert shown == sorted([LONG_NAME, "Brio Foods", "Cato Logistics International Group"])
        assert not any(re.search(r"[|>] ?(cnh|brio|cato) ?[|<]", row) for row in rows), rows


def test_the_revenue_chart_draws_the_target_revenue(packs):
    chart = svg(packs["account", "html"].read_text(encoding="utf-8"), "trend")
    assert "against its target" in chart.find(f"{NS}title").text
    lines = chart.findall(f"{NS}polyline")
    # revenue (solid) and target revenue (dashed), both in the revenue's blue
    revenue, target = lines[0], lines[1]
    assert revenue.get("stroke") == target.get("stroke") == "#1f4e79"
    assert revenue.get("stroke-dasharray") is None and target.get("stroke-dasharray") == "6 4"
    # the axis: values up to 130,000 → a step of 50,000 (130,000 / 5 = 26,000 → 5 × 10⁴), top 150,000;
    # the plot is 250 − 34 − 40 = 176 px high from y = 34, so 120,000 is at 34 + 176 × (1 − 0.8) = 69.2;
    # the four periods sit at x = 64 + 560 × (i + ½) / 4 = 134, 274, 414, 554
    assert target.get("points") == "134.0,69.2 274.0,69.2 414.0,69.2 554.0,69.2"
    assert "The dashed blue line is the plan's target revenue." in packs["account", "html"].read_text(encoding="utf-8") \
        .replace("&#39;", "'")


needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="no Chromium at /usr/bin/chromium (apt-get install chromium)")

MEASURE = """
(() => {
  const inside = [];
  for (const chart of document.querySelectorAll('svg.chart')) {
    const box = chart.getBoundingClientRect();
    for (const t of chart.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0) continue;
      inside.push({chart: chart.getAttribute('class'), text: t.textContent,
                   out: Math.max(box.left - r.left, r.right - box.right, box.top - r.top, r.bottom - box.bottom)});
    }
  }
  const section = document.querySelector('section').getBoundingClientRect();
  return JSON.stringify({window: window.innerWidth, content: section.width,
                         scroll: document.documentElement.scrollWidth, inside});
})()
"""


@needs_chromium
@pytest.mark.parametrize("pack", ["account", "portfolio"])
def test_in_a_browser_the_content_uses_the_window_and_no_chart_label_runs_out(packs, tmp_path, pack):
    browser = Browser(tmp_path / "profile")
    try:
        measured = {}
        for window in (1280, 700):
            browser.call("Emulation.setDeviceMetricsOverride", session=True, width=window, height=900,
                         deviceScaleFactor=1, mobile=False)
            browser.navigate(packs[pack, "html"].as_uri())
            result = browser.evaluate(MEASURE)
            measured[window] = json.loads(result)
    finally:
        browser.close()
    wide, narrow = measured[1280], measured[700]
    assert wide["window"] == 1280
    # the column is the window less a margin of 2.5 % a side (and 8 mm of padding at most): far more
    # than the 650 px it was
    assert wide["content"] >= 1280 * 0.95 - 2, wide["content"]
    # nothing is wider than a narrow window either: no sideways scrolling
    assert narrow["scroll"] <= 700 and wide["scroll"] <= 1280
    for m in (wide, narrow):
        out = [(i["chart"], i["text"][:40], round(i["out"], 1)) for i in m["inside"] if i["out"] > 0.5]
        assert out == [], out
        assert len(m["inside"]) > 10  # the labels were measured at all
