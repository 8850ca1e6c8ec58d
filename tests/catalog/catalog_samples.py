"""A small valid catalogue and hall config, and helpers to break them one way at a time."""
from __future__ import annotations

HALL = """\
hall:
  id: test-hall
  name: 测试县政务服务中心
  kind: county
categories:
  - {id: zonghe, prefix: A, name: 综合业务}
  - {id: shebao, prefix: C, name: 社保业务}
  - {id: yijianshi, prefix: F, name: 一件事一次办}
windows:
  - {id: "1", kind: comprehensive}
  - {id: "9", kind: domain, categories: [shebao]}
  - {id: "15", kind: dedicated, categories: [yijianshi]}
"""

CATALOG = """\
domains: [社保, 民政]
items:
  - code: SB-001
    name: 社会保障卡申领
    aliases: [社保卡, 办卡]
    domain: 社保
    category: shebao
    windows: ["9"]
    conditions:
      - 本县参保人员
    materials:
      - {name: 居民身份证, form: original, not_needed: true, note: 窗口刷卡读取}
      - {name: 近期免冠彩色照片, count: 1, later: true}
      - {name: 参保证明, form: copy, count: 2, promise: true}
    legal_days: 20
    committed_days: 5
    fee: 不收费
    basis:
      - 《社会保障卡管理办法》
    delivery: [window, post]
    kiosk: true
    face_check: true
  - code: MZ-001
    name: 婚姻登记预约
    domain: 民政
    category: zonghe
    legal_days: 0
  - code: SB-002
    name: 城乡居民基本养老保险参保登记
    domain: 社保
    category: shebao
    legal_days: 0
bundles:
  - code: YJS-001
    name: 新生儿出生一件事
    category: yijianshi
    items: [SB-001, SB-002]
"""


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, fragment: str) -> int:
    """The line of the last occurrence (a duplicate is reported where it is repeated)."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert lines, fragment
    return lines[-1]
