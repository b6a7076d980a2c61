"""What happens in the demo city over its year: inspection rounds and visits, the problems they find
(and the hotline's and patrols'), how each is handled, rebounds, and each problem's state at an export."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd

from cockpit.demo.world import (AWAITING_CHECK, CATEGORIES, CATEGORY_OF_ISSUE, CATEGORY_WEIGHTS, CLOSED,
                                COMPOUND_PLACES, CORNERS, DAY, DEADLINE_DAYS, DEFAULT_CATEGORY_WEIGHTS, DEPARTMENTS,
                                DIALECTS, EPOCH_DAYS, HOTLINE_ISSUES, HOUR, IN_PROGRESS, ISSUES, MARKET_PLACES,
                                MARKETS, OTHER_PLACES, PENDING, POINT_TYPES, RETURNED, ROAD_PLACES, ROADS, ROUND_KINDS,
                                SHARE_GRID, SHARE_HOTLINE, SHARE_MEDIA, SHARE_REBOUND, SIDES, TOILET_PLACES,
                                TYPE_INDEX, UNKNOWN_STATUS_WORD, City, Clock, _cell_to_km, _responsible_department,
                                _rng, km_to_lnglat)

# ---- inspections --------------------------------------------------------------------------------

def plan_rounds(clock: Clock) -> pd.DataFrame:
    """Every inspection round of the year: 暗访 monthly, 督查 fortnightly, 模拟测评 quarterly, 第三方测评 twice.

    Rounds are numbered within their calendar year ("2026年第3轮暗访"), so the schedule is laid out from
    the January before the data starts and then cut to the data's year.
    """
    first, last = clock.first_day, clock.last_day
    since = clock.day(clock.date_of(first).replace(month=1, day=1))
    rounds = []
    month = clock.date_of(since)
    while month <= clock.end:
        rounds.append(("暗访", clock.day(month.replace(day=10)), 3))
        month = (month + timedelta(days=32)).replace(day=1)
    rounds += [("督查", d, 2) for d in range(last - 4, since - 1, -14)]
    # The last mock assessment ends two days before the data does: the newest snapshot gets its burst.
    rounds += [("模拟测评", d, 4) for d in range(last - 5, since - 1, -91)]
    rounds += [("第三方测评", d, 3) for d in range(last - 47, since - 1, -182)]
    frame = pd.DataFrame(rounds, columns=["kind", "start", "days"])
    frame = frame[frame.start + frame.days - 1 <= last].sort_values(["start", "kind"], kind="stable")
    years = pd.Series([clock.date_of(s).year for s in frame.start], index=frame.index)
    frame["number"] = frame.groupby([frame.kind, years]).cumcount() + 1
    frame["name"] = [f"{y}年第{n}轮{k}" for y, n, k in zip(years, frame.number, frame.kind)]
    return frame[frame.start >= first].reset_index(drop=True)


def plan_visits(city: City, clock: Clock, rounds: pd.DataFrame, scale: int, seed: int) -> pd.DataFrame:
    """One row per point inspected in a round, with its time, group and inspection id."""
    rng = _rng(seed, "visits")
    points = city.points
    # Inspectors favour the key circles and the messy places; samples grow with the data so that a
    # visit does not find dozens of problems at the largest scales.
    weight = np.sqrt(points.mess.to_numpy()) * np.where(points.key_circle != "", 2.0, 1.0)
    growth = math.sqrt(max(scale, 1) / 30_000)
    frames = []
    for r, row in rounds.iterrows():
        base, _, groups = ROUND_KINDS[row.kind]
        size = int(min(0.8 * len(points), max(20, round(base * growth))))
        chosen = np.sort(rng.choice(len(points), size=size, replace=False, p=weight / weight.sum()))
        day = row.start + rng.integers(0, row.days, size)
        time = day * DAY + rng.uniform(9 * HOUR, 17.5 * HOUR, size)
        frames.append(pd.DataFrame({"round": r, "point": chosen, "inspected": np.floor(time),
                                    "group": np.array(groups, dtype=object)[rng.integers(len(groups), size=size)]}))
    visits = pd.concat(frames, ignore_index=True).sort_values(["inspected", "point"], kind="stable")
    visits = visits.reset_index(drop=True)
    visits["inspection_id"] = _daily_ids("JC", visits.inspected.to_numpy(), clock, width=4)
    return visits


def _daily_ids(prefix: str, times: np.ndarray, clock: Clock, width: int) -> np.ndarray:
    """Ids like JC202608180012: the day, then the rank within the day (times must be sorted)."""
    day = (np.asarray(times) // DAY).astype(np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(day)) + 1] if len(day) else np.array([], int)
    first_of_run = np.repeat(starts, np.diff(np.r_[starts, len(day)]))
    rank = np.arange(len(day)) - first_of_run + 1
    day_text = _day_table(clock, "%Y%m%d")
    return np.array([f"{prefix}{day_text[d]}{k:0{width}d}" for d, k in zip(day.tolist(), rank.tolist())],
                    dtype=object)


def score_visits(visits: pd.DataFrame, problems_per_visit: np.ndarray, seed: int) -> pd.DataFrame:
    """Scores 55–100, lower where the visit found more problems; 85 passes."""
    rng = _rng(seed, "scores")
    n = len(visits)
    score = 99 - 4.5 * problems_per_visit - rng.uniform(0, 7, n)
    visits = visits.copy()
    visits["count_problems"] = problems_per_visit
    visits["score"] = np.clip(np.round(score * 2) / 2, 55, 100)
    return visits


# ---- problems -----------------------------------------------------------------------------------

def _issue_weights_by_type() -> np.ndarray:
    """(point types, issues): how likely each subcategory is at each type of point.

    A category's weight at the type is shared by its subcategories that can occur there.
    """
    weights = np.zeros((len(POINT_TYPES), len(ISSUES)))
    for t, ptype in enumerate(POINT_TYPES):
        category_weights = CATEGORY_WEIGHTS.get(ptype.name, DEFAULT_CATEGORY_WEIGHTS)
        possible = np.array([0.0 if issue.types and ptype.name not in issue.types else issue.weight
                             for issue in ISSUES])
        for c, category in enumerate(CATEGORIES):
            members = CATEGORY_OF_ISSUE == c
            total = possible[members].sum()
            if total:
                weights[t, members] = possible[members] / total * category_weights.get(category, 0)
    return weights


def _unit_table(city: City) -> np.ndarray:
    """(point types + 1, issues) -> department unit index, or -1 for the street; last row: no point."""
    department = {name: city.count_streets + k for k, name in enumerate(DEPARTMENTS)}
    table = np.full((len(POINT_TYPES) + 1, len(ISSUES)), -1, dtype=np.int64)
    for t, type_name in enumerate([p.name for p in POINT_TYPES] + [None]):
        for i, issue in enumerate(ISSUES):
            name = _responsible_department(issue, type_name)
            if name is not None:
                table[t, i] = department[name]
    return table


def _sample_days(clock: Clock, count: int, rng: np.random.Generator, weekend: float) -> np.ndarray:
    """Days of the year for a steady flow: more as the year goes on, fewer at weekends."""
    days = np.arange(clock.first_day, clock.last_day + 1)
    weekday = np.array([clock.date_of(d).weekday() for d in days])
    weight = clock.ramp(days) * np.where(weekday >= 5, weekend, 1.0)
    return rng.choice(days, size=count, p=weight / weight.sum())


def _round_problems(city, clock, rounds, visits, count, rng) -> pd.DataFrame:
    """Problems found by the inspection rounds, at the points visited, at the time of the visit."""
    visit_round = visits["round"].to_numpy()
    sizes = np.bincount(visit_round, minlength=len(rounds))
    intensity = np.array([ROUND_KINDS[k][1] for k in rounds.kind])
    weight = sizes * intensity * clock.ramp(rounds.start.to_numpy())
    per_round = rng.multinomial(count, weight / weight.sum())
    mess = city.points.mess.to_numpy()
    chosen = []
    for r, n in enumerate(per_round):
        candidates = np.flatnonzero(visit_round == r)
        w = mess[visits.point.to_numpy()[candidates]]
        chosen.append(rng.choice(candidates, size=n, p=w / w.sum()))
    visit = np.concatenate(chosen)
    return pd.DataFrame({
        "visit": visit,
        "point": visits.point.to_numpy()[visit],
        "found": visits.inspected.to_numpy()[visit] + np.floor(rng.uniform(60, 45 * 60, len(visit))),
        "source": rounds.kind.to_numpy()[visit_round[visit]],
    })


def _patrol_problems(city, clock, count, source, rng, mess_power=1.0) -> pd.DataFrame:
    """A steady flow over the year (grid patrols, media), at points weighted by how messy they are."""
    w = city.points.mess.to_numpy() ** mess_power
    point = rng.choice(len(w), size=count, p=w / w.sum())
    day = _sample_days(clock, count, rng, weekend=0.6)
    found = day * DAY + np.floor(rng.uniform(8 * HOUR, 20 * HOUR, count))
    return pd.DataFrame({"visit": -1, "point": point, "found": found, "source": source})


def _hotline_problems(city: City, clock: Clock, count: int, rng: np.random.Generator) -> pd.DataFrame:
    """Citizen calls: no point, a place somewhere in a community, any time from 7:00 to 23:00."""
    communities = city.communities
    weight = np.where(communities.is_village, 0.3, 1.0)
    community = rng.choice(len(communities), size=count, p=weight / weight.sum())
    com = communities.iloc[community]
    u = com.u0.to_numpy() + (com.u1 - com.u0).to_numpy() * rng.uniform(0.05, 0.95, count)
    v = com.v0.to_numpy() + (com.v1 - com.v0).to_numpy() * rng.uniform(0.05, 0.95, count)
    street = com.street.to_numpy()
    x, y = _cell_to_km(city.quads, street, u, v)
    lng, lat = km_to_lnglat(x, y)
    day = _sample_days(clock, count, rng, weekend=0.8)
    found = day * DAY + np.floor(rng.uniform(7 * HOUR, 23 * HOUR, count))
    return pd.DataFrame({"visit": -1, "point": -1, "found": found, "source": "市民投诉",
                         "community": community, "street": street, "lng": lng, "lat": lat})


def _assign_issues(frame: pd.DataFrame, city: City, rng: np.random.Generator) -> np.ndarray:
    """The subcategory (index into ISSUES) of each problem, likely for its point's type."""
    issue = np.zeros(len(frame), dtype=np.int64)
    has_point = frame.point.to_numpy() >= 0
    point_type = np.where(has_point, city.points.type.to_numpy()[np.maximum(frame.point.to_numpy(), 0)], -1)
    weights = _issue_weights_by_type()
    for t in range(len(POINT_TYPES)):
        rows = np.flatnonzero(point_type == t)
        if len(rows):
            issue[rows] = rng.choice(len(ISSUES), size=len(rows), p=weights[t] / weights[t].sum())
    rows = np.flatnonzero(~has_point)
    index = {i.subcategory: k for k, i in enumerate(ISSUES)}
    hotline = np.array([index[s] for s, _ in HOTLINE_ISSUES])
    w = np.array([w for _, w in HOTLINE_ISSUES], float)
    issue[rows] = hotline[rng.choice(len(hotline), size=len(rows), p=w / w.sum())]
    return issue


