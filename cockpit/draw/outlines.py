"""The district and street outlines (GeoJSON, WGS-84) as the hotspot map needs them: moved into the
tiles' coordinate system, where each name is written, which outline holds a place, and their extent."""

from __future__ import annotations

import math

import numpy as np

from cockpit.coords import from_wgs84

DISTRICT_LEVELS = {"district", "county", "区", "县", "区县", "市辖区"}


def coord(value: float) -> float:
    """Six decimals (about 0.1 m) are plenty on a city map and keep the page small."""
    return round(float(value), 6)


def _project_positions(coords, crs: str):
    """GeoJSON coordinates (any nesting) moved from WGS-84 into `crs`."""
    if not coords:
        return coords
    if isinstance(coords[0], (int, float)):  # a single position [lng, lat, ...]
        lng, lat = from_wgs84(coords[0], coords[1], crs)
        return [lng, lat, *coords[2:]]
    if isinstance(coords[0][0], (int, float)):  # a ring or line: convert it in one call
        arr = np.asarray(coords, dtype=float)
        arr[:, 0], arr[:, 1] = from_wgs84(arr[:, 0], arr[:, 1], crs)
        return arr.tolist()
    return [_project_positions(part, crs) for part in coords]


def project_geometry(geometry: dict | None, crs: str) -> dict | None:
    """A GeoJSON geometry moved from WGS-84 into `crs`."""
    if not geometry or crs == "wgs84":
        return geometry
    if geometry.get("type") == "GeometryCollection":
        parts = [project_geometry(g, crs) for g in geometry.get("geometries", [])]
        return {**geometry, "geometries": parts}
    return {**geometry, "coordinates": _project_positions(geometry.get("coordinates"), crs)}


def is_district(properties: dict) -> bool:
    """District (区县) outlines are drawn thicker than street (街道) outlines."""
    return str(properties.get("level", "")).strip().lower() in DISTRICT_LEVELS


def _ring_centroid(ring) -> tuple[float, float, float]:
    """(area, lng, lat) of a ring by the shoelace formula; its mean vertex when it has no area."""
    pts = np.asarray(ring, dtype=float)[:, :2]
    x, y = pts[:, 0], pts[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    area = cross.sum() / 2
    if abs(area) < 1e-12:
        return 0.0, float(x.mean()), float(y.mean())
    return abs(area), float(((x + x1) * cross).sum() / (6 * area)), float(((y + y1) * cross).sum() / (6 * area))


def _polygons(geometry: dict | None) -> list:
    """The polygons of a Polygon or MultiPolygon geometry (each its outer ring, then its holes); none of any other."""
    kind, coords = (geometry or {}).get("type"), (geometry or {}).get("coordinates") or []
    return [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []


def label_point(geometry: dict | None) -> tuple[float, float] | None:
    """(lat, lng) where an area's name is written: the centroid of its largest outer ring."""
    rings = [polygon[0] for polygon in _polygons(geometry) if polygon and len(polygon[0]) >= 3]
    if not rings:
        return None
    _, lng, lat = max((_ring_centroid(ring) for ring in rings), key=lambda c: c[0])
    return lat, lng


def _inside(ring, lng: float, lat: float) -> bool:
    """Whether (lng, lat) lies inside a ring (even-odd rule: a ray to the east crosses it an odd number of times)."""
    inside = False
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:] + ring[:1]):
        if (y0 > lat) != (y1 > lat) and lng < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _contains(geometry: dict | None, lng: float, lat: float) -> bool:
    return any(polygon and _inside(polygon[0], lng, lat) and not any(_inside(hole, lng, lat) for hole in polygon[1:])
               for polygon in _polygons(geometry))


def area_around(boundaries: dict | None, lat: float, lng: float) -> dict | None:
    """The outline a place lies in (WGS-84 like the boundaries): its street's, else its district's, else None."""
    found = [feature for feature in (boundaries or {}).get("features", [])
             if _contains(feature.get("geometry"), lng, lat)]
    found.sort(key=lambda feature: is_district(feature.get("properties") or {}))
    return found[0] if found else None


def bounds(boundaries: dict | None, crs: str = "wgs84") -> list[list[float]] | None:
    """[[south, west], [north, east]] of every outline (in the tiles' system), None without any."""
    lngs, lats = [], []

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            lngs.append(float(coords[0]))
            lats.append(float(coords[1]))
        else:
            for part in coords or []:
                walk(part)

    for feature in (boundaries or {}).get("features", []):
        geometry = project_geometry(feature.get("geometry"), crs) or {}
        walk(geometry.get("coordinates"))
    finite = [(a, b) for a, b in zip(lats, lngs) if math.isfinite(a) and math.isfinite(b)]
    if not finite:
        return None
    lat, lng = zip(*finite)
    return [[coord(min(lat)), coord(min(lng))], [coord(max(lat)), coord(max(lng))]]
