"""示范市's 责任体系 export (包抓责任表): 13 areas (片区) over its streets, each with a district leader in
charge (包抓领导) and responsible departments, one street split between two areas by community, a
grid layer with its 网格长 and 楼院长, two streets left in no area (so 未划片区 shows) and one
malformed row (a street given to a second area: the import reports it, naming both)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np

from cockpit.demo import dialects, world

AREA_NAMES = tuple(f"第{n}片区" for n in "一二三四五六七八九十") + ("第十一片区", "第十二片区", "第十三片区")
# Streets (by index in city.streets) of each area; "6a"/"6b" split street 6 by its communities.
AREA_STREETS = ([0, 1], [2], [3, 4], [5], ["6a"], ["6b", 7], [8, 9], [10], [11], [12, 13], [14], [15, 16], [17])
GRIDS_PER_COMMUNITY = 6  # the demo's problems name 第1网格 … 第6网格 of a community


def _person(rng: np.random.Generator) -> str:
    given = "".join(rng.choice(world.GIVEN_CHARS, size=int(rng.integers(1, 3))))
    return str(rng.choice(world.SURNAMES)) + given


def write_areas(city: "world.City", path: Path, created: datetime, seed: int) -> Path:
    rng = world._rng(seed, "areas")
    streets, communities = city.streets, city.communities
    rows: list[list[str]] = []
    for name, members in zip(AREA_NAMES, AREA_STREETS):
        leader = _person(rng)
        departments = "、".join(rng.choice(world.DEPARTMENTS, size=2, replace=False))
        first = True
        for member in members:
            street = int(str(member).rstrip("ab"))
            street_name = streets.name.iloc[street]
            district = city.districts[int(streets.district.iloc[street])]
            own = communities.index[communities.street == street].tolist()
            half = len(own) // 2
            if str(member).endswith("a"):
                own = own[:half]
            elif str(member).endswith("b"):
                own = own[half:]
            else:  # the whole street, then its grids
                rows.append([name, leader if first else "", departments if first else "", district, street_name,
                             "", "", "", ""])
                first = False
            for c in own:
                for g in range(1, GRIDS_PER_COMMUNITY + 1):
                    community = communities.name.iloc[c]
                    # As the office's sheet, merged cells: the leader and departments on the area's first row.
                    rows.append([name, leader if first else "", departments if first else "", district, street_name,
                                 community, f"{community}第{g}网格", _person(rng), _person(rng)])
                    first = False
    # The malformed row: the first area's street again, under another area.
    rows.append([AREA_NAMES[1], "", "", city.districts[int(streets.district.iloc[0])], streets.name.iloc[0],
                 "", "", "", ""])
    headers = ["片区", "包抓领导", "包抓部门", "区县", "街道", "社区", "网格", "网格长", "楼院长"]
    widths = [10, 8, 26, 8, 10, 10, 16, 8, 8]
    columns = [dialects.Column(h, "text", np.array([r[i] for r in rows], dtype=object), w)
               for i, (h, w) in enumerate(zip(headers, widths))]
    dialects.write_xlsx(path, "包抓责任表", columns, created)
    return path
