"""The made-up town of the reoffending-risk toy: people, their records, and the people
who judge them by hand. No model here, no Streamlit.

Everyone's behaviour is drawn the same way in both groups. Bias gets in only through
where some of group B live and how they are watched, and through the people judging:

- **patrolled**: a share ``historic_patrol_bias`` of group B live in streets the
  police patrol far more. There an offence is twice as likely to end in an arrest
  (``CAUGHT_PATROLLED`` instead of ``CAUGHT``), and arrests with no offence behind them
  (stops that ended in an arrest and no charge) are ``STOPS_PATROLLED`` times as
  common. Convictions follow only real offences that were caught. The same patrols
  catch more of what comes next: a reoffender is re-arrested more often
  (``REARREST_IF_REOFFEND_PATROLLED``), and so is someone who did nothing
  (``REARREST_IF_NOT_PATROLLED``).
- **watched**: a share ``label_bias`` of group B are watched more closely after
  release, so for the same behaviour they are re-arrested more still (a reoffender
  ``REARREST_IF_REOFFEND_WATCHED`` instead of ``REARREST_IF_REOFFEND``; someone who did
  nothing, ``REARREST_IF_NOT_WATCHED`` instead of ``REARREST_IF_NOT``). The same streets:
  the people watched are the first of those patrolled, so the two biases overlap.
- **read harshly**: offender managers judging risk by hand read each person's record
  (age, arrests, convictions, a job: what the AI reads) with a rule of thumb
  (:func:`people_reading`), and know a little more of each person than the record
  says (``KNOWN`` of their real risk), through a blur (``PEOPLE_BLUR``). A stereotype
  of strength ``people_bias`` makes them read a group B record with any arrest on it as
  riskier (``READ_HARSHER`` at full strength): whom it moves depends on each record,
  and the gap it makes is measured, not set.

Each concern draws from its own random stream, and every draw is made whatever the
settings, so one world number is one set of people: moving a bias slider changes only
the records (or the judging), never who the people are or what they really did. That
also makes each slider's effect smooth: a slider moved up adds people to the
patrolled (watched) share, and takes nobody out; a stronger stereotype moves the same
people further.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

AGE_RANGE = (18, 60)
TENDENCY_SHAPE, TENDENCY_SCALE = 1.5, 0.6  # hidden tendency to offend (gamma)
MAX_YEARS = 12  # years of adult record that count
OFFENCES_PER_YEAR = 0.5  # offences a year per unit of tendency
CAUGHT = 0.35  # chance an offence leads to an arrest
CAUGHT_PATROLLED = 0.70  # ... in a heavily patrolled street
STOPS_PER_YEAR = 0.03  # arrests with no offence behind them, a year
STOPS_PATROLLED = 4  # times as many in a heavily patrolled street
CONVICTED = 0.6  # chance a caught offence ends in a conviction
# Chance the records show a re-arrest: plain, in a heavily patrolled street, watched.
REARREST_IF_REOFFEND = 0.60
REARREST_IF_REOFFEND_PATROLLED, REARREST_IF_REOFFEND_WATCHED = 0.75, 0.95
REARREST_IF_NOT = 0.03
REARREST_IF_NOT_PATROLLED, REARREST_IF_NOT_WATCHED = 0.06, 0.20
PEOPLE_BLUR = 0.8  # spread of people's judgement (log-odds)
KNOWN = 0.4  # the share of their judgement that comes from knowing the person's real risk
#: What a full-strength stereotype adds to the risk offender managers read into a group B
#: record with any arrest on it (log-odds): a clean record escapes it.
READ_HARSHER = 2.0

FEATURES = ("age", "arrests", "convictions", "employed")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _per_person(owner: np.ndarray, hits: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(owner, weights=hits, minlength=n).astype(np.int64)


def make_world(seed: int, n: int, group_b_share: float, patrol_bias: float,
               label_bias: float, people_bias: float) -> dict[str, np.ndarray]:
    """``n`` made-up people: the same behaviour in both groups, biased records in B.

    Returns one array per column: ``group``, the features the AI reads (``FEATURES``),
    the hidden truth (``offences``, ``stop_arrests``, ``reoffended``, ``risk``: the
    real chance of reoffending), the record of what came next (``rearrested``), who
    was ``patrolled`` or ``watched``, whose record the people read more ``harsh``-ly
    (group B, with arrests, under a stereotype), the people's judged risk (``judged``,
    log-odds), and the arrests the same people would have on record
    without the extra patrols (``arrests_unpatrolled``, ``convictions_unpatrolled``).
    """
    behaviour, record, later, judging = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4))
    b = behaviour.random(n) < group_b_share
    age = behaviour.integers(AGE_RANGE[0], AGE_RANGE[1] + 1, n)
    tendency = behaviour.gamma(TENDENCY_SHAPE, TENDENCY_SCALE, n)
    years = np.minimum(age - 16, MAX_YEARS)
    employed = behaviour.random(n) < _sigmoid(1.0 - 0.8 * tendency + 0.02 * (age - 30))
    offences = behaviour.poisson(OFFENCES_PER_YEAR * tendency * years)
    risk = 0.35 + 1.2 * np.log(tendency) - 0.045 * (age - 30) - 0.5 * employed
    reoffended = behaviour.random(n) < _sigmoid(risk)

    # Where group B people live: the lowest draws are the most patrolled streets.
    street = record.random(n)
    patrolled = b & (street < patrol_bias)
    watched = b & (street < label_bias)
    # One draw per offence and per possible stop, whatever the settings.
    owner = np.repeat(np.arange(n), offences)
    catch, convict = record.random(owner.size), record.random(owner.size)
    stops_most = record.poisson(years * STOPS_PER_YEAR * STOPS_PATROLLED)
    stop_owner = np.repeat(np.arange(n), stops_most)
    stop_kept = record.random(stop_owner.size)

    def on_record(heavy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        caught = catch < np.where(heavy, CAUGHT_PATROLLED, CAUGHT)[owner]
        stops = _per_person(stop_owner, stop_kept < np.where(heavy, 1.0, 1 / STOPS_PATROLLED)[
            stop_owner], n)
        convictions = _per_person(owner, caught & (convict < CONVICTED), n)
        return _per_person(owner, caught, n) + stops, convictions, stops

    arrests, convictions, stops = on_record(patrolled)
    arrests_plain, convictions_plain, _ = (on_record(np.zeros(n, dtype=bool))
                                           if patrolled.any() else (arrests, convictions, stops))
    p_rearrest = np.where(
        reoffended,
        np.select([watched, patrolled], [REARREST_IF_REOFFEND_WATCHED,
                                         REARREST_IF_REOFFEND_PATROLLED], REARREST_IF_REOFFEND),
        np.select([watched, patrolled], [REARREST_IF_NOT_WATCHED, REARREST_IF_NOT_PATROLLED],
                  REARREST_IF_NOT),
    )
    rearrested = later.random(n) < p_rearrest
    harsh = b & (arrests > 0) & (people_bias > 0)
    reading = people_reading(arrests, convictions, age, employed)
    reading = reading + READ_HARSHER * people_bias * harsh
    judged = KNOWN * risk + (1 - KNOWN) * reading + judging.normal(0.0, PEOPLE_BLUR, n)
    return {
        "group": np.where(b, "B", "A"),
        "age": age,
        "arrests": arrests,
        "convictions": convictions,
        "employed": employed.astype(np.int8),
        "offences": offences,
        "stop_arrests": stops,
        "risk": _sigmoid(risk),
        "reoffended": reoffended.astype(np.int8),
        "rearrested": rearrested.astype(np.int8),
        "patrolled": patrolled,
        "watched": watched,
        "harsh": harsh,
        "judged": judged,
        "arrests_unpatrolled": arrests_plain,
        "convictions_unpatrolled": convictions_plain,
    }


def people_reading(arrests: np.ndarray, convictions: np.ndarray, age: np.ndarray,
                   employed: np.ndarray) -> np.ndarray:
    """Offender managers' rule of thumb for risk from a record (log-odds, our
    assumption): more arrests and convictions, younger, no job: riskier."""
    return (0.4 * np.log1p(arrests) + 0.6 * np.log1p(convictions) - 0.04 * (age - 30)
            - 0.6 * employed - 1.0)


def features(world: dict[str, np.ndarray], rows: slice, *, patrolled: bool = True
             ) -> np.ndarray:
    """The AI's inputs for ``rows``; ``patrolled=False``: as if nobody had been."""
    cols = {f: world[f] for f in FEATURES}
    if not patrolled:
        cols["arrests"] = world["arrests_unpatrolled"]
        cols["convictions"] = world["convictions_unpatrolled"]
    return np.column_stack([cols[f][rows] for f in FEATURES]).astype(float)


def records_table(world: dict[str, np.ndarray], rows: slice) -> pd.DataFrame:
    """Per group of the past cohort: the truth beside the records the AI learned from."""
    group = world["group"][rows]
    out = []
    for g in ("A", "B"):
        m = group == g
        k = int(m.sum())

        def mean(col: str, m: np.ndarray = m, k: int = k) -> float:
            return float(world[col][rows][m].mean()) if k else float("nan")

        out.append({
            "group": g,
            "people": k,
            "reoffended_per_100": 100 * mean("reoffended"),
            "rearrested_per_100": 100 * mean("rearrested"),
            "offences_per_person": mean("offences"),
            "arrests_per_person": mean("arrests"),
            "patrolled_per_100": 100 * mean("patrolled"),
        })
    return pd.DataFrame(out).set_index("group")


def judged_high_risk(judged: np.ndarray, how_many: int) -> np.ndarray:
    """The people's labels: the ``how_many`` they judge riskiest (0/1)."""
    flagged = np.zeros(len(judged), dtype=np.int8)
    if how_many > 0:
        flagged[np.argsort(-judged, kind="stable")[:how_many]] = 1
    return flagged