def _timeline(found: np.ndarray, diligence: np.ndarray, issue: np.ndarray, rng: np.random.Generator) -> dict:
    """When each problem is assigned, started, reported done, checked (up to three rounds), closed.

    Diligent units report early and pass the check; poor ones report late, fail checks more often,
    and leave some problems untouched (inf: never, as far as the data goes).
    """
    n = len(found)
    d = diligence
    lo = np.array([DEADLINE_DAYS[i.category][0] for i in ISSUES])[issue]
    hi = np.array([DEADLINE_DAYS[i.category][1] for i in ISSUES])[issue]
    assigned = found + rng.uniform(0.05, 2.0, n) * DAY
    due_day = np.floor(assigned / DAY).astype(np.int64) + rng.integers(lo, hi + 1)
    window = (due_day + 1) * DAY - assigned
    started = assigned + window * rng.uniform(0, 0.3, n) * (1.6 - d)
    rectified1 = assigned + window * rng.lognormal(np.log(0.18 + 1.05 * (1 - d) ** 1.3), 0.55)
    abandoned = rng.random(n) < 0.3 * (1 - d) ** 2
    rectified1[abandoned] = np.inf
    started[abandoned & (rng.random(n) < 0.5)] = np.inf
    checked1 = rectified1 + _check_lag(n, rng)
    passed1 = rng.random(n) < 0.72 + 0.25 * d
    rectified2 = checked1 + _rework(d, rng)
    # Some returned problems stay returned: the unit does not come back to them (inf carries on).
    rectified2[rng.random(n) < 0.6 * (1 - d)] = np.inf
    checked2 = rectified2 + _check_lag(n, rng)
    passed2 = rng.random(n) < 0.85 + 0.13 * d
    rectified3 = checked2 + _rework(d, rng)
    checked3 = rectified3 + _check_lag(n, rng)
    for later in (rectified2, checked2):
        later[passed1] = np.inf
    for later in (rectified3, checked3):
        later[passed1 | passed2] = np.inf
    # Units and the office record their work in office hours; keep every step after the one before.
    events = [found] + [_office_hours(t) for t in (assigned, started, rectified1, checked1, rectified2, checked2,
                                                   rectified3, checked3)]
    for before, after in zip(events, events[1:]):
        np.maximum(after, before + 60, out=after)
    _, assigned, started, rectified1, checked1, rectified2, checked2, rectified3, checked3 = events
    closed = np.select([passed1, passed2], [checked1, checked2], checked3)
    return {"assigned": assigned, "due_day": due_day, "started": started,
            "rectified1": rectified1, "checked1": checked1, "passed1": passed1,
            "rectified2": rectified2, "checked2": checked2, "passed2": passed2,
            "rectified3": rectified3, "checked3": checked3, "closed": closed}


