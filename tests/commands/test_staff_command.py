"""`yichuang staff`: the first admin of a new hall is made from the command line and can
then log in; a disabled account cannot."""
from __future__ import annotations

import io

from queue_server.cli import main
from queue_server.staff import StaffDirectory
from queue_server.store import Store

SITE = """\
hall:
  id: test-village
  name: 测试村便民服务站
  kind: village
"""


def staff_cli(tmp_path, monkeypatch, *args, password=None):
    config = tmp_path / "hall.yaml"
    config.write_text(SITE, encoding="utf-8")
    if password is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        args = (*args, "--password-stdin")
    return main(["staff", *args, "--config", str(config), "--db", str(tmp_path / "hall.sqlite")])


def directory(tmp_path) -> StaffDirectory:
    Store(str(tmp_path / "hall.sqlite")).close()
    return StaffDirectory(str(tmp_path / "hall.sqlite"))


def test_first_admin_is_added_and_can_log_in(tmp_path, monkeypatch, capsys):
    assert staff_cli(tmp_path, monkeypatch, "add", "admin", "张管理", "--role", "admin",
                     password="correct horse") == 0
    assert "added admin (系统管理员)" in capsys.readouterr().out
    account = directory(tmp_path).verify("admin", "correct horse")
    assert account is not None and account.role == "admin"
    assert staff_cli(tmp_path, monkeypatch, "list") == 0
    assert "张管理" in capsys.readouterr().out


def test_disabled_account_cannot_log_in_and_errors_are_plain(tmp_path, monkeypatch, capsys):
    staff_cli(tmp_path, monkeypatch, "add", "w3", "李明", password="window pass")
    assert staff_cli(tmp_path, monkeypatch, "disable", "w3") == 0
    assert directory(tmp_path).verify("w3", "window pass") is None
    assert staff_cli(tmp_path, monkeypatch, "add", "w3", "李明", password="window pass") == 1
    assert "工号已存在" in capsys.readouterr().err
    assert staff_cli(tmp_path, monkeypatch, "passwd", "nobody", password="whatever1") == 1
    assert "没有这个工号" in capsys.readouterr().err


def test_weak_passwords_and_formula_names_are_refused(tmp_path, monkeypatch, capsys):
    for password, said in (("123456", "密码至少8位"), (" " * 10, "同一个字符或空格"), ("aaaaaaaaaa", "同一个字符"),
                           ("qq123456", "太常见"), ("Woaini1314", "太常见"), ("5201314520", "太常见")):
        assert staff_cli(tmp_path, monkeypatch, "add", "admin", "张管理", "--role", "admin", password=password) == 1
        assert said in capsys.readouterr().err
    for name in ('=HYPERLINK("http://x.example","点我")', "+1+1", "-2", "@SUM(A1)", "\t=1"):
        assert staff_cli(tmp_path, monkeypatch, "add", "w4", name, password="window pass") == 1
        assert "姓名不能以 = + - @ 开头" in capsys.readouterr().err
    assert staff_cli(tmp_path, monkeypatch, "add", "demo", "演示", password="yichuang-demo") == 0


def test_the_last_admin_cannot_be_disabled(tmp_path, monkeypatch, capsys):
    staff_cli(tmp_path, monkeypatch, "add", "a1", "张管理", "--role", "admin", password="correct horse")
    assert staff_cli(tmp_path, monkeypatch, "disable", "a1") == 1
    assert "至少要保留一个启用的系统管理员账号" in capsys.readouterr().err
    assert directory(tmp_path).verify("a1", "correct horse") is not None
    staff_cli(tmp_path, monkeypatch, "add", "a2", "李管理", "--role", "admin", password="another horse")
    assert staff_cli(tmp_path, monkeypatch, "disable", "a1") == 0     # another admin is left
    staff_cli(tmp_path, monkeypatch, "add", "w1", "王窗口", password="window pass")
    assert staff_cli(tmp_path, monkeypatch, "disable", "w1") == 0
    assert staff_cli(tmp_path, monkeypatch, "disable", "a2") == 1
