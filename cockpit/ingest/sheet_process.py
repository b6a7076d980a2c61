"""Workbooks read in a child process with a memory budget and a time limit.

python-calamine builds a sheet as one dense grid from A1 to its last cell: a 7 KB file with one cell
at XFD1048576 asks for 512 GiB, and the allocation failure aborts the whole process (a Rust abort,
not a Python exception); a damaged sheet may make it panic. Read in the server's own process, one
such upload would stop the cockpit for everyone. So the reading (cockpit.sheets.read_workbook_cells)
happens in a child forked for the file, whose address space is limited (RLIMIT_AS) to what it has
plus READ_MEMORY_BYTES, and which is killed after READ_SECONDS. Whatever it dies of, the importer
gets a Chinese reason for that file, and the other files of the batch go on.

The child sends the sheets back as Arrow IPC streams over a pipe: one copy of the text, no Python
object per cell. It is forked rather than started afresh, because a fresh interpreter importing
numpy, pyarrow and calamine took longer than reading a typical export; it only reads one file,
sends, and exits, touching nothing the parent's other threads hold.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import multiprocessing
import os
import resource
import signal
from pathlib import Path

import pyarrow as pa
import python_calamine  # noqa: F401  loaded before the fork: the child could not map it within its memory budget

from cockpit.ingest.sheets import SheetCells, read_workbook_cells

READ_SECONDS = 300            # far beyond any export within the file size limit
READ_MEMORY_BYTES = 4 << 30   # beyond the parent's own address space

DAMAGED = "无法打开表格文件：文件已损坏、不完整或不是 Excel 文件，请从平台重新导出"


class WorkbookRefused(Exception):
    """The workbook could not be read; the message is for the clerk."""


def too_slow(seconds: float) -> str:
    return (f"读取超过 {seconds:g} 秒仍未完成（表格异常地大，或文件已损坏），为保护服务器已停止读取；"
            "请用 Excel 打开检查、另存为 .xlsx，或按月份或区县分成几个文件导出")


def too_big(memory_bytes: int) -> str:
    return (f"读取这个表格所需的内存超过 {memory_bytes / (1 << 20):,.0f} MB（工作表的范围异常地大，"
            "例如有单元格填在很远的行或列，如 XFD1048576），为保护服务器已停止读取；"
            "请在 Excel 中删除数据以外的行和列后另存，或按月份或区县分成几个文件导出")


def read_workbook(path: Path, seconds: float | None = None, memory_bytes: int | None = None) -> list[SheetCells]:
    """read_workbook_cells(path), in a child process; WorkbookRefused when it fails, runs out of
    memory or time, or dies."""
    seconds = READ_SECONDS if seconds is None else seconds
    memory_bytes = READ_MEMORY_BYTES if memory_bytes is None else memory_bytes
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_read_in_child, args=(str(path), memory_bytes, sender, os.getpid()),
                            name="cockpit-sheet-reader", daemon=True)
    child.start()
    sender.close()  # the child's end: the parent sees EOF when the child dies
    try:
        return _received(receiver, child, seconds, memory_bytes)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()


def _received(receiver, child, seconds: float, memory_bytes: int) -> list[SheetCells]:
    if not receiver.poll(seconds):
        raise WorkbookRefused(too_slow(seconds))
    try:
        kind, payload = receiver.recv()
        if kind == "refused":
            raise WorkbookRefused(payload)
        return [SheetCells(name, pa.ipc.open_stream(receiver.recv_bytes()).read_all(), merged)
                for name, merged in payload]
    except (EOFError, OSError):  # the child died: calamine aborted (memory) or crashed
        child.join(5)
        if child.exitcode in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV, -signal.SIGBUS):
            raise WorkbookRefused(too_big(memory_bytes)) from None
        raise WorkbookRefused(DAMAGED) from None


def _read_in_child(path: str, memory_bytes: int, sender, parent: int) -> None:
    _die_with(parent)
    _silence_stderr()
    _limit_memory(memory_bytes)
    try:
        sheets = read_workbook_cells(path)
    except MemoryError:
        sender.send(("refused", too_big(memory_bytes)))
        return
    except BaseException:  # calamine raises several kinds for damaged files, and panics as BaseException
        sender.send(("refused", DAMAGED))
        return
    sender.send(("sheets", [(sheet.name, sheet.merged) for sheet in sheets]))
    for sheet in sheets:
        sender.send_bytes(_ipc_bytes(sheet.table))
    sender.close()


def _ipc_bytes(table: pa.Table) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as stream:
        stream.write_table(table)
    return sink.getvalue()


_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """The child is killed when the thread that forked it ends (the importer killed): the time
    limit is the parent's to enforce, and a child left reading a pipe would wait forever."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _silence_stderr() -> None:
    """calamine prints a Rust backtrace when it aborts: the clerk reads the Chinese reason instead."""
    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _limit_memory(memory_bytes: int) -> None:
    """The child may grow by memory_bytes beyond the address space it was forked with."""
    try:
        with open("/proc/self/statm") as statm:  # Linux, where the cockpit runs
            pages = int(statm.read().split()[0])
    except OSError:
        return
    limit = pages * os.sysconf("SC_PAGE_SIZE") + memory_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