def _rework(diligence: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Time to fix a returned problem again: a couple of days for the diligent, a week for others."""
    return 3 * DAY * rng.lognormal(np.log(0.5 + 1.5 * (1 - diligence)), 0.5)


def _check_lag(n: int, rng: np.random.Generator) -> np.ndarray:
    """The office re-checks within a day or two, now and then much later."""
    return np.clip(rng.lognormal(np.log(1.0), 0.6, n), 0.1, 12) * DAY


def _office_hours(t: np.ndarray) -> np.ndarray:
    """Squeeze each day into 08:30–18:00, keeping the order of times; inf stays inf."""
    finite = np.isfinite(t)
    tt = np.where(finite, t, 0.0)
    day = np.floor(tt / DAY)
    squeezed = day * DAY + 8.5 * HOUR + (tt - day * DAY) / DAY * 9.5 * HOUR
    return np.where(finite, np.floor(squeezed), np.inf)


def generate_problems(city: City, clock: Clock, rounds: pd.DataFrame, visits: pd.DataFrame, scale: int,
                      seed: int) -> pd.DataFrame:
    """Every problem of the year with its whole timeline; snapshots are cut from this."""
    rng = _rng(seed, "problems")
    count_rebounds = round(scale * SHARE_REBOUND)
    count_hotline = round(scale * SHARE_HOTLINE)
    count_media = round(scale * SHARE_MEDIA)
    count_grid = round(scale * SHARE_GRID)
    count_rounds = max(scale - count_rebounds - count_hotline - count_media - count_grid, 0)
    base = pd.concat([
        _round_problems(city, clock, rounds, visits, count_rounds, rng),
        _patrol_problems(city, clock, count_grid, "网格巡查", rng),
        _patrol_problems(city, clock, count_media, "媒体曝光", rng, mess_power=2.0),
        _hotline_problems(city, clock, count_hotline, rng),
    ], ignore_index=True)
    base = _complete_problems(base, city, rng)
    base = _avoid_accidental_rebounds(base, city, rng)
    rebounds = _rebounds(base, city, clock, count_rebounds, rng)
    return _number_problems(pd.concat([base, rebounds], ignore_index=True), clock)


def _complete_problems(frame: pd.DataFrame, city: City, rng: np.random.Generator) -> pd.DataFrame:
    """Fill in place, subcategory, responsible unit, deduction and the timeline."""
    frame = frame.copy()
    points = city.points
    has_point = frame.point.to_numpy() >= 0
    p = np.maximum(frame.point.to_numpy(), 0)
    if "street" not in frame:
        frame["street"] = -1
        frame["community"] = -1
        frame["lng"] = np.nan
        frame["lat"] = np.nan
    frame["street"] = np.where(has_point, points.street.to_numpy()[p], frame.street.fillna(-1)).astype(np.int64)
    frame["community"] = np.where(has_point, points.community.to_numpy()[p],
                                  frame.community.fillna(-1)).astype(np.int64)
    # A problem's photo is taken a few metres from the point's marker.
    jitter = rng.uniform(-0.00015, 0.00015, (len(frame), 2))
    frame["lng"] = np.where(has_point, points.lng.to_numpy()[p] + jitter[:, 0], frame.lng)
    frame["lat"] = np.where(has_point, points.lat.to_numpy()[p] + jitter[:, 1], frame.lat)
    frame["district"] = city.streets.district.to_numpy()[frame.street.to_numpy()]
    if "issue" not in frame:
        frame["issue"] = _assign_issues(frame, city, rng)
    point_type = np.where(has_point, points.type.to_numpy()[p], len(POINT_TYPES))
    department = _unit_table(city)[point_type, frame.issue.to_numpy()]
    frame["unit"] = np.where(department >= 0, department, frame.street.to_numpy())
    from_round = frame.visit.to_numpy() >= 0
    frame["deduction"] = np.where(from_round, rng.choice([0.1, 0.2, 0.3, 0.5, 1.0], len(frame)), np.nan)
    if "is_rebound" not in frame:
        frame["is_rebound"] = False
    diligence = city.units.diligence.to_numpy()[frame.unit.to_numpy()]
    for key, values in _timeline(frame.found.to_numpy(), diligence, frame.issue.to_numpy(), rng).items():
        frame[key] = values
    return frame


REDRAW_ROUNDS = 6


def accidental_rebounds(frame: pd.DataFrame) -> np.ndarray:
    """Problems the SPEC's rule calls a rebound (same category, same point, found within 30 days of a
    closure there) although they were not generated as one."""
    n = len(frame)
    point = frame.point.to_numpy()
    own_key = point * len(CATEGORIES) + CATEGORY_OF_ISSUE[frame.issue.to_numpy()]
    key = np.r_[own_key, own_key]
    closed = frame.closed.to_numpy()
    times = np.r_[closed, frame.found.to_numpy()]
    is_finding = np.r_[np.zeros(n, bool), np.ones(n, bool)]
    keep = np.r_[(point >= 0) & np.isfinite(closed), point >= 0]
    # Within each (point, category), in time order (a closure before a finding at the same second),
    # carry the latest closure forward to every finding after it.
    order = np.lexsort((is_finding, times, key))
    order = order[keep[order]]
    last_closure = pd.Series(np.where(is_finding[order], np.nan, times[order])).groupby(key[order]).ffill().to_numpy()
    findings = is_finding[order]
    hit = np.zeros(n, bool)
    rows = order[findings] - n
    hit[rows] = times[order][findings] - last_closure[findings] <= 30 * DAY
    return hit & ~frame.is_rebound.to_numpy()


def _avoid_accidental_rebounds(frame: pd.DataFrame, city: City, rng: np.random.Generator) -> pd.DataFrame:
    """Draw again the problems that repeat one just closed at the same point by chance.

    At a realistic density (a few problems per point a year) chance repeats would make a fifth of all
    problems rebounds; real ones are a few per cent, and the demo makes those on purpose (_rebounds).
    Each gets another subcategory; a patrol's problem also moves to another point of the same type,
    while an inspection's stays at the point inspected. Some repeats remain where a point is simply very busy.
    """
    type_of_point = city.points.type.to_numpy()
    mess = city.points.mess.to_numpy()
    for _ in range(REDRAW_ROUNDS):
        rows = np.flatnonzero(accidental_rebounds(frame))
        if len(rows) == 0:
            break
        redo = frame.iloc[rows][["visit", "point", "found", "source", "is_rebound"]].reset_index(drop=True)
        patrol = np.flatnonzero(redo.visit.to_numpy() < 0)
        point = redo.point.to_numpy().copy()
        for t in np.unique(type_of_point[point[patrol]]):
            movers = patrol[type_of_point[point[patrol]] == t]
            candidates = np.flatnonzero(type_of_point == t)
            w = np.sqrt(mess[candidates])
            point[movers] = rng.choice(candidates, size=len(movers), p=w / w.sum())
        redo["point"] = point
        redo = _complete_problems(redo, city, rng)
        redo.index = frame.index[rows]
        frame.loc[frame.index[rows], redo.columns] = redo
    return frame


def _rebounds(base: pd.DataFrame, city: City, clock: Clock, count: int, rng: np.random.Generator) -> pd.DataFrame:
    """The same problem again at the same point within 30 days of its closure (反弹), found by patrols.

    Superficial fixes rebound: problems of less diligent units are likelier to come back.
    """
    last_second = clock.cutoff(clock.end) - 1
    eligible = np.flatnonzero((base.point.to_numpy() >= 0) & (base.closed.to_numpy() < last_second - DAY))
    if count == 0 or len(eligible) == 0:
        return base.iloc[0:0]
    diligence = city.units.diligence.to_numpy()[base.unit.to_numpy()[eligible]]
    w = 1.3 - diligence
    origin = rng.choice(eligible, size=min(count, len(eligible)), replace=False, p=w / w.sum())
    closed = base.closed.to_numpy()[origin]
    room = np.minimum(29 * DAY, last_second - closed)
    # A day from the day after the closure to 29 days later (or the end), in patrol hours: within 30 days.
    day = np.floor((closed + DAY + rng.random(len(origin)) * (room - DAY)) / DAY)
    found = day * DAY + np.floor(rng.uniform(8 * HOUR, 20 * HOUR, len(origin)))
    frame = pd.DataFrame({"visit": -1, "point": base.point.to_numpy()[origin], "found": found,
                          "source": "网格巡查", "issue": base.issue.to_numpy()[origin], "is_rebound": True})
    return _complete_problems(frame, city, rng)


# The city government (市政府), in city km: where the hotline platform puts a work order whose caller
# gave no place it could locate (its default coordinate). One work order in a hundred of the whole
# demo, at least 60 (the settings' default threshold is 50), all taken from the hotline's own.
CITY_HALL_KM = (16.0, 17.0)
SHARE_AT_CITY_HALL = 0.01
MIN_AT_CITY_HALL = 60


def city_hall_lnglat() -> tuple[float, float]:
    lng, lat = km_to_lnglat(np.array([CITY_HALL_KM[0]]), np.array([CITY_HALL_KM[1]]))
    return float(lng[0]), float(lat[0])


def put_default_spot(problems: pd.DataFrame, scale: int, seed: int) -> pd.DataFrame:
    """Move some hotline work orders (no point) to the city government's coordinate, as a platform
    fills in its default. Their street, community and address stay as the caller gave them."""
    hotline = np.flatnonzero(problems.point.to_numpy() < 0)
    count = min(max(round(scale * SHARE_AT_CITY_HALL), MIN_AT_CITY_HALL), len(hotline))
    chosen = np.sort(_rng(seed, "default-spot").choice(hotline, size=count, replace=False))
    lng, lat = city_hall_lnglat()
    problems = problems.copy()
    problems.loc[problems.index[chosen], "lng"] = lng
    problems.loc[problems.index[chosen], "lat"] = lat
    return problems


def _number_problems(frame: pd.DataFrame, clock: Clock) -> pd.DataFrame:
    """Which platform exports each problem, and its id there (stable across snapshots)."""
    district = frame.district.to_numpy()
    frame["dialect"] = np.where(frame.point.to_numpy() < 0, 3, district)
    frame = frame.sort_values(["dialect", "found"], kind="stable").reset_index(drop=True)
    ids = np.empty(len(frame), dtype=object)
    for dialect in range(len(DIALECTS)):
        rows = np.flatnonzero(frame.dialect.to_numpy() == dialect)
        found = frame.found.to_numpy()[rows]
        if DIALECTS[dialect] == "城东区":
            ids[rows] = [f"CDWT{k:07d}" for k in range(1, len(rows) + 1)]
        elif DIALECTS[dialect] == "城西区":
            ids[rows] = _daily_ids("XC", found, clock, width=5)
        elif DIALECTS[dialect] == "高新区":
            ids[rows] = [f"GX-RW-{k:07d}" for k in range(1, len(rows) + 1)]
        else:
            ids[rows] = _daily_ids("RX", found, clock, width=5)
    frame["problem_id"] = ids
    return frame


# ---- descriptions -------------------------------------------------------------------------------

def describe_problems(frame: pd.DataFrame, city: City, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Descriptions such as "长乐路与东二路交叉口西北角占道经营，摊位3处", and the hotline's addresses."""
    rng = _rng(seed, "descriptions")
    n = len(frame)
    points = city.points
    point = frame.point.to_numpy()
    names = points.name.to_numpy()
    type_names = np.array([t.name for t in POINT_TYPES], dtype=object)
    ptype = np.where(point >= 0, type_names[points.type.to_numpy()[np.maximum(point, 0)]], "")
    roads = points.name.to_numpy()[points.type.to_numpy() == TYPE_INDEX["主次干道"]]
    issue = frame.issue.to_numpy()
    n_lo = np.array([i.n[0] for i in ISSUES])[issue]
    n_hi = np.array([i.n[1] for i in ISSUES])[issue]
    count = rng.integers(n_lo, n_hi + 1)
    pick = rng.integers(0, 4, n)
    cross = roads[rng.integers(len(roads), size=n)]
    number = rng.integers(1, 300, n)
    building = rng.integers(1, 30, n)
    side = rng.integers(0, 4, n)
    unit_no = rng.integers(1, 7, n)
    phrases = [i.phrase for i in ISSUES]
    district_roads = _roads_by_district(city)
    street_names = city.streets.name.to_numpy()
    district_names = np.array(city.districts, dtype=object)
    # A citizen names a road or lane of the caller's district.
    hotline_road = np.array([district_roads[d][k % len(district_roads[d])] for d, k in
                             zip(frame.district.to_numpy(), rng.integers(0, 10_000, n))], dtype=object)
    district, street = frame.district.to_numpy(), frame.street.to_numpy()
    descriptions = np.empty(n, dtype=object)
    addresses = np.full(n, "", dtype=object)
    for r in range(n):
        phrase = phrases[issue[r]].format(n=count[r])
        if point[r] < 0:
            place = f"{hotline_road[r]}{number[r]}号附近"
            addresses[r] = f"{district_names[district[r]]}{street_names[street[r]]}{place}"
            descriptions[r] = f"市民来电反映：{place}{phrase}，希望尽快处理。"
            continue
        kind = ptype[r]
        if kind in ROADS:
            template = ROAD_PLACES[pick[r]]
        elif kind == "居民小区":
            template = COMPOUND_PLACES[pick[r]]
        elif kind in MARKETS:
            template = MARKET_PLACES[pick[r]]
        elif kind == "公共厕所":
            template = TOILET_PLACES[pick[r]]
        else:
            template = OTHER_PLACES[pick[r]]
        place = template.format(p=names[point[r]], x=cross[r], c=CORNERS[side[r]], s=SIDES[side[r]],
                                k=number[r], k2=number[r] + 20, b=building[r], u=unit_no[r])
        descriptions[r] = place + phrase
    return descriptions, addresses


