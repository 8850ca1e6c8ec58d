"""The kiosk's printer and card reader pulled out and plugged back in while the kiosk's device
layer runs: the hall bus `devices` topic says absent, then ok, with nothing restarted.

Real parts: embedded MQTT broker on a free port, the kiosk's KioskDevices with the real
drivers on pty simulators, a HallClient publishing what the kiosk session publishes
(KioskSession._health hands every health change to HallClient.publish_devices).
"""
from pathlib import Path

import pytest

import kiosk.devices
from bus_reading import devices_say, wait_until
from drivers.card_reader import CardReader, CardReaderProfile
from drivers.card_reader.simulator import SAMPLE_CARDS, CardReaderSimulator
from drivers.printer import TicketPrinter
from drivers.printer.simulator import PrinterSimulator
from kiosk.devices import KioskDevices
from queue_server.broker import EmbeddedBroker, free_port
from hall.config.hall import load_hall_config
from hall.protocol import topics
from hall.protocol.client import HallClient

HALL_YAML = Path(__file__).parent / "hall.yaml"


@pytest.fixture
def kiosk_on_bus(monkeypatch):
    monkeypatch.setattr(kiosk.devices, "PRINTER_CHECK_S", 0.2)   # the 15 s check, sped up
    config = load_hall_config(HALL_YAML)
    broker = EmbeddedBroker("127.0.0.1", free_port()).start()
    client = HallClient(config.id, "kiosk", "k1", broker.url)
    client.start()
    printer_sim, reader_sim = PrinterSimulator().start(), CardReaderSimulator().start()
    devices = KioskDevices(config, printer=TicketPrinter(printer_sim.path),
                           card_reader=CardReader(reader_sim.path, CardReaderProfile(
                               poll_interval_s=0.1, reply_timeout_s=0.2, read_timeout_s=0.4)))
    cards = []
    try:
        assert client.wait_connected(10)
        devices.start(on_card=cards.append, on_health=client.publish_devices)
        yield broker, topics.devices(config.id, "kiosk", "k1"), printer_sim, reader_sim, cards
    finally:
        devices.stop()
        for sim in (printer_sim, reader_sim):
            sim.stop()
        client.stop()
        broker.stop()


def test_printer_and_card_reader_unplugged_and_plugged_back(kiosk_on_bus):
    broker, topic, printer_sim, reader_sim, cards = kiosk_on_bus
    both = ("printer", "card_reader")
    assert devices_say(broker.url, topic, dict.fromkeys(both, "ok"))
    printer_sim.unplug()
    reader_sim.unplug()
    assert devices_say(broker.url, topic, dict.fromkeys(both, "absent"))
    printer_sim.plug()
    reader_sim.plug()
    assert devices_say(broker.url, topic, dict.fromkeys(both, "ok"))
    reader_sim.present(SAMPLE_CARDS["resident"])          # and the reader reads again
    assert devices_say(broker.url, topic, {"card_reader": "ok"})
    assert wait_until(lambda: [c.name for c in cards] == ["王测试"]), cards


def test_paper_out_is_reported_and_cleared(kiosk_on_bus):
    broker, topic, printer_sim, _reader, _cards = kiosk_on_bus
    printer_sim.paper = "out"
    assert devices_say(broker.url, topic, {"printer": "error"})
    printer_sim.paper = "near_end"
    assert devices_say(broker.url, topic, {"printer": "warning"})
    printer_sim.paper = "ok"
    assert devices_say(broker.url, topic, {"printer": "ok"})
