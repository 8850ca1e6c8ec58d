"""`yichuang bench search`: kiosk search latency per keystroke on a large catalogue.

A catalogue of N items (default 2,000, the size of a big county's list) is generated from
Chinese word pools, each with two aliases; the index is built once (timed apart). Then
queries are typed one keystroke at a time: for each prefix of each query (pinyin letters,
initials, Chinese characters as an IME commits them) `SearchIndex.search` runs with this
hall's counts, as the kiosk does on every key. Target: under 50 ms per keystroke.
"""
from __future__ import annotations

import argparse
import itertools
import platform
import random
import statistics
import time

NAME = "search"
HELP = "kiosk catalogue search: latency per keystroke on a generated catalogue"
TARGET_MS = 50.0
SUBJECTS = ["社会保障卡", "医疗保险", "养老保险", "失业保险", "工伤保险", "生育保险", "不动产",
            "房屋", "宅基地", "契税", "个人所得税", "增值税发票", "居住证", "身份证", "户口",
            "驾驶证", "婚姻", "低保", "特困供养", "残疾人证", "高龄津贴", "营业执照", "食品经营",
            "药品经营", "烟草专卖", "道路运输", "建筑施工", "林木采伐", "取水", "排污", "公积金",
            "出生医学证明", "职业资格", "教师资格", "医师执业", "护士执业", "律师", "社会组织",
            "退役军人", "优抚对象"]
ACTIONS = ["申领", "补领", "换领", "注销", "变更登记", "首次登记", "转移登记", "查询", "证明开具",
           "待遇申领", "资格认证", "备案", "许可", "延续", "年检", "迁移", "关系转移接续", "挂失",
           "信息修改", "预约"]
PREFIXES = ["", "个人", "单位", "城乡居民", "职工", "外地户籍"]
DOMAINS = ["医保", "社保", "不动产", "税务", "公安", "民政", "市场监管", "交通", "住建", "教育"]
QUERIES = ["shebaoka", "sbk", "shehuibaozhangkashenling", "budongchan zhuanyi", "bdcdj", "qishui",
           "juzhuzheng", "yiliaobaoxian guanxi", "gtgsh", "canjirenzheng", "社会保障卡申领",
           "不动产转移登记", "居住证", "zzzzz"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--items", type=int, default=2000, help="catalogue size (default 2000)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="times every query is typed (default 5)")


def generate(size: int, seed: int = 13):
    """A catalogue of `size` distinct items with two aliases each."""
    from hall.catalog import Catalog, Item

    rng = random.Random(seed)
    names = [f"{p}{s}{a}" for p, s, a in itertools.product(PREFIXES, SUBJECTS, ACTIONS)]
    rng.shuffle(names)
    if size > len(names):
        raise SystemExit(f"at most {len(names)} items can be generated")
    items = [Item(code=f"G-{n:05d}", name=name, domain=DOMAINS[n % len(DOMAINS)],
                  category="zonghe", aliases=(name[-4:], rng.choice(SUBJECTS)[:3]))
             for n, name in enumerate(names[:size])]
    return Catalog(domains=tuple(DOMAINS), items=tuple(items)), rng


def _keystrokes(query: str) -> list[str]:
    return [query[:k] for k in range(1, len(query) + 1)]


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(args: argparse.Namespace) -> int:
    from hall.catalog.search import SearchIndex

    catalog, rng = generate(args.items)
    counts = {item.code: rng.randrange(0, 500) for item in catalog.items}
    start = time.perf_counter()
    index = SearchIndex(catalog)
    build_ms = (time.perf_counter() - start) * 1000
    ms = []
    for _ in range(args.rounds):
        for query in QUERIES:
            for typed in _keystrokes(query):
                start = time.perf_counter()
                index.search(typed, counts=counts)
                ms.append((time.perf_counter() - start) * 1000)
    p99 = _quantile(ms, 0.99)
    print(f"python {platform.python_version()}, {platform.processor() or platform.machine()}")
    print(f"catalogue: {len(catalog.items)} items; index built in {build_ms:.0f} ms")
    print(f"keystrokes: {len(ms)}  median {statistics.median(ms):.2f} ms  "
          f"p95 {_quantile(ms, 0.95):.2f} ms  p99 {p99:.2f} ms  max {max(ms):.2f} ms  "
          f"(target < {TARGET_MS:.0f} ms: {'met' if p99 < TARGET_MS else 'NOT met'})")
    return 0 if p99 < TARGET_MS else 1