def _roads_by_district(city: City) -> list[np.ndarray]:
    """Names of the roads and lanes of each district, for the hotline's addresses."""
    points = city.points
    road_like = points.type.isin([TYPE_INDEX["主次干道"], TYPE_INDEX["背街小巷"]])
    return [points.name.to_numpy()[(road_like & (points.district == d)).to_numpy()] for d in range(len(city.districts))]


# ---- snapshots ----------------------------------------------------------------------------------

def status_at(frame: pd.DataFrame, cutoff: float) -> dict[str, np.ndarray]:
    """Each problem as an export taken just before `cutoff` shows it."""
    t = cutoff
    f = {k: frame[k].to_numpy() for k in ("assigned", "started", "rectified1", "checked1", "passed1", "rectified2",
                                         "checked2", "passed2", "rectified3", "checked3", "closed")}
    closed = f["closed"] < t
    status = np.select(
        [closed, f["rectified3"] < t, f["checked2"] < t, f["rectified2"] < t, f["checked1"] < t,
         f["rectified1"] < t, f["started"] < t],
        [CLOSED, AWAITING_CHECK, RETURNED, AWAITING_CHECK, RETURNED, AWAITING_CHECK, IN_PROGRESS], PENDING)
    last_report = np.select([f["rectified3"] < t, f["rectified2"] < t], [f["rectified3"], f["rectified2"]],
                            f["rectified1"])
    closing_report = np.select([f["passed1"], f["passed2"]], [f["rectified1"], f["rectified2"]], f["rectified3"])
    # A returned problem is open again: the platform clears its report and shows no check time.
    rectified = np.select([closed, status == AWAITING_CHECK], [closing_report, last_report], np.nan)
    assigned = f["assigned"] < t
    return {
        "visible": frame.found.to_numpy() < t,
        "status": status,
        "assigned": np.where(assigned, f["assigned"], np.nan),
        "due_day": np.where(assigned, frame.due_day.to_numpy(), -1),
        "rectified": rectified,
        "checked": np.where(closed, f["closed"], np.nan),
        "returns": ((f["checked1"] < t) & ~f["passed1"]).astype(int) + ((f["checked2"] < t) & ~f["passed2"]),
    }


