"""The review packs as slide decks: `kaplan report … --format pptx` (python-pptx).

- The quarterly-review deck (account pack): title, summary cards, health and its reasons, the
  relationship map, objectives and progress, actions, the force field, revenue and margin, NPS,
  risks, decisions and the next review.
- The portfolio deck: summary, ranking, the matrix, concentration, the risk table and the allocation.
- The client's deck (`--audience client`): summary, objectives, joint actions, KPIs and decisions.

Everything stays editable: text is text in text frames and tables, and the charts are native chart
objects holding their numbers (PowerPoint's "Edit data" opens them), not pictures. Colours are the
pack's (`charts.py` keeps the palette). `--template deck.pptx` starts from a company's deck: its
slide master, layouts, theme and size are used and nothing else of it (`deck_template`): not its
slides, notes, comments, tags, custom XML or the prompt texts of its placeholders. A placeholder a
slide leaves empty is taken off it.

Figures are formatted by `text` exactly as the HTML prints them; plan text goes into XML as text
(python-pptx escapes it) with characters a deck cannot hold replaced.
"""

from __future__ import annotations

import io
from pathlib import Path

from kaplan.rounding import MONEY_PLACES, rounded
from kaplan.plural import counted
from kaplan.views import text
from kaplan.report import capped
from kaplan.report._optional import FormatProblem, clean, need
from kaplan.report.deck_file import open_template
from kaplan.report.deck_template import empty_placeholders, keep_the_look
from kaplan.report.properties import documented
from kaplan.report.settled import settle
from kaplan.report.titles import title
from kaplan.report.charts import ABC_FILL, INK, MUTED, RISK_FILL, SERIES

ACCENT = SERIES[0]
ATTITUDE_FILL = {"strong_supporter": RISK_FILL["green"], "supporter": RISK_FILL["green"], "neutral": RISK_FILL["amber"],
                 "opponent": RISK_FILL["red"], "strong_opponent": RISK_FILL["red"]}
LINES_PER_SLIDE = 32
"""What a slide holds below its title and a table's header row, in half-line units of 11-point table
text: a row of one line takes two (its padding is about half a line), each further line one more."""
CHARS_PER_WIDTH = 12
"""Characters of 11-point text per unit of a table's column widths, the widths adding up to 14 units."""
BOXES_PER_ROW = 5
"""People a row of the relationship map holds (a box about 2 in wide, room for a 24-letter word in
9-point type): a level with more continues in the next row."""
MAP_ROWS_PER_SLIDE = 4
"""Rows of boxes a slide of the relationship map holds; more continue on the next slide."""
INSETS = 182880
"""What a shape's text frame keeps clear on its left and right together: 0.1 in each (EMU)."""
SMALLEST = 6
"""The smallest type a box of the relationship map is set in (points), for a word too long for its
box in larger type."""
HALF = 0.49
"""The share of the slide's width a half-slide table or chart takes (`Deck._box`)."""


def _on_a_template(make):
    """`make` a deck; on a `--template`, whatever goes wrong while slides are made on it is the
    template's fault (its checks in `deck_file` let through a structure python-pptx cannot follow):
    a refusal naming the template, never a traceback."""
    from functools import wraps

    @wraps(make)
    def made(pack, template: Path | None = None) -> bytes:
        if template is None:
            return make(pack, template)
        try:
            return make(pack, template)
        except FormatProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - a hostile template may trip anything in python-pptx
            raise FormatProblem(f"--template {template}: slides cannot be made on it "
                                f"({type(exc).__name__}: {exc})") from None
    return made


