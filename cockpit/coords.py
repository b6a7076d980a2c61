"""Conversions between WGS-84, GCJ-02 (高德/腾讯) and BD-09 (百度) coordinates, numpy-vectorised."""

from __future__ import annotations

import numpy as np

# GCJ-02 uses the Krasovsky 1940 ellipsoid for its offset formula.
_A = 6378245.0
_EE = 0.00669342162296594323
# BD-09 rotates and scales GCJ-02 with this constant (π·3000/180).
_X_PI = np.pi * 3000.0 / 180.0

# Rough bounding box of China: outside it GCJ-02 equals WGS-84.
_LNG_MIN, _LNG_MAX = 73.66, 135.05
_LAT_MIN, _LAT_MAX = 3.86, 53.55

# The iterative inverse stops when the forward error is below this (degrees, about 1 mm).
_INVERSE_TOL_DEG = 1e-8
_INVERSE_MAX_STEPS = 30

SYSTEMS = ("wgs84", "gcj02", "bd09")


def _arrays(lng, lat) -> tuple[np.ndarray, np.ndarray]:
    """Float arrays of a common (broadcast) shape."""
    return np.broadcast_arrays(np.asarray(lng, dtype=float), np.asarray(lat, dtype=float))


def _result(lng: np.ndarray, lat: np.ndarray):
    """Plain floats for scalar input, arrays otherwise."""
    if lng.ndim == 0:
        return float(lng), float(lat)
    return lng, lat


def in_china(lng, lat):
    """True where the point lies in the rough bounding box of China (NaN counts as outside)."""
    x, y = _arrays(lng, lat)
    inside = (x >= _LNG_MIN) & (x <= _LNG_MAX) & (y >= _LAT_MIN) & (y <= _LAT_MAX)
    return bool(inside) if inside.ndim == 0 else inside


def _gcj_delta(lng: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The GCJ-02 offset (degrees) at a WGS-84 point, with no bounding-box test."""
    x, y = lng - 105.0, lat - 35.0
    sqrt_abs_x = np.sqrt(np.abs(x))
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0

    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x + common
    d_lat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    d_lat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0

    d_lng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x + common
    d_lng += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    d_lng += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0

    # Metres to degrees on the Krasovsky ellipsoid at this latitude.
    rad_lat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = d_lat * 180.0 / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    d_lng = d_lng * 180.0 / (_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return d_lng, d_lat


def wgs84_to_gcj02(lng, lat):
    """WGS-84 → GCJ-02; points outside China are returned unchanged."""
    x, y = _arrays(lng, lat)
    d_lng, d_lat = _gcj_delta(x, y)
    inside = in_china(x, y)
    return _result(np.where(inside, x + d_lng, x), np.where(inside, y + d_lat, y))


def gcj02_to_wgs84(lng, lat):
    """GCJ-02 → WGS-84 by fixed-point iteration (error well under 0.5 m); outside China unchanged."""
    gx, gy = _arrays(lng, lat)
    wx, wy = gx.copy(), gy.copy()
    # The offset changes slowly with position, so w ← g − delta(w) converges in a few steps.
    for _ in range(_INVERSE_MAX_STEPS):
        d_lng, d_lat = _gcj_delta(wx, wy)
        err_x, err_y = wx + d_lng - gx, wy + d_lat - gy
        wx, wy = wx - err_x, wy - err_y
        worst = np.nanmax(np.abs(np.concatenate([err_x.ravel(), err_y.ravel(), [0.0]])))
        if worst < _INVERSE_TOL_DEG:
            break
    # The box test uses the input point, as the forward direction's box test uses its input.
    inside = in_china(gx, gy)
    return _result(np.where(inside, wx, gx), np.where(inside, wy, gy))


def gcj02_to_bd09(lng, lat):
    """GCJ-02 → BD-09 (Baidu's rotation and scaling of GCJ-02, applied everywhere)."""
    x, y = _arrays(lng, lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return _result(z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006)


def bd09_to_gcj02(lng, lat):
    """BD-09 → GCJ-02 (the usual closed-form inverse; error a few centimetres)."""
    bx, by = _arrays(lng, lat)
    x, y = bx - 0.0065, by - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return _result(z * np.cos(theta), z * np.sin(theta))


def wgs84_to_bd09(lng, lat):
    """WGS-84 → BD-09 via GCJ-02."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lng, lat))


def bd09_to_wgs84(lng, lat):
    """BD-09 → WGS-84 via GCJ-02."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lng, lat))


def _system(system: str) -> str:
    """The normalised system name, or a ValueError naming the allowed ones."""
    name = str(system).strip().lower()
    if name not in SYSTEMS:
        raise ValueError(f"未知坐标系 {system!r}，应为 wgs84、gcj02 或 bd09")
    return name


_TO_WGS84 = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}
_FROM_WGS84 = {"gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}


def to_wgs84(lng, lat, system: str):
    """Convert from `system` ("wgs84" | "gcj02" | "bd09") to WGS-84."""
    name = _system(system)
    if name == "wgs84":
        return _result(*_arrays(lng, lat))
    return _TO_WGS84[name](lng, lat)


def from_wgs84(lng, lat, system: str):
    """Convert from WGS-84 to `system` ("wgs84" | "gcj02" | "bd09")."""
    name = _system(system)
    if name == "wgs84":
        return _result(*_arrays(lng, lat))
    return _FROM_WGS84[name](lng, lat)