def snapshot_rows(problems: pd.DataFrame, city: City, clock: Clock, export_on: date, dialect: int) -> pd.DataFrame:
    """The rows one platform exports on `export_on`: its problems found by then, as they stood then."""
    state = status_at(problems, clock.cutoff(export_on))
    keep = state["visible"] & (problems.dialect.to_numpy() == dialect)
    p = problems.loc[keep]
    points = city.points
    point = p.point.to_numpy()
    has_point = point >= 0
    pp = np.maximum(point, 0)
    type_names = np.array([t.name for t in POINT_TYPES], dtype=object)
    community_names = city.communities.name.to_numpy()
    rows = pd.DataFrame({
        "problem_id": p.problem_id.to_numpy(),
        "source": p.source.to_numpy(),
        "found": p.found.to_numpy(),
        "category": np.array([i.category for i in ISSUES], dtype=object)[p.issue.to_numpy()],
        "subcategory": np.array([i.subcategory for i in ISSUES], dtype=object)[p.issue.to_numpy()],
        "description": p.description.to_numpy(),
        "address": p.address.to_numpy(),
        "point_id": np.where(has_point, points.point_id.to_numpy()[pp], ""),
        "point_name": np.where(has_point, points.name.to_numpy()[pp], ""),
        "point_type": np.where(has_point, type_names[points.type.to_numpy()[pp]], ""),
        "district": np.array(city.districts, dtype=object)[p.district.to_numpy()],
        "street": city.streets.name.to_numpy()[p.street.to_numpy()],
        "community": community_names[p.community.to_numpy()],
        "grid": np.where(has_point, [f"第{g}网格" for g in points.grid.to_numpy()[pp]], ""),
        "unit_name": city.units.name.to_numpy()[p.unit.to_numpy()],
        "lng": p.lng.to_numpy(),
        "lat": p.lat.to_numpy(),
        "deduction": p.deduction.to_numpy(),
        "is_rebound": p.is_rebound.to_numpy(),
    })
    rows["grid"] = np.where(has_point, rows.community + rows.grid, "")
    for key in ("status", "assigned", "due_day", "rectified", "checked", "returns"):
        rows[key] = state[key][keep]
    return rows