@_on_a_template
def account_deck(pack, template: Path | None = None) -> bytes:
    """The quarterly-review deck of an `AccountPack`."""
    d = Deck(template)
    p, a, h, cur = pack.plan, pack.score, pack.health, pack.currency
    d.title(p.account.name, f"Quarterly review · {text.date(pack.today)}",
            f"owner {p.plan.owner}" + (f" · sponsor {p.plan.executive_sponsor}" if p.plan.executive_sponsor else ""))
    s = d.slide("Summary")
    d.cards(s, [
        ("Health", f"{text.health(h.score)} {h.colour.upper()}", f"{h.level} risk", h.colour),
        ("Score", text.score(a.score), (f"rank {a.rank} of {pack.accounts_total}" if a.rank else "no criterion of the score has a value")
         + (" · key account" if a.key else ""), None),
        ("Tier · quadrant", text.plain(a.tier_name), f"{a.quadrant} · ABC {text.plain(a.abc)}", None),
        ("Revenue (TTM)", text.compact(pack.figures["revenue_ttm"]), f"{cur} · {pack.ttm_words}", None),
        ("Margin (TTM)", text.pct(pack.figures["margin_pct"]),
         f"cost to serve {text.pct(pack.figures['cost_to_serve_pct'])} of revenue", None),
        ("NPS", text.signed(pack.figures["nps"]) if pack.nps.enough else "too few" if pack.nps.responses else "–",
         f"{pack.nps.counted} · {counted(len(pack.open_loops), 'open loop')}", None),
        ("Share of wallet", text.wallet(pack.figures["share_of_wallet_pct"]),
         f"relationship {text.mean(pack.figures['relationship_strength'])}/5", None),
        ("Next review", text.date(pack.next_review), f"last {text.date(pack.last_review)}", None),
    ])
    s = d.slide(f"Health {text.health(h.score)} ({h.level} risk): the reasons")
    d.bullets(s, [sig.reason for sig in h.reasons[:8]] or ["No signal is in the amber or red band."],
              colour=RISK_FILL[h.colour])
    d.org(pack.org, pack.org_more)
    _objectives(d, pack)
    _actions(d, pack.actions)
    _whitespace(d, pack.whitespace)
    ff = p.force_field
    if ff and (ff.for_ or ff.against):
        s = d.slide(f"Force field: net {sum(f.strength for f in ff.for_) - sum(f.strength for f in ff.against):+d}")
        forces = [(f.force, f.strength) for f in capped.shown(ff.for_)] + \
            [(f.force, -f.strength) for f in capped.shown(ff.against)]  # as the HTML pack's chart draws them
        d.bar_chart(s, [clean(n) for n, _ in forces], [("strength (for +, against −)", [v for _, v in forces])],
                    colours=[RISK_FILL["green"] if v > 0 else RISK_FILL["red"] for _, v in forces])
    if pack.periods:
        s = d.slide(f"Revenue and margin ({cur})")
        periods = capped.shown(pack.periods, "periods")  # the most recent, as the HTML pack's charts
        labels = [r.period.period for r in periods]
        d.column_chart(s, labels, [("Revenue", [_round(r.period.revenue, MONEY_PLACES) for r in periods]),
                                   ("Target revenue", [_round(r.period.target_revenue, MONEY_PLACES) for r in periods]),
                                   ("Gross profit", [_round(r.gross_profit, MONEY_PLACES) for r in periods])], half="left")
        d.line_chart(s, labels, [("Margin %", [_round(r.margin_pct) for r in periods]),
                                 ("Cost to serve %", [_round(r.cost_to_serve_pct) for r in periods])], half="right")
        d.note(s, capped.earlier(pack.periods))
    if pack.nps_quarters:
        loops = len(pack.open_loops)
        words = pack.nps.words  # the survey window's NPS, or why there is none
        s = d.slide(f"{words[0].upper()}{words[1:]} · {counted(loops, 'open detractor loop')}")
        shown = capped.shown(pack.nps_scored, "periods")  # the most recent quarters, as the HTML pack's chart
        headers, widths = ["Open loop", "Score", "Follow-up due"], [3, 1, 2]
        rows = _rows(pack.open_loops, "loops", lambda o: [text.plain(o.response.respondent), str(o.response.score),
                                                          text.date(o.response.follow_up.due) if o.response.follow_up
                                                          else "none"]) or [["No open detractor loop", "", ""]]
        beside = _fits(rows, widths, HALF)  # else the loops get slides of their own, as long as they need
        if shown:
            d.column_chart(s, [q.quarter for q in shown], [("NPS", [_round(q.nps, 0) for q in shown])],
                           half="left" if beside else None)
            d.note(s, capped.earlier(pack.nps_scored, "quarters"))
        if beside:
            d.table(s, headers, rows, widths=widths, half="right")
        else:
            d.tables("Open detractor loops", headers, rows, widths=widths)
    d.tables("Risks", ["Risk", "L×I", "Mitigation", "Owner", "Status"],
             _rows(pack.risks, "plan", lambda r: [r.description, str(r.likelihood * r.impact), text.plain(r.mitigation),
                                          text.plain(r.owner), text.label(r.status)]), widths=[4, 1, 4, 2, 1.5])
    _decisions(d, pack)
    _working_together(d, pack)
    return d.save(pack, author=p.plan.owner or "")


