"""The demo city at each scale, built once into <work>/<scale>/ and reused by later runs."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.common import DEMO_END, ROOT
from cockpit import db


def store_dir(work: Path, scale: int) -> Path:
    return work / str(scale)


def ensure_store(work: Path, scale: int) -> dict:
    """Build the demo city at this scale unless a finished build is there; return its build facts."""
    folder = store_dir(work, scale)
    facts_file = folder / "build.json"
    if db.current_file(folder / "db") is not None and (folder / "files" / "exports").is_dir():
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
    exports = store_dir(work, scale) / "files" / "exports"
    stamp = DEMO_END.strftime("%Y%m%d")
    newest = sorted(p for p in exports.iterdir() if stamp in p.name and not p.name.startswith("检查记录"))
    return {"csv": [p for p in newest if p.suffix == ".csv"], "xlsx": [p for p in newest if p.suffix == ".xlsx"]}


def mapping_files(work: Path, scale: int) -> list[Path]:
    return sorted((store_dir(work, scale) / "files" / "mappings").glob("*.toml"))
