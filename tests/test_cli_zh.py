"""The command line speaks Chinese: argparse's help and errors, and a port already taken."""

import socket

import pytest

from cockpit import cli_zh
from cockpit.__main__ import main


def test_help_is_in_chinese(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["serve", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：python -m cockpit serve [-h] [--port 端口]")
    assert "显示本帮助并退出" in out and "网页端口（默认 8501）" in out
    assert not any(word in out for word in ("usage", "options", "show this help"))


@pytest.mark.parametrize(("argv", "message"), [
    ([], "python -m cockpit：错误：缺少必需的参数：命令"),
    (["serve", "--port", "abc"], "python -m cockpit serve：错误：参数 --port：端口应是 1 到 65535 之间的整数，而不是“abc”"),
    (["serve", "--port", "70000"], "端口应是 1 到 65535 之间的整数，而不是 70000"),
    (["nosuch"], "python -m cockpit：错误：参数 命令：无效的选项：'nosuch'（可选：'import', 'demo', 'serve', 'passwd'）"),
    (["serve", "--prot", "1"], "python -m cockpit：错误：无法识别的参数：--prot 1"),
])
def test_errors_are_in_chinese(capsys, argv, message):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：") and message in err, err


def test_a_port_in_use_is_named_with_the_port_option(capsys):
    with socket.socket() as taken:
        taken.bind(("", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert not cli_zh.port_is_free(port)
        assert main(["serve", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err == (f"端口 {port} 已被占用（可能驾驶舱或别的程序已经在用它）。\n"
                   f"请换一个端口启动，例如：python -m cockpit serve --port {port + 1}\n")
