"""The command line in Chinese: argparse's own words (usage, help, errors), and a check that the
server's port is free before Streamlit is started (Streamlit would only log "Port 8501 is not
available" in English and stop).

argparse looks its words up through gettext; Python ships no Chinese catalogue for them, so the
cockpit gives argparse its own lookup, for the strings of Python 3.10–3.13's argparse that a user of
`python -m cockpit` can meet. A string not listed stays English, which is no worse than before.
"""

from __future__ import annotations

import argparse
import socket

WORDS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 必须给出其中一个",
    "ignored explicit argument %r": "多余的值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可用的命令：%(choices)s）",
}
PLURALS = {"expected %s argument": "需要 %s 个值", "expected %s arguments": "需要 %s 个值"}


def _gettext(text: str) -> str:
    return WORDS.get(text, text)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular if n == 1 else plural, singular if n == 1 else plural)


def speak_chinese() -> None:
    """Make argparse use the Chinese words (it reads its module's _ and ngettext at call time)."""
    argparse._ = _gettext
    argparse.ngettext = _ngettext


def port_number(text: str) -> int:
    """argparse type for --port: a whole number from 1 to 65535, else a Chinese error."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"端口应是 1 到 65535 之间的整数，而不是“{text}”") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"端口应是 1 到 65535 之间的整数，而不是 {port}")
    return port


def port_is_free(port: int, address: str = "") -> bool:
    """Whether the server could listen on port (all addresses, as Streamlit does by default)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the server binds: a port left in TIME_WAIT by a server just stopped counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError:
            return False
    return True


def port_taken_message(port: int) -> str:
    return (f"端口 {port} 已被占用（可能驾驶舱或别的程序已经在用它）。\n"
            f"请换一个端口启动，例如：python -m cockpit serve --port {port + 1 if port < 65535 else 8502}")
