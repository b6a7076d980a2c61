"""Reading an export's cells: .xlsx/.xls in a child process, .csv in UTF-8, UTF-8 with BOM, GBK or UTF-16
with its delimiter found; zip bombs and foreign text refused; an upload saved under a safe name."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from cockpit.ingest import parse, sheet_process
from cockpit.ingest.cells import UTF8_BOM, ColumnTable, RowTable, read_csv_quickly
from cockpit.settings import Settings, load_settings

SUPPORTED = (".xlsx", ".xlsm", ".xls", ".csv", ".txt")
# An .xlsx may unpack to this many times the file size limit; a part that expands more than
# BOMB_RATIO times (and past BOMB_PART_BYTES) is a decompression bomb, refused before it is opened.
UNPACKED_PER_FILE_LIMIT = 20
BOMB_RATIO = 200
BOMB_PART_BYTES = 10 << 20


class ImportRefused(ValueError):
    """A file that cannot be imported at all; the message is for the clerk."""


# ---- reading ---------------------------------------------------------------------------------

def read_tables(path: Path, max_unpacked_bytes: int | None = None) -> list[tuple[str, list[list[str]]]]:
    """Every sheet (or the one CSV table) as rows of cell text."""
    return [(table.name, table.all_rows()) for table in read_cell_tables(path, max_unpacked_bytes)]


def read_cell_tables(path: Path, max_unpacked_bytes: int | None = None) -> list:
    """Every sheet (or the one CSV table) as a RowTable or ColumnTable (cockpit.cells), for the importer."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return [_read_csv_table(path)]
    if suffix in (".xlsx", ".xlsm"):
        _refuse_zip_bomb(path, max_unpacked_bytes)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return _read_workbook(path)
    raise ImportRefused(f"不支持的文件类型“{path.suffix}”，请导出为 .xlsx 或 .csv")