@_on_a_template
def portfolio_deck(pack, template: Path | None = None) -> bytes:
    """The steering committee's deck of a `PortfolioPack`."""
    d = Deck(template)
    conc, al, cur = pack.concentration, pack.allocation, pack.currency
    d.title("Key account portfolio review", f"Portfolio pack · {text.date(pack.today)}",
            f"{counted(len(pack.accounts), 'account')} · figures in {pack.currency_words}, trailing twelve months")
    s = d.slide("Summary")
    d.cards(s, [
        ("Accounts", str(len(pack.accounts)), pack.key_words, None),
        ("Revenue (TTM)", text.compact(pack.revenue), f"gross profit {text.compact(pack.gross_profit)} · "
                                                      f"margin {text.pct(pack.margin_pct)}", None),
        ("Concentration", text.pct(conc.top_share_pct), f"from the top {text.recorded(conc.top_accounts_pct)}% "
                                                          f"({counted(conc.top_accounts, 'account')})", None),
        ("Risk", f"{pack.count('red')} · {pack.count('amber')} · {pack.count('green')}", "red · amber · green",
         "red" if pack.count("red") else "amber" if pack.count("amber") else "green"),
        ("Budget", text.compact(al.granted), f"granted of {text.compact(al.available)}", None) if pack.budget_set
        else ("Budget", "none set", "no budget in kaplan.yaml", None),
        ("Renewals", str(len(pack.renewals)), pack.renewal_words, None),
        ("Stale plans", str(len(pack.stale)), f"overdue; {len(pack.unreviewed)} not yet reviewed, not yet due", None),
        ("Quadrants", " · ".join(str(n) for _, n in pack.quadrant_counts),
         " · ".join(k.lower() for k, _ in pack.quadrant_counts)
         + (f"; {len(pack.unplaced)} unplaced" if pack.unplaced else ""), None),
    ])
    notes = pack.summary_notes + ([pack.skipped_words] if pack.skipped else [])
    if notes:  # as the HTML and Markdown packs' summary: what the totals leave out, and why
        d.bullets(d.slide("Summary: what the figures leave out"), notes)
    d.tables("Ranking", ["#", "Account", "Score", "Tier", "Quadrant", "ABC", f"Revenue ({cur})", "Margin", "Health"],
             [[text.plain(p.score.rank), p.score.name + (" ★" if p.score.key else ""), text.score(p.score.score),
               text.plain(p.score.tier_name), p.score.quadrant, text.plain(p.score.abc), text.money(p.score.revenue),
               text.pct(p.score.margin_pct), f"{text.health(p.health.score)} {p.health.colour.upper()}"]
              for p in pack.accounts], widths=[0.6, 4, 1.2, 1.6, 1.6, 0.8, 2, 1.3, 1.6])
    s = d.slide(f"Portfolio matrix (split at {text.recorded(pack.scoring.matrix.split)})")
    d.matrix(s, pack)
    s = d.slide(f"Concentration: the top {text.recorded(conc.top_accounts_pct)}% of accounts bring "
                f"{text.pct(conc.top_share_pct)}")
    if pack.pareto:
        d.column_chart(s, [r.score.name for r in pack.pareto],
                       [("Cumulative %", [_round(r.cumulative_pct) for r in pack.pareto]),
                        ("Share %", [_round(r.share_pct) for r in pack.pareto])],
                       point_colours=[ABC_FILL.get(r.abc, MUTED) for r in pack.pareto])
    else:  # a chart needs at least one category: say why there is none
        metric = "revenue" if conc.metric == "revenue_ttm" else "gross profit"
        d.bullets(s, [f"No account has {metric} in the trailing twelve months yet."], colour=MUTED)
    d.tables("Account risk", ["Risk", "Health", "Account", "Tier", "Owner", "Top reasons"],
             [[r.health.colour.upper(), text.health(r.health.score), r.name, text.plain(r.tier), r.owner,
               "; ".join(s.reason for s in r.health.reasons[:2]) or text.DASH] for r in pack.risk],
             widths=[1.1, 1, 3, 1.4, 2, 6], colour_first=[r.health.colour for r in pack.risk])
    names = pack.names
    d.tables(f"Investment allocation: {text.money(al.granted)} of {text.money(al.available)} granted" if pack.budget_set
             else f"Investment allocation: {text.NO_BUDGET}",
             ["#", "Account", "Request", "Score", "Amount", "Granted", "Status"],
             [[str(i), names.get(r.account_id, r.account_id), r.request.description, text.score(r.score),
               text.money(r.converted), text.granted(r.granted, r.people_granted), r.status]
              for i, r in enumerate(al.rows, 1)]
             or [["", "No plan requests investment", "", "", "", "", ""]], widths=[0.5, 3, 5, 1.2, 1.6, 1.6, 1.6])
    if pack.cross_sell:
        d.tables("Cross-sell: the most open white space first",
                 ["Account", "Open white space", "Won", "Open, not won yet", "Lacks (competitor or not offered)"],
                 [[c.placed.score.name, c.grid.white_space_words, capped.joined(c.grid.won, ", ") or text.DASH,
                   capped.joined(c.grid.open, ", ") or text.DASH, capped.joined(c.grid.lacking, ", ") or text.DASH]
                  for c in pack.cross_sell],
                 widths=[3, 1.8, 3, 3, 3])
    return d.save(pack)


