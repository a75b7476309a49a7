"""The report's later parts: the open questions, the advice, the opinion groups, the
comments, and a series of workshops. :mod:`workshop.report` puts them in order."""

from __future__ import annotations

import pandas as pd

from simulators import registry
from workshop import analysis
from workshop.i18n import Translator
from workshop.report_charts import (
    GREY,
    Document,
    bars,
    grouped,
    journey,
    stacked,
    table,
    table_height,
)
from workshop.report_data import (
    OVERALL,
    Data,
    mode_name,
    nickname,
    short_stage,
    stage_name,
    use_case_title,
)
from workshop.vocabulary import ADVICE_THEMES, OPEN_QUESTIONS

#: Most pieces of advice listed per theme (the rest are in the advice export).
ADVICE_SHOWN = 8
#: Most pieces of advice on the opinion groups' chart.
GROUP_ROWS = 8


def _said(t: Translator, text: str, who: str | None, names: bool) -> str:
    """A participant's words, quoted as written; their nickname only if ``names``."""
    quoted = t.gettext("“{text}”").format(text=text)
    return f"{quoted}\n{nickname(t, who)}" if names and who else quoted


def _not_shown(t: Translator, n: int) -> str:
    return t.ngettext(
        "{n} note not approved by the facilitator is not shown.",
        "{n} notes not approved by the facilitator are not shown.", n).format(n=t.number(n))


# -- the open questions ----------------------------------------------------------------


def questions_section(doc: Document, t: Translator, d: Data, title: str,
                      names: bool) -> None:
    doc.new_page()
    doc.heading(t.gettext(title), 1)
    doc.paragraph(t.gettext(
        "In the 2025 dialogue, people named questions that must be answered before they "
        "could feel confident that AI is used well in policing. Here is how this room "
        "answered them; each person's latest answer counts."))
    answers = d.answers
    for number, (key, (question, choices)) in enumerate(OPEN_QUESTIONS.items(), start=1):
        doc.heading(t.gettext("{n}. {question}").format(n=number, question=t.gettext(question)),
                    3)
        mine = answers[answers["question"] == key] if not answers.empty else answers
        total = len(mine)
        if not total:
            doc.paragraph(t.gettext("Nobody answered this question."))
            continue
        counts = {c: int((mine["choice"] == c).sum()) for c in choices}
        most = max(counts.values())
        tops = [t.gettext("“{choice}”").format(choice=t.gettext(choices[c]))
                for c, k in counts.items() if k == most]
        said = (t.gettext("The answer chosen most: {choice} ({k} of {n}).").format(
            choice=tops[0], k=t.number(most), n=t.number(total)) if len(tops) == 1 else
            t.gettext("The answers chosen most, {k} of {n} each: {choices}.").format(
                k=t.number(most), n=t.number(total), choices="; ".join(tops)))
        caption = " ".join([t.ngettext("{n} person answered.", "{n} people answered.",
                                       total).format(n=t.number(total)), said])
        doc.chart(0.25 + 0.36 * len(choices), lambda fig, box, c=counts, ch=choices: bars(
            fig, box, [t.gettext(ch[k]) for k in c], list(c.values()), label_width=3.2),
            caption)
        noted = mine[mine["note"].fillna("") != ""]
        approved = noted[noted["status"] == "approved"]
        if not approved.empty:
            doc.paragraph(t.gettext("Notes people added:"), 9.5)
            doc.bullets([_said(t, r.note, r.participant, names)
                         for r in approved.itertuples()], 9.5)
        if len(noted) > len(approved):
            doc.paragraph(_not_shown(t, len(noted) - len(approved)), 8.5, color=GREY)


# -- the advice -------------------------------------------------------------------------


