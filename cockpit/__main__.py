"""Command line: python -m cockpit import | demo | serve | passwd."""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from cockpit.settings import PROJECT_DIR, SettingsError, load_settings
from cockpit.store import versions

DEMO_DIR = PROJECT_DIR / "data" / "demo"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cockpit", description="创城驾驶舱")
    commands = parser.add_subparsers(dest="command", required=True)

    imp = commands.add_parser("import", help="导入平台导出的 Excel/CSV 文件或文件夹")
    imp.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    imp.add_argument("--db", type=Path, help="数据库文件夹（默认 data/，或环境变量 COCKPIT_DB）")
    imp.add_argument("--mapping", type=Path, action="append", default=[], help="某个平台的表头映射文件（可多次）")
    imp.add_argument("--by", default=os.environ.get("USER", ""), help="导入人")

    demo = commands.add_parser("demo", help="生成示范市的演示导出文件并导入")
    demo.add_argument("--scale", type=int, default=30_000, help="问题数（默认 30000）")
    demo.add_argument("--out", type=Path, default=DEMO_DIR, help="导出文件写到哪里（默认 data/demo）")
    demo.add_argument("--end", type=date.fromisoformat, help="数据截止日期 YYYY-MM-DD（默认昨天）")
    demo.add_argument("--db", type=Path, help="导入到哪个数据库文件夹（默认 data/）")
    demo.add_argument("--no-import", action="store_true", help="只生成文件，不导入")

    serve = commands.add_parser("serve", help="启动驾驶舱（没有数据时先生成演示数据）")
    serve.add_argument("--port", default="8501")

    passwd = commands.add_parser("passwd", help="生成登录账号（只保存加盐的密码哈希）")
    passwd.add_argument("name", help="用户名")
    passwd.add_argument("--role", choices=("staff", "viewer"), default="staff", help="staff 工作人员（默认），viewer 只查看")
    passwd.add_argument("--district", help="只能看这个区县的数据")
    passwd.add_argument("--write", action="store_true", help="写入 .streamlit/secrets.toml（否则只打印）")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读密码（脚本用）")

    args = parser.parse_args(argv)
    if args.command == "passwd":
        return run_passwd(args)
    try:
        settings = load_settings()
    except SettingsError as err:
        print(f"设置有误：{err}", file=sys.stderr)
        return 2
    if args.command == "import":
        return run_import(args.paths, args.db, args.mapping, args.by, settings)
    if args.command == "demo":
        return run_demo(args.scale, args.out, args.end, args.db, settings, do_import=not args.no_import)
    return run_serve(args.port, settings)


def run_import(paths, db_override, mappings, imported_by, settings) -> int:
    from cockpit.ingest.mapping import MappingError
    from cockpit.ingest.reading import ImportRefused
    from cockpit.ingest.writing import import_files

    try:
        result = import_files(paths, db_directory=db_override, extra_mappings=mappings, settings=settings,
                              imported_by=imported_by, wait_seconds=30)
    except (ImportRefused, MappingError, versions.ImportBusy) as err:
        print(f"导入失败：{err}", file=sys.stderr)
        return 1
    for outcome in result.outcomes:
        print(outcome.message)
    if result.published is None:
        print("数据库没有变化。")
    print(f"导入报告：{result.report_path}")
    if result.rejects_path:
        print(f"问题行清单（可用 Excel 打开）：{result.rejects_path}")
    return 0 if result.ok else 1


def run_demo(scale, out, end, db_override, settings, *, do_import=True) -> int:
    from cockpit.demo.dialects import place_demo_world, write_demo

    print(f"生成示范市演示数据（{scale} 个问题）到 {out} …")
    files = write_demo(Path(out), scale=scale, end=end)
    for note in place_demo_world(Path(out), settings.map_boundaries, Path(db_override or versions.db_dir()) / "mappings"):
        print(note)
    if not do_import:
        return 0
    mappings = _kept_with_store(sorted((Path(out) / "mappings").glob("*.toml")), versions.db_dir(db_override) / "mappings")
    # The size limit guards against a clerk's stray upload; the demo's own exports of a large city
    # (60 MB at a million problems) are known files, so the limit is raised to fit them.
    largest_mb = max((f.stat().st_size for f in files), default=0) / (1 << 20)
    settings = dataclasses.replace(settings, max_file_mb=max(settings.max_file_mb, largest_mb + 1))
    return run_import(files, db_override, mappings, "演示数据", settings)


def _kept_with_store(mappings: list[Path], folder: Path) -> list[Path]:
    """The demo's platform mappings copied into the store's mappings folder, where the 数据导入 page
    finds them too (a file of that name already there is left as it is); returns those that could
    not be copied, for the command line to name."""
    folder.mkdir(parents=True, exist_ok=True)
    others = []
    for path in mappings:
        target = folder / path.name
        if not target.exists():
            shutil.copyfile(path, target)
        elif target.read_bytes() != path.read_bytes():
            others.append(path)
    return others


def run_passwd(args) -> int:
    """Print (or write into .streamlit/secrets.toml) one account with a salted hash of its password."""
    import getpass

    from cockpit.web import access

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"{args.name} 的密码：")
        if getpass.getpass("再输入一次：") != password:
            print("两次输入的密码不一致，未生成。", file=sys.stderr)
            return 1
    try:
        entry = access.account_entry(args.name, password, args.role, args.district)
    except access.AccountsError as err:
        print(err, file=sys.stderr)
        return 1
    if not args.write:
        print(entry, end="")
        return 0
    secrets_path = PROJECT_DIR / ".streamlit" / "secrets.toml"
    access.write_account(secrets_path, entry)
    print(f"已写入 {secrets_path}（{args.name}，{access.ROLES[args.role]}）。")
    return 0


def run_serve(port, settings) -> int:
    if versions.current_file(versions.db_dir()) is None:
        print("还没有数据：先生成并导入示范市的演示数据。")
        code = run_demo(30_000, DEMO_DIR, None, None, settings)
        if code not in (0, 1):
            return code
    return subprocess.call([sys.executable, "-m", "cockpit.web.server", "--server.port", port], cwd=PROJECT_DIR)


if __name__ == "__main__":
    sys.exit(main())