@_on_a_template
def client_deck(pack, template: Path | None = None) -> bytes:
    """The client's deck of a `ClientPack`: nothing in it but what the client pack holds."""
    d = Deck(template)
    d.title(f"{pack.name}: progress report", text.date(pack.today), f"prepared by {pack.owner}")
    done, every = pack.milestones
    s = d.slide("Summary")
    d.cards(s, [
        ("Your objectives", str(len(pack.objectives)), f"milestones {done} of {every} done", None),
        ("Joint actions", str(len(pack.actions)), f"{pack.overdue_actions} past their due date", None),
        ("Service KPIs met", f"{pack.kpis_met} of {len(pack.kpis)}", "against the agreed targets", None),
        ("Next review", text.date(pack.next_review), f"last review {text.date(pack.last_review)}", None),
    ])
    _objectives(d, pack)
    _actions(d, pack.actions, "Joint actions")
    d.tables("Service report card", ["KPI", "Target", "Actual", "Unit", "Status"],
             _rows(pack.kpis, "kpis", lambda k: [k.kpi.name, f"{'≥' if k.kpi.higher_is_better else '≤'} {text.recorded(k.kpi.target)}",
                                         text.recorded(k.kpi.actual), text.plain(k.kpi.unit), k.status.upper()]),
             widths=[5, 1.5, 1.5, 1.5, 2])
    _decisions(d, pack)
    _working_together(d, pack)
    return d.save(pack)


def _whitespace(d, g) -> None:
    """The whitespace grid (`kaplan.whitespace.Grid`): buying units down, offerings across."""
    if g.rows:
        rows = [[r.unit, *(c.words for c in r.cells)] for r in g.rows]
        if g.drawn_words:  # as the HTML pack says it: the grid lays out `capped.ROWS_SHOWN` of each at most
            rows.append([g.drawn_words, *[""] * len(g.offerings)])
        d.tables(f"Whitespace: open white space {g.white_space_words} (not offered or held by a competitor)",
                 ["Buying unit", *g.offerings], rows, widths=[2.5] + [2] * len(g.offerings))


def _working_together(d, pack) -> None:
    if pack.working_together:
        d.tables("Working together", ["", ""], [[label, words] for label, words in pack.working_together_drawn],
                 widths=[2.5, 9.5])


def _objectives(d, pack) -> None:
    rows = []
    for o in capped.shown(pack.objectives):  # each objective's measures capped as the HTML pack's tables
        rows += [[o.objective.title, r.measure.name, text.recorded(r.measure.baseline),
                  text.recorded(r.measure.current), text.recorded(r.measure.target), text.plain(r.measure.unit),
                  text.progress(r.progress)] for r in capped.shown(o.measure_rows, "measures")]
        if capped.more(o.measure_rows, "measures"):
            rows.append([o.objective.title, capped.more(o.measure_rows, "measures"), "", "", "", "", ""])
    if capped.more(pack.objectives):  # as the HTML pack: the objectives past ROWS_SHOWN are counted, not drawn
        rows.append([capped.more(pack.objectives), "", "", "", "", "", ""])
    d.tables("Objectives and progress", ["Objective", "Measure", "Baseline", "Current", "Target", "Unit", "Progress"],
             rows or [["No client objectives are recorded yet.", "", "", "", "", "", ""]],
             widths=[4, 4, 1.2, 1.2, 1.2, 1.2, 1.3])


def _actions(d, actions, title: str = "Action plan") -> None:
    d.tables(title, ["Action", "Serves", "Owner", "Due", "Status"],
             _rows(actions, "actions", lambda r: [r.action.action, r.objective.title if r.objective else text.DASH,
                                       text.plain(r.action.owner),
                                       text.date(r.action.due) + (f" · OVERDUE {r.overdue_days} d" if r.overdue else ""),
                                       text.label(r.action.status)])
             or [["No actions are recorded.", "", "", "", ""]],
             widths=[5, 3.5, 2, 2, 1.5], colour_first=[("red" if r.overdue else None) for r in capped.shown(actions, "actions")])


def _decisions(d, pack) -> None:
    d.tables(f"Decisions needed · next review {text.date(pack.next_review)}",
             ["Decision", "Decision makers", "Due", "Raised"],
             _rows(pack.decisions, "decisions", lambda r: [r.decision.decision,
                                                           capped.joined(r.decision.decision_makers, ", ") or text.DASH,
                                              " ".join(filter(None, (text.date(r.decision.due), r.overdue_words))),
                                              f"{text.label(r.review.kind)} {text.date(r.review.date)}"])
             or [["No open decisions.", "", "", ""]], widths=[5, 3, 1.5, 2.5])


def _rows(items, order: str, row) -> list[list[str]]:
    """A table's rows for a plan's list: `row(item)` for the items `capped.shown` draws (by
    `capped.ORDERS[order]`), then a row saying how many more there are (`capped.more`), as the HTML
    pack's table does."""
    rows = [row(item) for item in capped.shown(items, order)]
    if capped.more(items, order):
        rows.append([capped.more(items, order)] + [""] * (len(rows[0]) - 1))
    return rows