# Chinese characters read as UTF-8 before the first byte that is not: the file is UTF-8 with some
# other encoding pasted in (GBK rows appended to a UTF-8 export), not a GBK file.
_MIXED_AFTER_CHARS = 3
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Read as GB18030, text in another encoding (traditional Chinese in Big5, most likely) comes out as
# characters no Chinese export holds: Japanese kana and box drawing, or private-use characters.
# One private-use character alone may be a rare character an office made itself (造字) and is kept.
_FOREIGN_SIGNS = re.compile("[\u3040-\u30ff\u2500-\u257f]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_SIGNS = re.compile("[\u3040-\u30ff\u2500-\u257f\ue000-\uf8ff]")


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes, else UTF-16 (with a BOM, or plainly so), else
    GB18030 (a superset of GBK).

    A GBK file behind a UTF-8 BOM (some tools add one) is read as GBK. A UTF-8 file with GBK bytes
    in some rows, or a GBK file with rows in another encoding (Big5), is refused, naming the first
    such row, rather than read as garbled text.
    """
    return _decode_csv(data)[0]


def _decode_csv(data: bytes) -> tuple[str, bool]:
    """decode_csv's text, and whether the file is UTF-8 (DuckDB reads it as it is, dropping a BOM as we do)."""
    if is_utf16(data):
        return _decode_utf16(data), False
    body = memoryview(data)[len(UTF8_BOM):] if data.startswith(UTF8_BOM) else data  # not a copy of the file
    try:
        return str(body, "utf-8"), True
    except UnicodeDecodeError as err:
        good_prefix = str(body[:err.start], "utf-8")
        if sum(not c.isascii() for c in good_prefix) >= _MIXED_AFTER_CHARS:
            line = good_prefix.count("\n") + 1
            raise ImportRefused(f"第 {line} 行的编码与前面的行不同（文件混用了 UTF-8 和 GBK），"
                                "请用 Excel 打开后另存为 .xlsx 再导入") from None
    try:  # GBK is GB18030 without its private-use and four-byte characters, and decodes quicker
        return str(body, "gbk"), False
    except UnicodeDecodeError:
        pass
    try:
        text = str(body, "gb18030")
    except UnicodeDecodeError:
        raise ImportRefused("无法识别文件编码（既不是 UTF-8 也不是 GBK），请另存为 UTF-8 或 Excel 文件") from None
    _refuse_foreign_text(text)
    return text, False


def _refuse_foreign_text(text: str) -> None:
    """Refuse GB18030 text at its first line holding kana, box drawing or two private-use characters:
    that line was written in another encoding."""
    checked = -1
    for found in _SIGNS.finditer(text):
        start = text.rfind("\n", 0, found.start()) + 1
        if start == checked:
            continue
        checked = start
        end = text.find("\n", start)
        line = text[start:end if end != -1 else len(text)]
        if _FOREIGN_SIGNS.search(line) or len(_PRIVATE_USE.findall(line)) >= 2:
            raise ImportRefused(f"第 {text.count(chr(10), 0, start) + 1} 行含有无法识别的字符（可能是繁体 Big5 编码"
                                "的文字混入了 GBK 文件），请用 Excel 打开后另存为 .xlsx，或另存为 UTF-8 编码的 CSV 再导入")


_UTF16_HEAD_BYTES = 4096
_UTF16_MIN_BYTES = 64


def is_utf16(data: bytes) -> bool:
    """A UTF-16 BOM, or (UTF-16 saved without one) NUL bytes making a tenth of the first kilobytes,
    nearly all on odd or all on even places: the other half of ASCII characters (digits, commas,
    line breaks). UTF-8 and GBK text holds none, but for a stray NUL."""
    if data.startswith(UTF16_BOMS):
        return True
    head = data[:_UTF16_HEAD_BYTES]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    return len(head) >= _UTF16_MIN_BYTES and (odd + even) * 10 >= len(head) and min(odd, even) * 20 <= max(odd, even)


def _decode_utf16(data: bytes) -> str:
    if data.startswith(UTF16_BOMS):
        encoding = "utf-16"  # the BOM says which byte order, and is dropped
    else:  # an ASCII character has its NUL after it (little-endian) or before it
        odd_nuls = data[1:_UTF16_HEAD_BYTES:2].count(0)
        encoding = "utf-16-le" if odd_nuls > data[0:_UTF16_HEAD_BYTES:2].count(0) else "utf-16-be"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ImportRefused("文件是 UTF-16 编码，但内容不完整、无法读取；请用 Excel 打开后另存为 .xlsx，"
                            "或另存为“CSV UTF-8（逗号分隔）”再导入") from None


def _read_csv(data: bytes) -> list[list[str]]:
    """Rows as the csv module reads them: a row longer or shorter than the header is kept as it is
    (the columns are matched later), and a blank line stays a row so row numbers match the file."""
    text = _csv_text(data)[0]
    return _csv_rows(text, csv_delimiter(text))


def _csv_text(data: bytes) -> tuple[str, bool]:
    text, is_file_text = _decode_csv(data)
    if not text or text.isspace():  # not text.strip(): that copies the whole text
        raise ImportRefused("文件是空的")
    return text, is_file_text


DELIMITER_NAMES = {",": "逗号", "\t": "制表符", ";": "分号"}
_DELIMITER_LINES = 10


def csv_delimiter(text: str) -> str:
    """The comma, unless a tab or semicolon splits one of the first lines with text into more cells
    (Excel's 'Unicode text' is tab-delimited, a European Excel writes semicolons)."""
    lines = [line for line in text[:1 << 16].splitlines() if line.strip()][:_DELIMITER_LINES]
    widest = {d: max((line.count(d) for line in lines), default=0) for d in DELIMITER_NAMES}
    best = max(DELIMITER_NAMES, key=lambda d: (widest[d], d == ","))
    return best if widest[best] > widest[","] else ","


def _csv_rows(text: str, delimiter: str = ",") -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as err:
        row = len(rows) + 1  # the row as Excel numbers it: the one being read
        if "field larger than field limit" in str(err):
            raise ImportRefused(f"第 {row} 行有一个单元格超过 {csv.field_size_limit():,} 个字符，过长无法读取"
                                "（常见原因：某个引号没有配对，把后面许多行并进了一个单元格）；"
                                "请检查该行，或用 Excel 另存为 .xlsx 后再导入") from None
        raise ImportRefused(f"第 {row} 行无法按 CSV 读取（引号或换行不规范），请用 Excel 另存为 .xlsx 后再导入") from None
    return rows


def _read_csv_table(path: Path):
    """The CSV read by DuckDB into columns when it reads it as the csv module would, else by the csv
    module (files delimited by tabs or semicolons too)."""
    data = path.read_bytes()
    text, is_file_text = _csv_text(data)
    delimiter = csv_delimiter(text)
    if delimiter != ",":
        return RowTable(path.name, _csv_rows(text, delimiter), delimiter)
    if is_utf16(data):  # the quick reader looks at the bytes of UTF-8 or GBK text
        data = text.encode("utf-8")
    return (read_csv_quickly(path, data, text, is_file_text)
            or RowTable(path.name, _csv_rows(text)))


_DAMAGED = sheet_process.DAMAGED


def _refuse_zip_bomb(path: Path, max_unpacked_bytes: int | None) -> None:
    """Read the zip's declared sizes (a few bytes) and refuse a file that would expand enormously."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRefused(_DAMAGED) from None
    unpacked = sum(p.file_size for p in parts)
    bomb = any(p.file_size > BOMB_PART_BYTES and p.file_size > BOMB_RATIO * max(p.compress_size, 1) for p in parts)
    if bomb or (max_unpacked_bytes is not None and unpacked > max_unpacked_bytes):
        raise ImportRefused(f"文件解压后达 {unpacked / (1 << 20):,.0f} MB，异常地大（可能是压缩炸弹），为保护服务器未打开")


def _read_workbook(path: Path) -> list:
    """Every visible sheet as a table of cell text, read in a child process (cockpit.sheet_process):
    a damaged or hostile workbook is refused with its reason, and cannot take this process down."""
    try:
        sheets = sheet_process.read_workbook(path)
    except sheet_process.WorkbookRefused as err:
        raise ImportRefused(str(err)) from None
    return [ColumnTable(sheet.name, sheet.table, sheet.merged) for sheet in sheets]


# Characters that would move or hide text where a file name is printed: control characters (a line
# break forges a line of the report), line separators, and format characters (a right-to-left
# override turns 'gpj.exe' round).
_UNPRINTABLE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{parse.FORMAT_CHARACTERS}]")


def shown_name(name: object) -> str:
    """A file name (or path) as printed on the command line, in reports and on pages: characters that
    are not shown are written as escapes (a line break as \\n), so the name stays one visible line."""
    return _UNPRINTABLE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), str(name))


# ---- saving an upload ------------------------------------------------------------------------

_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
MAX_NAME_CHARS = 100


def save_upload(name: str, data: bytes, folder: Path, settings: Settings | None = None) -> Path:
    """Keep an uploaded file in the import folder under a safe name; return where it was saved.

    The browser's name is only a label: folders in it (/, \\, ..) are dropped, characters Windows
    or the shell treat specially are replaced, and an existing file is never overwritten (a number
    is added). Files over the size setting and types the importer cannot read are refused.
    """
    settings = settings or load_settings()
    if len(data) > settings.max_file_mb * (1 << 20):
        raise ImportRefused(f"文件大小 {len(data) / (1 << 20):,.0f} MB，超过设置的上限 {settings.max_file_mb:g} MB；"
                            "请按月份或区县分成几个文件导出")
    safe = safe_file_name(name)
    if Path(safe).suffix.lower() not in SUPPORTED:
        raise ImportRefused(f"不支持的文件类型“{Path(safe).suffix}”，请导出为 .xlsx 或 .csv")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = Path(safe).stem, Path(safe).suffix
    for number in range(1, 10_000):
        target = folder / (safe if number == 1 else f"{stem}({number}){suffix}")
        if target.resolve().parent != folder.resolve():  # never reached after safe_file_name; kept as a guard
            raise ImportRefused("文件名不安全，已拒绝保存")
        try:
            with open(target, "xb") as handle:  # "x": fails rather than overwrite, even in a race
                handle.write(data)
            return target
        except FileExistsError:
            continue
    raise ImportRefused("导入文件夹中同名文件过多，请先清理")


_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def safe_file_name(name: str) -> str:
    """The last part of a browser-given name, without characters that could leave the folder.

    No leading dot (no hidden file, no '..'), at most MAX_NAME_CHARS characters, its type kept.
    """
    base = _UNSAFE_IN_NAME.sub("_", re.split(r"[/\\]", name or "")[-1]).strip(" \u3000")
    found = _SUFFIX.search(base)
    suffix = found.group() if found else ""
    stem = base[:len(base) - len(suffix)].strip(" .\u3000") or "上传文件"
    return stem[:MAX_NAME_CHARS - len(suffix)] + suffix