def advice_section(doc: Document, t: Translator, d: Data, title: str, names: bool) -> None:
    doc.new_page()
    doc.heading(t.gettext(title), 1)
    doc.paragraph(t.gettext(
        "People wrote advice for the police and the Home Office under the dialogue's three "
        "themes, then voted on each other's: agree, disagree or pass. Within each theme, "
        "advice with at least {n} votes is ranked by the share of its votes that agree (a "
        "pass counts as a vote); advice with fewer follows, most voted first. “Divided” "
        "marks advice with support on both sides: the smaller side at least half the "
        "larger.").format(n=analysis.MIN_VOTES))
    advice = d.advice
    approved = advice[advice["status"] == "approved"] if not advice.empty else advice
    waiting = int((advice["status"] == "pending").sum()) if not advice.empty else 0
    hidden = int((advice["status"] == "hidden").sum()) if not advice.empty else 0
    left = []
    if waiting:
        left.append(t.ngettext(
            "{n} piece of advice still waiting for the facilitator is not shown.",
            "{n} pieces of advice still waiting for the facilitator are not shown.",
            waiting).format(n=t.number(waiting)))
    if hidden:
        left.append(t.ngettext("{n} piece of advice the facilitator hid is not shown.",
                               "{n} pieces of advice the facilitator hid are not shown.",
                               hidden).format(n=t.number(hidden)))
    if left:
        doc.paragraph(" ".join(left), 9.5)
    if approved.empty:
        doc.paragraph(t.gettext("No advice was approved in this workshop."))
        return
    ranked = analysis.rank_advice(approved)
    for theme, name in ADVICE_THEMES.items():
        mine = ranked[ranked["theme"] == theme]
        if mine.empty:
            doc.heading(t.gettext(name), 2)
            doc.paragraph(t.gettext("No approved advice under this theme."))
            continue
        _theme_advice(doc, t, t.gettext(name), mine, names)


def _theme_advice(doc: Document, t: Translator, title: str, mine: pd.DataFrame,
                  names: bool) -> None:
    """A theme's advice, most agreed first, numbered, and a chart of its votes."""
    shown = mine.head(ADVICE_SHOWN)
    items = []
    for n, row in enumerate(shown.to_dict("records"), start=1):
        votes = row["agree"] + row["disagree"] + row["pass"]
        tally = t.ngettext(
            "{agree} agree, {disagree} disagree, {passed} pass ({n} vote).",
            "{agree} agree, {disagree} disagree, {passed} pass ({n} votes).", votes).format(
                agree=t.number(row["agree"]), disagree=t.number(row["disagree"]),
                passed=t.number(row["pass"]), n=t.number(votes))
        if not row["ranked"]:
            tally = " ".join([tally, t.gettext("Too few votes to rank.")])
        if row["divided"]:
            tally = " ".join([tally, t.gettext("Divided: support on both sides.")])
        text = _said(t, row["text"], row["author"], names)
        items.append(t.gettext("{n}. {advice}").format(n=n, advice=text) + "\n" + tally)
    chart = 0.55 + 0.3 * len(shown)
    doc.space(0.16)
    doc.keep(doc.bullets_height(items, 9.5) + chart + 1.0)
    doc.heading(title, 2, keep=0.3)
    doc.bullets(items, 9.5, mark="")
    top = shown.iloc[0]
    top_votes = int(top["agree"] + top["disagree"] + top["pass"])
    if top["ranked"]:
        said = [t.ngettext(
            "Number 1 has the most agreement: {k} of the {n} people who voted on it agrees.",
            "Number 1 has the most agreement: {k} of the {n} people who voted on it agree.",
            int(top["agree"])).format(k=t.number(int(top["agree"])), n=t.number(top_votes))]
    elif top_votes:
        said = [t.ngettext(
            "No advice here has {n} vote yet, so none is ranked: the most voted comes first.",
            "No advice here has {n} votes yet, so none is ranked: the most voted comes first.",
            analysis.MIN_VOTES).format(n=t.number(analysis.MIN_VOTES))]
    else:
        said = [t.gettext("Nobody has voted on this advice yet.")]
    divided = int(shown["divided"].sum())
    if divided:
        said.append(t.ngettext("{n} piece of advice here divides the room.",
                               "{n} pieces of advice here divide the room.",
                               divided).format(n=t.number(divided)))
    if len(mine) > len(shown):
        rest = len(mine) - len(shown)
        said.append(t.ngettext(
            "{n} more piece of advice under this theme, with fewer agreeing, is in the "
            "advice download.", "{n} more pieces of advice under this theme, with fewer "
            "agreeing, are in the advice download.", rest).format(n=t.number(rest)))
    doc.chart(chart, lambda fig, box: stacked(
        fig, box, [str(n) for n in range(1, len(shown) + 1)],
        [shown["agree"].tolist(), shown["disagree"].tolist(), shown["pass"].tolist()],
        [t.gettext("Agree"), t.gettext("Disagree"), t.gettext("Pass")]), " ".join(said))