def _lines(row: list[str], widths, share: float = 1) -> int:
    """How many lines a table row wraps to: its longest cell for its column's width (+1 for padding),
    in a table `share` of the slide wide."""
    scale = 14 * share / sum(widths)
    return 1 + max((-(-len(text.plain(v)) // max(1, int(w * scale * CHARS_PER_WIDTH))) for v, w in zip(row, widths)),
                   default=1)


def _unbroken(lines: list[str], size: int, width: int) -> int:
    """The type size (points, at most `size`, at least `SMALLEST`) at which no word of `lines` is
    wider than `width` (EMU): a letter is taken as 0.6 of the size wide, the first line (a name, set
    one point larger and bold) counted at its size."""
    for pt in range(size, SMALLEST - 1, -1):
        if all(len(word) * (pt + (j == 0)) * 0.6 * 12700 <= width for j, line in enumerate(lines)
               for word in line.split()):
            return pt
    return SMALLEST


def _fits(rows: list[list[str]], widths, share: float = 1) -> bool:
    """Whether a table `share` of the slide wide fits on one slide, below its header row."""
    return sum(_lines(row, widths, share) for row in rows) <= LINES_PER_SLIDE


def _pages(heights: list[int], budget: int) -> list[int]:
    """Rows per slide: as few slides as the budget of lines allows, the rows shared evenly among them."""
    if not heights:
        return [0]
    for n in range(1, len(heights) + 1):
        size = -(-len(heights) // n)
        parts = [heights[i:i + size] for i in range(0, len(heights), size)]
        if all(sum(p) <= budget for p in parts) or size == 1:
            return [len(p) for p in parts]
    return [len(heights)]  # pragma: no cover - size 1 always fits the loop's exit


def _round(value: float | None, digits: int = 1) -> float | None:
    """A chart's value rounded as the pack prints it (`kaplan.rounding`: half away from zero), so the
    chart data and the text agree (an NPS of −12.5 is −13 in both)."""
    return None if value is None else rounded(value, digits) + 0.0


NO_REVENUE_BUBBLE = 1
"""The size of the bubble drawn for an account without revenue: a bubble of size 0 is not drawn at all."""


def _bubble(revenue: float | None) -> float:
    """A matrix bubble's size: the revenue as the tables show it (whole), at least `NO_REVENUE_BUBBLE`
    (the chart's key says which accounts are drawn so for want of revenue)."""
    return max(_round(revenue or 0, 0), NO_REVENUE_BUBBLE)


def _smallest_bubble(revenue: float | None, no_rate: bool) -> str:
    """Why the matrix's key says an account is drawn as the smallest bubble ("" when it is not): its
    revenue left out for want of a rate for its currency (`no_rate`: the pack's `unconverted`, which
    its summary names), or no revenue to show (none, or 0 as shown)."""
    if no_rate:
        return " (revenue left out: no rate for its currency; the smallest bubble)"
    return " (no revenue: the smallest bubble)" if _round(revenue or 0, 0) <= 0 else ""


class Deck:
    """A presentation being built: slides from the template's layouts, placed on its slide size."""

    def __init__(self, template: Path | None = None):
        self.pptx = need("pptx", "pptx", "pptx")
        from pptx import Presentation
        from pptx.util import Inches

        self.own = template is None
        if self.own:  # python-pptx's plain master, widened to 16:9 (its placeholders are placed per slide)
            self.prs = Presentation()
            self.prs.slide_width, self.prs.slide_height = Inches(13.333), Inches(7.5)
            keep_the_look(self.prs)
        else:  # its master, layouts and theme; none of its slides, notes, comments, tags…
            self.prs = open_template(template)
        layouts = list(self.prs.slide_layouts)
        self.title_layout = layouts[0]
        self.content_layout = min(layouts, key=lambda lay: (not _has_title(lay), len(lay.placeholders)))
        self.w, self.h = self.prs.slide_width, self.prs.slide_height
        self.margin = int(self.w * 0.04)
        self.top = int(self.h * 0.2)

    # -- slides ------------------------------------------------------------------------------------

    def title(self, heading: str, subtitle: str, note: str) -> None:
        s = self.prs.slides.add_slide(self.title_layout)
        if s.shapes.title is not None:
            s.shapes.title.text = clean(heading)
            self._place(s.shapes.title, 0.28, 0.2)
        body = [ph for ph in s.placeholders if ph.placeholder_format.idx != 0]
        if body:
            body[0].text = clean(f"{subtitle}\n{note}")
            self._place(body[0], 0.52, 0.2)
        else:
            self._text(s, f"{subtitle}\n{note}", self.margin, int(self.h * 0.6), self.w - 2 * self.margin, int(self.h * 0.2))

    def slide(self, title: str):
        s = self.prs.slides.add_slide(self.content_layout)
        for ph in list(s.placeholders):  # keep the title placeholder only; the body is placed here
            if ph.placeholder_format.idx != 0:
                ph._element.getparent().remove(ph._element)
        if s.shapes.title is not None:
            s.shapes.title.text = clean(title)
            self._place(s.shapes.title, 0.04, 0.13)
            for para in s.shapes.title.text_frame.paragraphs:
                for run in para.runs:
                    run.font.color.rgb = _rgb(ACCENT)
                    if self.own:
                        run.font.size = self.pptx.util.Pt(30)
        else:
            self._text(s, title, self.margin, int(self.h * 0.05), self.w - 2 * self.margin, int(self.h * 0.12), size=28,
                       colour=ACCENT, bold=True)
        return s

    def tables(self, title: str, headers: list[str], rows: list[list[str]], widths=None, colour_first=None) -> None:
        """A table over as many slides as it needs (the header on every one), split where the rows'
        wrapped lines fill a slide, into parts of about the same size (no slide holds one orphan row)."""
        widths = widths or [1] * len(headers)
        pages = _pages([_lines(row, widths) for row in rows], LINES_PER_SLIDE)
        start = 0
        for n, count in enumerate(pages):
            s = self.slide(title if len(pages) == 1 else f"{title} ({n + 1}/{len(pages)})")
            first = colour_first[start:start + count] if colour_first else None
            self.table(s, headers, rows[start:start + count], widths=widths, colour_first=first)
            start += count

    def table(self, s, headers, rows, widths=None, half=None, colour_first=None):
        """One table on slide `s`, each row as tall as its wrapped lines need (`_lines`), in the
        units of which a slide holds `LINES_PER_SLIDE` below a header row of one line (fewer, if the
        rows need more: a single row longer than a slide is squeezed to fit it rather than run off it)."""
        from pptx.util import Pt

        x, y, w, h = self._box(half)
        widths = widths or [1] * len(headers)
        share = HALF if half else 1
        lines = [_lines(headers, widths, share)] + [_lines(row, widths, share) for row in rows]
        unit = h // max(LINES_PER_SLIDE + 2, sum(lines))
        shape = s.shapes.add_table(len(rows) + 1, len(headers), x, y, w, unit * sum(lines))
        table = shape.table
        for row, n in zip(table.rows, lines):
            row.height = unit * n
        for j, share in enumerate(widths):
            table.columns[j].width = int(w * share / sum(widths))
        for j, head in enumerate(headers):
            self._cell(table.cell(0, j), head, Pt(12), bold=True, fill=ACCENT, colour="#ffffff")
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                first = colour_first[i - 1] if colour_first and i <= len(colour_first) else None  # none: the "more" row
                colour = RISK_FILL.get(first) if j == 0 and first else None
                self._cell(table.cell(i, j), value, Pt(11), colour=colour)
        return table

    def cards(self, s, cards) -> None:
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Pt

        x0, y0, w, h = self._box()
        cols = 4
        gap = int(w * 0.02)
        cw, ch = (w - gap * (cols - 1)) // cols, int(h * 0.42)
        for i, (label, value, sub, colour) in enumerate(cards):
            x, y = x0 + (i % cols) * (cw + gap), y0 + (i // cols) * (ch + gap)
            box = s.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, x, y, cw, ch)
            box.fill.solid()
            box.fill.fore_color.rgb = _rgb("#f0f3f7")
            box.line.color.rgb = _rgb(RISK_FILL[colour] if colour else "#d9dde3")
            box.line.width = Pt(3 if colour else 1)
            tf = box.text_frame
            tf.word_wrap = True
            for k, (words, size, col, bold) in enumerate([(label.upper(), 11, MUTED, False), (value, 28, INK, True),
                                                          (sub, 11, MUTED, False)]):
                para = tf.paragraphs[0] if k == 0 else tf.add_paragraph()
                run = para.add_run()
                run.text = clean(words)
                run.font.size, run.font.bold = Pt(size), bold
                run.font.color.rgb = _rgb(col)

    def bullets(self, s, lines: list[str], colour: str = INK) -> None:
        from pptx.util import Pt

        x, y, w, h = self._box()
        tf = s.shapes.add_textbox(x, y, w, h).text_frame
        tf.word_wrap = True
        for i, line in enumerate(lines):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            run = para.add_run()
            run.text = clean(f"• {line}")
            run.font.size = Pt(18)
            run.font.color.rgb = _rgb(colour if i == 0 else INK)

    def org(self, forest, more: str = "") -> None:
        """The relationship map: the people of each level of the reporting lines in rows of at most
        `BOXES_PER_ROW` boxes, `MAP_ROWS_PER_SLIDE` rows a slide (over as many slides as it takes),
        each box outlined by attitude and its type small enough that no word breaks; a line joins a
        person to the one they report to in the row just above, else the box says whom. `more`
        (what is said of the people not drawn) goes under the last slide's drawing."""
        from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
        from pptx.util import Pt

        levels: list[list] = []

        def walk(nodes, depth, parent):
            for node in nodes:
                while len(levels) <= depth:
                    levels.append([])
                levels[depth].append((node, parent))
                walk(node.children, depth + 1, node)

        walk(forest, 0, None)
        if not levels:
            self.bullets(self.slide("Relationship map"), ["No contacts are mapped yet."])
            return
        rows = [level[i:i + BOXES_PER_ROW] for level in levels for i in range(0, len(level), BOXES_PER_ROW)]
        pages = [rows[i:i + MAP_ROWS_PER_SLIDE] for i in range(0, len(rows), MAP_ROWS_PER_SLIDE)]
        x0, y0, w, h = self._box()
        row_of: dict[int, int] = {}  # each person's row, counted over the whole map
        for n, page in enumerate(pages):
            s = self.slide("Relationship map" if len(pages) == 1 else f"Relationship map ({n + 1}/{len(pages)})")
            bh = min(int(h / len(page) * 0.8), int(self.h * 0.14))
            placed = {}
            for k, row in enumerate(page):
                number = n * MAP_ROWS_PER_SLIDE + k
                bw = min(int(w / len(row) * 0.9), int(w * 0.22))
                step = w / len(row)
                base = 12 if len(row) <= 4 else 10
                for i, (node, parent) in enumerate(row):
                    c = node.contact
                    row_of[id(node)] = number
                    x, y = int(x0 + step * i + (step - bw) / 2), int(y0 + k * h / len(page))
                    box = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y, bw, bh)
                    box.fill.solid()
                    box.fill.fore_color.rgb = _rgb("#ffffff")
                    box.line.color.rgb = _rgb(ATTITUDE_FILL.get(c.attitude.value if c.attitude else "", MUTED))
                    box.line.width = Pt(2.5)
                    tf = box.text_frame
                    tf.word_wrap = True
                    joined = parent is not None and id(parent) in placed and row_of[id(parent)] == number - 1
                    lines = [clean(c.name), clean(text.plain(c.title)) if c.title else "",
                             clean(f"{text.label(c.buying_role)} · {text.label(c.attitude)} · {text.dots(c.strength)}"
                                   + (f" · left {text.date(c.left)}" if c.left else ""))]
                    if parent is not None and not joined:
                        lines.append(clean(f"reports to {parent.contact.name}"))
                    size = _unbroken(lines, base, bw - INSETS)
                    for j, words in enumerate(lines):
                        para = tf.paragraphs[0] if j == 0 else tf.add_paragraph()
                        run = para.add_run()
                        run.text = words
                        run.font.size, run.font.bold = Pt(size if j else size + 1), j == 0
                        run.font.color.rgb = _rgb(INK if j < 2 else MUTED)
                    placed[id(node)] = box
                    if joined:
                        up = placed[id(parent)]
                        line = s.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, up.left + up.width // 2,
                                                      up.top + up.height, box.left + box.width // 2, box.top)
                        line.line.color.rgb = _rgb("#aab4c0")
            if n == len(pages) - 1:
                self.note(s, more)

    def note(self, s, words: str) -> None:
        """A line under a slide's drawing saying what it leaves out (nothing when `words` is empty)."""
        if words:
            x0, _, w, _ = self._box()
            self._text(s, words, x0, int(self.h * 0.93), w, int(self.h * 0.05), size=12, colour=MUTED)

    # -- charts (native, editable) -----------------------------------------------------------------

    def column_chart(self, s, categories, series, half=None, point_colours=None):
        return self._chart(s, "COLUMN_CLUSTERED", categories, series, half, point_colours)

    def bar_chart(self, s, categories, series, colours=None):
        return self._chart(s, "BAR_CLUSTERED", categories, series, None, colours)

    def line_chart(self, s, categories, series, half=None):
        return self._chart(s, "LINE_MARKERS", categories, series, half)

    def _chart(self, s, kind, categories, series, half, point_colours=None):
        from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION

        from kaplan.report.chart_data import CategoryData

        data = CategoryData()
        from kaplan.views._csv import cell

        # a chart's numbers live in a workbook inside the deck ("Edit Data"), which runs a label
        # starting with `=` as a formula: labels are neutralised there as in every CSV
        data.categories = [cell(clean(c)) for c in categories]
        for name, values in series:
            data.add_series(name, values)
        x, y, w, h = self._box(half)
        chart = s.shapes.add_chart(getattr(XL_CHART_TYPE, kind), x, y, w, h, data).chart
        chart.has_title = False  # the slide's title says what the chart is
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # labels clear of negative bars
        chart.value_axis.tick_labels.number_format, chart.value_axis.tick_labels.number_format_is_linked = "#,##0", False
        chart.has_legend = len(series) > 1
        if chart.has_legend:
            chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
        for k, plot_series in enumerate(chart.plots[0].series):
            fmt = plot_series.format
            colour = SERIES[k % len(SERIES)]
            if kind.startswith("LINE"):
                fmt.line.color.rgb = _rgb(colour)
            else:
                fmt.fill.solid()
                fmt.fill.fore_color.rgb = _rgb(colour)
                if point_colours and k == 0:
                    for i, pc in enumerate(point_colours):
                        point = plot_series.points[i]
                        point.format.fill.solid()
                        point.format.fill.fore_color.rgb = _rgb(pc)
        return chart

    def matrix(self, s, pack):
        """Strength (x) against attractiveness (y), one bubble per account sized by revenue, one series per risk colour."""
        from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION

        from kaplan.report.chart_data import BubbleData

        data = BubbleData()
        drawn = [p for p in pack.accounts if p.score.strength is not None and p.score.attractiveness is not None]
        groups = [(c, [p for p in drawn if p.health.colour == c]) for c in ("green", "amber", "red")]
        groups = [(c, ps) for c, ps in groups if ps]
        for colour, placed in groups:
            series = data.add_series(f"{colour} ({len(placed)})")
            for p in placed:
                series.add_data_point(_round(p.score.strength), _round(p.score.attractiveness), _bubble(p.score.revenue))
        x, y, w, h = self._box()
        chart = s.shapes.add_chart(XL_CHART_TYPE.BUBBLE, x, y, int(w * 0.66), h, data).chart
        chart.plots[0].bubble_scale = 40
        chart.has_legend = True
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
        for axis in (chart.category_axis, chart.value_axis):
            axis.minimum_scale, axis.maximum_scale = 0, 100
            axis.major_unit = pack.scoring.matrix.split
        chart.category_axis.has_title = chart.value_axis.has_title = True
        chart.category_axis.axis_title.text_frame.text = "our relative strength"
        chart.value_axis.axis_title.text_frame.text = "client attractiveness"
        for (colour, placed), series in zip(groups, chart.plots[0].series):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _rgb(RISK_FILL[colour])
            for i, p in enumerate(placed):  # the rank on the bubble, the names beside the chart
                series.points[i].data_label.text_frame.text = text.plain(p.score.rank)
        bubbles, no_rate = {id(p) for p in drawn}, {id(p) for p in pack.unconverted}
        key = [f"{text.plain(p.score.rank)}  {p.score.name} · {p.score.quadrant}"
               + (_smallest_bubble(p.score.revenue, id(p) in no_rate) if id(p) in bubbles else "")
               for p in pack.accounts]
        self._text(s, "\n".join(key), x + int(w * 0.68), y, int(w * 0.32), h, size=12 if len(key) <= 20 else 8)
        return chart

    # -- pieces ------------------------------------------------------------------------------------

    def _place(self, shape, top: float, height: float) -> None:
        """Across the slide at `top` (a share of its height): only on the plain master, whose layouts
        are drawn for 4:3; a company's template keeps its own placement."""
        if self.own:
            shape.left, shape.width = self.margin, self.w - 2 * self.margin
            shape.top, shape.height = int(self.h * top), int(self.h * height)

    def _box(self, half=None):
        x, y, w, h = self.margin, self.top, self.w - 2 * self.margin, self.h - self.top - self.margin
        if half == "left":
            return x, y, int(w * 0.49), h
        if half == "right":
            return x + int(w * 0.51), y, int(w * 0.49), h
        return x, y, w, h

    def _cell(self, cell, value, size, bold=False, fill=None, colour=None):
        cell.text = clean(text.plain(value)) if value is not None else ""
        for para in cell.text_frame.paragraphs:
            for run in para.runs:
                run.font.size, run.font.bold = size, bold or (colour is not None and fill is None)
                if colour:
                    run.font.color.rgb = _rgb(colour)
        if fill:
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(fill)

    def _text(self, s, words, x, y, w, h, size=18, colour=INK, bold=False):
        from pptx.util import Pt

        tf = s.shapes.add_textbox(x, y, w, h).text_frame
        tf.word_wrap = True
        for i, line in enumerate(words.split("\n")):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            run = para.add_run()
            run.text = clean(line)
            run.font.size, run.font.bold = Pt(size), bold
            run.font.color.rgb = _rgb(colour)

    def save(self, pack, author: str = "") -> bytes:
        """The deck's bytes, dated the pack's day throughout (the same inputs, the same file), with the
        pack's own document properties (`properties`: its title, `author` for an internal account
        deck, nobody for the portfolio's or a client's; nothing of python-pptx's or the template's)."""
        for s in self.prs.slides:
            empty_placeholders(s)
        buf = io.BytesIO()
        self.prs.save(buf)
        return settle(buf.getvalue(), pack.today, documented(title(pack), author, pack.today))


def _has_title(layout) -> bool:
    return any(ph.placeholder_format.type is not None and ph.placeholder_format.idx == 0 for ph in layout.placeholders)


def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#"))
