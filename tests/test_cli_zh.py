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


def test_the_server_console_speaks_chinese(monkeypatch, capsys):
    from streamlit import cli_util, config
    from streamlit.web import bootstrap

    from cockpit.web import server

    # Patched for this test only: monkeypatch puts Streamlit's own back afterwards.
    monkeypatch.setattr(cli_util, "print_to_cli", cli_util.print_to_cli)
    monkeypatch.setattr(bootstrap, "_print_url", bootstrap._print_url)
    monkeypatch.setattr(server.net_util, "get_internal_ip", lambda: "10.1.2.3")
    monkeypatch.setattr(config, "is_manually_set", lambda key: False)
    server.speak_chinese_on_the_console()
    bootstrap._print_url(False)
    cli_util.print_to_cli("  Stopping...")
    out = capsys.readouterr().out
    port = config.get_option("server.port")
    assert "驾驶舱已启动，请在浏览器打开：" in out and f"http://localhost:{port}" in out and f"http://10.1.2.3:{port}" in out
    assert "正在停止驾驶舱" in out and "You can now view" not in out and "Stopping" not in out