# -- opinion groups ----------------------------------------------------------------------


def groups_section(doc: Document, t: Translator, d: Data, title: str) -> None:
    doc.new_page()
    doc.heading(t.gettext(title), 1)
    doc.paragraph(t.gettext(
        "A computer looked for groups of people who voted alike on the approved advice, "
        "as Pol.is does: it places each person by their votes, then finds the clearest "
        "split into 2 to 5 groups. The groups come from the votes alone: they say nothing "
        "of who people are, and a split is not proof that the room is divided. Groups of "
        "fewer than {n} people are not shown.").format(n=analysis.MIN_GROUP))
    approved = set(d.advice.loc[d.advice["status"] == "approved", "advice_id"]) \
        if not d.advice.empty else set()
    votes = d.votes[d.votes["advice_id"].isin(approved)]
    if votes.empty:
        doc.paragraph(t.gettext("Nobody voted on approved advice, so there are no groups "
                                "to show."))
        return
    groups = analysis.opinion_groups(votes)
    shown = analysis.shown_groups(groups)
    voters = len(groups)
    sizes = shown["group"].value_counts().sort_index()
    if len(sizes) < 2:
        doc.paragraph(t.ngettext(
            "The votes of the {n} person who voted do not split into two or more groups of "
            "at least {m} people.", "The votes of the {n} people who voted do not split "
            "into two or more groups of at least {m} people.", voters).format(
                n=t.number(voters), m=analysis.MIN_GROUP))
        return
    doc.paragraph(t.ngettext(
        "The {n} person who voted fall into {k} opinion groups:",
        "The {n} people who voted fall into {k} opinion groups:", voters).format(
            n=t.number(voters), k=t.number(len(sizes))))
    doc.bullets([t.ngettext("Group {g}: {n} person.", "Group {g}: {n} people.", int(n))
                 .format(g=g, n=t.number(int(n))) for g, n in sizes.items()], 9.5)
    if voters > len(shown):
        doc.paragraph(t.ngettext(
            "{n} person in a group too small to show is left out.",
            "{n} people in groups too small to show are left out.",
            voters - len(shown)).format(n=t.number(voters - len(shown))), 9.5)
    _across(doc, t, d, votes, groups, list(sizes.index))