def add_dirty_rows(rows: pd.DataFrame, dialect: str, seed: int) -> pd.DataFrame:
    """A few rows as real exports have them: unknown words, lost or swapped coordinates, stray spaces."""
    rng = _rng(seed, "dirty-" + dialect)
    rows = rows.copy()

    def pick(count: int, mask=None) -> np.ndarray:
        candidates = np.flatnonzero(np.ones(len(rows), bool) if mask is None else mask)
        candidates = candidates[~np.isin(candidates, used)]
        chosen = np.sort(rng.choice(candidates, size=min(count, len(candidates)), replace=False))
        used.extend(chosen.tolist())
        return chosen

    used: list[int] = []
    status = rows.status.to_numpy()
    if dialect == "城东区":
        rows.loc[pick(2), ["lng", "lat"]] = 0.0
        rows.loc[pick(2), "street"] = rows.street.map(lambda s: f" {s} ")
        rows.loc[pick(2), "point_name"] = rows.point_name.map(lambda s: s + "\u3000")
        rows.loc[pick(1), "unit_name"] = rows.unit_name.map(lambda s: "\u3000" + s)
    elif dialect == "城西区":
        rows.loc[pick(3, status <= IN_PROGRESS), "status_word"] = UNKNOWN_STATUS_WORD
        rows.loc[pick(3), "unit_name"] = ""
    elif dialect == "高新区":
        swap = pick(3)
        rows.loc[swap, ["lng", "lat"]] = rows.loc[swap, ["lat", "lng"]].to_numpy()
        no_time = pick(2, status == CLOSED)
        rows.loc[no_time, ["rectified", "checked"]] = np.nan
        rows.loc[pick(2), "unit_name"] = rows.unit_name.map(lambda s: s + " ")
        rows.loc[pick(2), "street"] = rows.street.map(lambda s: "\u3000" + s)
    else:
        rows.loc[pick(2), ["lng", "lat"]] = np.nan
    return rows


def _day_table(clock: Clock, form: str) -> np.ndarray:
    """Text of every day from the epoch to a year after `end`, indexed by day number."""
    days = [clock.date_of(i) for i in range(EPOCH_DAYS + 400)]
    if form == "iso":
        return np.array([d.isoformat() for d in days], dtype=object)
    if form == "slash":
        return np.array([f"{d.year}/{d.month}/{d.day}" for d in days], dtype=object)
    if form == "chinese":
        return np.array([f"{d.year}年{d.month}月{d.day}日" for d in days], dtype=object)
    return np.array([d.strftime(form) for d in days], dtype=object)
