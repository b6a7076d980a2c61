"""A district login sees the city's published ranks (SPEC "Responsibility"): the ranking is computed over
the whole city, then narrowed to the district's own units, never recomputed inside the district.

A district-scoped connection shadows every table with the district's rows (readers.open_reader), so a
ranking run there would min-max the district's units against one another and could put a street
first that the city's bulletin puts fifth.
"""

from __future__ import annotations

import pandas as pd

from cockpit.store import readers

CITY_RANKED = frozenset({"unit_ranking"})  # queries whose figures compare units across the whole city
PLACE_POOLS = ("area", "community")


def ranks_for_district(city_con, district_con, district: str, name: str, params: dict) -> pd.DataFrame:
    """The city's ranking (query `name` on the whole city) for the units of one district."""
    ranks = readers.run(city_con, name, **params)
    places = readers.run(district_con, "district_places")
    return district_rows(ranks, district, places)


def district_rows(ranks: pd.DataFrame, district: str, places: pd.DataFrame) -> pd.DataFrame:
    """The district's own rows: its streets and townships, the district itself, and the areas and
    communities its problems and points lie in. City departments are the city's, not the district's."""
    own = ((ranks["pool"].isin(["street", "township"]) & (ranks["district"] == district))
           | ((ranks["pool"] == "district") & (ranks["unit_name"] == district)))
    for pool in PLACE_POOLS:
        names = set(places.loc[places["pool"] == pool, "place_name"])
        own |= (ranks["pool"] == pool) & ranks["unit_name"].isin(names)
    return ranks[own].reset_index(drop=True)
