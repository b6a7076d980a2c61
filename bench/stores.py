"""The demo city at each scale, built once into <work>/<scale>/ and reused by later runs."""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.common import DEMO_END, ROOT
from cockpit.store import versions


def store_dir(work: Path, scale: int) -> Path:
    return work / str(scale)


def ensure_store(work: Path, scale: int) -> dict:
    """Build the demo city at this scale unless a finished build is there; return its build facts."""
    folder = store_dir(work, scale)
    facts_file = folder / "build.json"
    if versions.current_file(folder / "db") is not None and (folder / "files" / "exports").is_dir():
        return json.loads(facts_file.read_text()) if facts_file.exists() else {"seconds": None, "peak_rss": None}
    folder.mkdir(parents=True, exist_ok=True)
    print(f"  建立示范市 {scale:,} 个问题 → {folder}", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cockpit", "demo", "--scale", str(scale), "--end", DEMO_END.isoformat(),
                    "--out", str(folder / "files"), "--db", str(folder / "db")],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    facts = {"seconds": time.perf_counter() - started,
             "peak_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}
    facts_file.write_text(json.dumps(facts))
    return facts


def newest_problem_files(work: Path, scale: int) -> dict[str, list[Path]]:
    """The newest snapshot's problem exports, by format (two CSV dialects, two .xlsx dialects)."""
    return _problem_files(work, scale, DEMO_END.strftime("%Y%m%d"))


def earlier_problem_files(work: Path, scale: int) -> dict[str, list[Path]]:
    """The snapshot before the newest (a week earlier), by format: what a weekly import finds in the store."""
    stamps = sorted({match.group() for p in _exports(work, scale).iterdir() if (match := _STAMP.search(p.name))})
    newest = DEMO_END.strftime("%Y%m%d")
    earlier = [stamp for stamp in stamps if stamp < newest]
    return _problem_files(work, scale, earlier[-1]) if earlier else {"csv": [], "xlsx": []}


_STAMP = re.compile(r"20\d{6}")


def _exports(work: Path, scale: int) -> Path:
    return store_dir(work, scale) / "files" / "exports"


def _problem_files(work: Path, scale: int, stamp: str) -> dict[str, list[Path]]:
    files = sorted(p for p in _exports(work, scale).iterdir() if stamp in p.name and not p.name.startswith("检查记录"))
    return {"csv": [p for p in files if p.suffix == ".csv"], "xlsx": [p for p in files if p.suffix == ".xlsx"]}


def mapping_files(work: Path, scale: int) -> list[Path]:
    return sorted((store_dir(work, scale) / "files" / "mappings").glob("*.toml"))
