"""Map tiles served by the cockpit itself from a local tile package: an MBTiles file (SQLite) or a
{z}/{x}/{y} folder, as a GIS department hands them out. The browser asks LOCAL_TILE_URL, which
cockpit/web/server.py routes here, so a basemap needs no network at all."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

# Where the map asks for local tiles ({z}/{x}/{y} appended). Under server.baseUrlPath or a proxy
# prefix this needs that prefix, as cockpit/draw/vendor.py's VENDOR_URL does.
LOCAL_TILE_URL = "/cockpit/tiles/{z}/{x}/{y}"
FOLDER_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}


class TilePackageError(ValueError):
    """A tile package that cannot be read; the message says why, in Chinese."""


@dataclass(frozen=True)
class PackageInfo:
    kind: str            # "mbtiles" or "folder"
    min_zoom: int | None
    max_zoom: int | None
    bounds: tuple[float, float, float, float] | None  # west, south, east, north (the package's own system)
    tile_format: str     # png, jpg, webp


def _image_type(data: bytes) -> str:
    """The format of a tile from its first bytes (an MBTiles file may say nothing of it)."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:3] == b"\xff\xd8\xff":
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return "png"


def _connect(path: Path) -> sqlite3.Connection:
    """The MBTiles file opened read-only (the cockpit never writes it)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)


def read_tile(package: Path, z: int, x: int, y: int) -> tuple[bytes, str] | None:
    """(bytes, content type) of tile z/x/y in the XYZ scheme Leaflet asks for, None when the package
    has no such tile. MBTiles rows are in the TMS scheme: row = 2^z - 1 - y."""
    if not (0 <= z <= 30 and 0 <= x < 2 ** z and 0 <= y < 2 ** z):
        return None
    if package.is_dir():
        for suffix in FOLDER_SUFFIXES:
            path = package / str(z) / str(x) / f"{y}{suffix}"
            if path.is_file():
                data = path.read_bytes()
                return data, CONTENT_TYPES[_image_type(data)]
        return None
    con = _connect(package)
    try:
        row = con.execute("select tile_data from tiles where zoom_level = ? and tile_column = ? and tile_row = ?",
                          (z, x, 2 ** z - 1 - y)).fetchone()
    except sqlite3.Error as err:
        raise TilePackageError(f"瓦片包 {package} 无法读取：{err}") from None
    finally:
        con.close()
    if row is None or row[0] is None:
        return None
    data = bytes(row[0])
    return data, CONTENT_TYPES[_image_type(data)]


def package_info(package: Path) -> PackageInfo:
    """The zoom levels and extent of a tile package; TilePackageError when it is missing or unreadable."""
    if not package.exists():
        raise TilePackageError(f"找不到瓦片包 {package}（设置项 map.tiles_package）")
    if package.is_dir():
        zooms = sorted(int(p.name) for p in package.iterdir() if p.is_dir() and p.name.isdigit())
        if not zooms:
            raise TilePackageError(f"瓦片目录 {package} 里没有 {{z}}/{{x}}/{{y}} 形式的瓦片")
        return PackageInfo("folder", zooms[0], zooms[-1], None, "png")
    con = _connect(package)
    try:
        meta = dict(con.execute("select name, value from metadata").fetchall())
        low, high = con.execute("select min(zoom_level), max(zoom_level) from tiles").fetchone()
    except sqlite3.Error as err:
        raise TilePackageError(f"瓦片包 {package} 不是可读的 MBTiles 文件：{err}") from None
    finally:
        con.close()
    if low is None:
        raise TilePackageError(f"瓦片包 {package} 里没有瓦片")
    bounds = None
    try:
        parts = [float(v) for v in str(meta.get("bounds", "")).split(",")]
        bounds = tuple(parts) if len(parts) == 4 else None
    except ValueError:
        pass
    return PackageInfo("mbtiles", int(low), int(high), bounds, str(meta.get("format") or "png").lower())


_settings_seen: dict = {}  # the settings file's (path, mtime) -> its tile package, read once per change


def configured_package() -> Path | None:
    """The tile package the settings name when map.tiles = "local", else None. Read again when the
    settings file changes (the 设置 page may switch the basemap while the server runs)."""
    from cockpit.settings import SettingsError, load_settings, settings_path

    path = settings_path()
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return None
    if key not in _settings_seen:
        try:
            settings = load_settings(path)
        except SettingsError:
            return None
        local = settings.map_tiles.strip().lower() == "local"
        _settings_seen.clear()
        _settings_seen[key] = settings.map_tiles_package if local else None
    return _settings_seen[key]


def serve_tile(z: int, x: int, y: int) -> tuple[int, bytes, str]:
    """(HTTP status, body, content type) for the browser's request of tile z/x/y. A tile the
    package lacks is a 404 (Leaflet leaves that square empty); no package configured is a 404 too."""
    package = configured_package()
    if package is None:
        return 404, "未设置本地瓦片包（map.tiles = \"local\" 与 map.tiles_package）".encode(), "text/plain; charset=utf-8"
    try:
        found = read_tile(package, z, x, y)
    except (TilePackageError, OSError) as err:
        return 500, str(err).encode(), "text/plain; charset=utf-8"
    if found is None:
        return 404, b"", "text/plain; charset=utf-8"
    return 200, found[0], found[1]