def _across(doc: Document, t: Translator, d: Data, votes: pd.DataFrame,
            groups: pd.DataFrame, numbers: list[int]) -> None:
    table_ = analysis.across_groups(votes, groups)
    texts = d.advice.set_index("advice_id")["text"]
    columns = [f"group_{g}" for g in numbers]
    uniting = table_[table_["unites"]]
    dividing = table_[~table_["unites"] & (table_["difference"] > 0)].sort_values(
        ["difference", "advice_id"], ascending=[False, True])
    rows = pd.concat([uniting, dividing]).head(GROUP_ROWS)
    if rows.empty:
        doc.paragraph(t.gettext("No advice has votes from more than one group yet."))
        return
    label = {a: n for n, a in enumerate(rows["advice_id"], start=1)}
    said = [t.ngettext(
        "{n} piece of advice has a majority agreeing in every group.",
        "{n} pieces of advice have a majority agreeing in every group.",
        len(uniting)).format(n=t.number(len(uniting)))]
    if not dividing.empty:
        top = dividing.iloc[0]
        shares = top[columns].astype(float)
        said.append(t.gettext(
            "The advice that divides the groups most is number {a}: {high} in 100 of group "
            "{g_high}'s votes agree with it, {low} in 100 of group {g_low}'s.").format(
                a=label[top["advice_id"]], high=t.number(100 * shares.max()),
                g_high=columns[int(shares.argmax())].removeprefix("group_"),
                low=t.number(100 * shares.min()),
                g_low=columns[int(shares.argmin())].removeprefix("group_")))
    said.append(t.gettext("“–”: nobody in that group voted on it."))
    for heading, part in ((t.gettext("Advice every group agrees with"), uniting),
                          (t.gettext("Advice that divides the groups most"), dividing)):
        part = part[part["advice_id"].isin(label)]
        if part.empty:
            continue
        doc.heading(heading, 3)
        doc.bullets([
            t.gettext("{n}. {advice}").format(n=label[r["advice_id"]], advice=t.gettext(
                "“{text}”").format(text=texts.get(r["advice_id"], ""))) + "\n" + "; ".join(
                t.gettext("group {g}: {share} in 100 agree").format(
                    g=c.removeprefix("group_"), share="–" if pd.isna(r[c])
                    else t.number(100 * r[c])) for c in columns)
            for r in part.to_dict("records")], 9.5, mark="")
    doc.chart(0.9 + 0.14 * len(rows) * len(numbers), lambda fig, box: grouped(
        fig, box, [str(n) for n in label.values()],
        [[None if pd.isna(v) else float(v) for v in r] for r in rows[columns].to_numpy()],
        [t.gettext("Group {g}").format(g=g) for g in numbers],
        t.gettext("Votes that agree, out of 100")), " ".join(said))


# -- what people said ---------------------------------------------------------------------


def comments_section(doc: Document, t: Translator, d: Data, title: str, names: bool) -> None:
    doc.new_page()
    doc.heading(t.gettext(title), 1)
    doc.paragraph(t.gettext("Comments people wrote with their answers, shown only if the "
                            "facilitator approved them, exactly as written."))
    comments = d.comments
    approved = comments[comments["status"] == "approved"].sort_values(
        ["created_at", "reaction_id"])
    others = len(comments) - len(approved)
    if others:
        doc.paragraph(t.ngettext(
            "{n} comment that was not approved (waiting or hidden) is not included.",
            "{n} comments that were not approved (waiting or hidden) are not included.",
            others).format(n=t.number(others)), 9.5)
    if approved.empty:
        doc.paragraph(t.gettext("No comments were approved in this workshop."))
        return
    known = [OVERALL, *registry.USE_CASES]
    for key in [*known, *sorted(set(approved["use_case"]) - set(known))]:
        mine = approved[approved["use_case"] == key]
        if mine.empty:
            continue
        doc.heading(use_case_title(t, key), 3)
        for row in mine.itertuples():
            doc.paragraph(stage_name(t, key, row.stage), 8, color=GREY, after=0)
            doc.paragraph(_said(t, row.comment, row.participant, names), 9.5, indent=0.15)


# -- a series of workshops ------------------------------------------------------------------


