"""`yichuang device read-card` and the card reader simulator for `device simulate`."""
from __future__ import annotations

import argparse
import time
from contextlib import closing

from . import SIMULATORS, checked, load_device_profile


def register(sub) -> None:
    read = sub.add_parser("read-card", help="wait for an ID card and show it (masked)")
    read.add_argument("--port", required=True, help="serial port of the reader")
    read.add_argument("--profile", default="sam-generic", help="device profile (default sam-generic)")
    read.add_argument("--wait", type=float, default=15.0, help="seconds to wait for a card")
    read.add_argument("--show-full", action="store_true",
                      help="show the full name and ID number (only with the holder present)")
    read.set_defaults(func=checked(read_card, "读卡失败"))
    SIMULATORS["card-reader"] = "queue_server.commands.device.card_reader:simulator"


def describe(card, full: bool) -> list[str]:
    valid_to = card.valid_to.isoformat() if card.valid_to else "长期"
    lines = [f"证件类型：{card.card_type_name}",
             f"姓名：{card.name if full else card.name_masked}",
             f"性别：{card.sex}",
             f"证件号码：{card.id_number if full else card.id_masked}",
             f"有效期至：{valid_to}"]
    if full:
        lines += [f"出生日期：{card.birth_date.isoformat()}", f"民族：{card.nation or '-'}",
                  f"住址：{card.address or '-'}", f"签发机关：{card.authority or '-'}",
                  f"英文姓名：{card.english_name or '-'}"]
    photo = "已解码" if card.photo is not None else card.photo_unavailable_reason
    return lines + [f"照片：{photo}"]


def read_card(args: argparse.Namespace) -> int:
    from drivers.card_reader.driver import CardReader
    reader = CardReader(args.port, load_device_profile(args.profile, "card_reader"))
    deadline = time.monotonic() + args.wait
    print("请将证件放在读卡区……", flush=True)
    with closing(reader):
        while time.monotonic() < deadline:
            card = reader.read_card()
            if card is not None:
                print("\n".join(describe(card, args.show_full)))
                return 0
            time.sleep(reader.profile.poll_interval_s / 2)
    print(f"{args.wait:g} 秒内未检测到证件（no_card）")
    return 1


def simulator(link: str | None):
    from drivers.card_reader.simulator import SAMPLE_CARDS, CardReaderSimulator

    class DemoReader(CardReaderSimulator):
        """Lays the invented resident card on the reader again a moment after each read."""

        def tick(self) -> list[str]:
            if self._read_done:
                self.lift()
                self.present(SAMPLE_CARDS["resident"])
                return ["card read; the invented card is on the reader again"]
            return []

    sim = DemoReader(link).start()
    sim.present(SAMPLE_CARDS["resident"])
    return sim