def series_section(doc: Document, t: Translator, d: Data, title: str) -> None:
    info, sr = d.series, d.series_reactions
    assert info is not None and sr is not None
    doc.heading(t.gettext(title), 1, keep=2.0)
    workshops = info["workshops"]
    codes = [w["code"] for w in workshops]
    comfort = analysis.series_comfort(sr, codes)
    doc.paragraph(t.ngettext(
        "This workshop is one of {n} in the series “{name}”.",
        "This workshop is one of {n} in the series “{name}”.", len(codes)).format(
            n=t.number(len(codes)), name=info["name"]) + " " + t.gettext(
        "People who came back typed the return code they were given, so their answers can "
        "be followed from one workshop to the next, by a number, never a name."))
    seen: set[str] = set()
    rows = []
    for n, w in enumerate(workshops, start=1):
        people = set(sr.loc[sr["workshop_code"] == w["code"], "person_id"])
        rows.append([str(n), w["title"], t.date(w["created_at"], with_time=False),
                     mode_name(t, w["mode"]), t.number(d.series_counts.get(w["code"], 0)),
                     t.number(len(people)), t.number(len(people & seen))])
        seen |= people
    header = [t.gettext("No."), t.gettext("Workshop"), t.gettext("Date"),
              t.gettext("Where"), t.gettext("Joined"), t.gettext("Answered"),
              t.gettext("Came back")]
    widths = [0.35, 1.9, 1.25, 0.8, 0.6, 0.85, 0.8]
    height = table_height(header, rows, widths)
    doc.chart(height, lambda fig, box: table(fig, box, header, rows, widths))
    total = comfort["person"].nunique()
    back = analysis.came_back(comfort)
    doc.paragraph(t.ngettext(
        "{k} of the {n} person who answered came to more than one workshop.",
        "{k} of the {n} people who answered came to more than one workshop.", total).format(
            k=t.number(back), n=t.number(total)) + " " + t.gettext(
        "“Came back”: people who had answered in an earlier workshop of the series."))
    doc.paragraph(t.gettext(
        "Each chart shows comfort from 1 (very uncomfortable) to 5 (very comfortable) at "
        "each point of the series: the box holds the middle half of the answers, the line "
        "in it is the middle answer and the diamond the average. A grey line follows each "
        "person who answered in more than one workshop."), 9.5)
    for key in (OVERALL, *registry.USE_CASES):
        _journey(doc, t, comfort[comfort["use_case"] == key], key)


def _journey(doc: Document, t: Translator, rows: pd.DataFrame, use_case: str) -> None:
    points = (rows[["workshop", "stage"]].drop_duplicates()
              .assign(order=lambda p: p["stage"].map(analysis.STAGE_ORDER))
              .sort_values(["workshop", "order"]))
    if rows.empty or rows["workshop"].nunique() < 2:
        return
    keys = list(zip(points["workshop"], points["stage"], strict=True))
    labels = [t.gettext("Workshop {n}").format(n=w) + "\n" + short_stage(t, use_case, s)
              for w, s in keys]
    values = [rows.loc[(rows["workshop"] == w) & (rows["stage"] == s), "comfort"].tolist()
              for w, s in keys]
    where = {k: i for i, k in enumerate(keys)}
    paths, up, down, same = [], 0, 0, 0
    for _person, mine in rows.groupby("person"):
        if mine["workshop"].nunique() < 2:
            continue
        mine = mine.assign(x=[where[k] for k in zip(mine["workshop"], mine["stage"],
                                                     strict=True)]).sort_values("x")
        paths.append((mine["x"].tolist(), mine["comfort"].tolist()))
        first, last = mine["comfort"].iloc[0], mine["comfort"].iloc[-1]
        up, down, same = up + (last > first), down + (last < first), same + (last == first)
    said = [t.ngettext(
        "Average comfort at {point}: {mean}, from {n} person.",
        "Average comfort at {point}: {mean}, from {n} people.", len(v)).format(
            point=label.replace("\n", ", "), mean=t.number(sum(v) / len(v), 1),
            n=t.number(len(v)))
        for label, v in ((labels[0], values[0]), (labels[-1], values[-1]))]
    if paths:
        said.append(t.ngettext(
            "Of the {n} person who answered in more than one workshop, {up} ended more "
            "comfortable than they began, {down} less comfortable and {same} the same.",
            "Of the {n} people who answered in more than one workshop, {up} ended more "
            "comfortable than they began, {down} less comfortable and {same} the same.",
            len(paths)).format(n=t.number(len(paths)), up=t.number(up), down=t.number(down),
                               same=t.number(same)))
    doc.heading(use_case_title(t, use_case), 3, keep=3.0)
    doc.chart(2.5, lambda fig, box: journey(
        fig, box, labels, values, paths, (t.gettext("middle half"), t.gettext("average"),
                                          t.gettext("one person"))), " ".join(said))
