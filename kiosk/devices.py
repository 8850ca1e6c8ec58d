"""The kiosk's devices: ticket printer, ID card reader, QR scanner, voice, camera (人证核验).
Each one is optional; a missing one reports `absent`. All I/O runs off the UI thread (printer and voice on their own
workers, the card reader on its poller), and results come back through callbacks.
"""
from __future__ import annotations

import datetime as dt
import threading
import logging
import os
from dataclasses import dataclass, field, replace
from typing import Callable

from drivers.health import DeviceError
from hall.config.model import HallConfig, Host

from .worker import Worker

log = logging.getLogger(__name__)

PRINTER_CHECK_S = 15.0       # how often the printer's paper is asked about between tickets


def printer_ticket(ticket: dict, hall: HallConfig):
    """The printer driver's Ticket from the server's ticket: only what the server issued."""
    from drivers.printer import Ticket

    category = hall.category(ticket.get("category", ""))
    wait = ticket.get("estimated_wait_s")
    issued = dt.datetime.fromtimestamp(float(ticket.get("issued_at") or 0) or
                                       dt.datetime.now().timestamp(), dt.timezone.utc)
    return Ticket(hall_name=hall.name, category_name=category.name if category else "",
                  number=ticket["number"], waiting_ahead=int(ticket.get("waiting_ahead", 0)),
                  issued_at=issued, url=ticket.get("url") or "",
                  estimated_wait_min=round(wait / 60) if wait is not None else None,
                  timezone=hall.timezone)


@dataclass
class KioskDevices:
    hall: HallConfig
    printer: object | None = None        # drivers.printer.TicketPrinter
    card_reader: object | None = None    # drivers.card_reader.CardReader
    voice: object | None = None          # drivers.voice announcer: .say(text)
    scanner: object | None = None        # drivers.scanner.BarcodeScanner (预约二维码)
    camera: object | None = None         # drivers.camera FrameSource (its own thread)
    document_camera: object | None = None  # 高拍仪: a FrameSource too (self-filing photos)
    a4: object | None = None             # drivers.printer.a4.LpPrinter: an A4 printer's CUPS queue
    simulators: list = field(default_factory=list)   # --simulate: stopped with the devices
    controls: list = field(default_factory=list)     # their `yichuang device sim` sockets

    def __post_init__(self):
        self._printer_jobs = Worker("kiosk-printer")
        self._voice_jobs = Worker("kiosk-voice")
        self._a4_jobs = Worker("kiosk-a4")      # CUPS may take seconds: never the ticket's turn
        self._poller = None
        self._on_health: Callable[[dict], None] = lambda health: None
        self._card_health = {"state": "ok"}
        self._scanner_health = {"state": "ok"}
        self._scan_poller = None
        self._timer = None

    # -- life cycle -----------------------------------------------------------------------
    def start(self, on_card: Callable, on_health: Callable[[dict], None],
              on_scan: Callable[[str], None] = lambda code: None) -> None:
        self._on_health = on_health
        if self.scanner is not None:
            from drivers.scanner import ScannerPoller

            self._scan_poller = ScannerPoller(self.scanner, on_scan,
                                              on_health=self._scanner_health_changed)
            self._scan_poller.start()
        if self.card_reader is not None:
            from drivers.card_reader import CardReaderPoller

            self._poller = CardReaderPoller(self.card_reader, on_card,
                                            on_health=self._card_health_changed)
            self._poller.start()
        for camera in (self.camera, self.document_camera):
            if camera is not None:
                camera.start()
        self._printer_jobs.submit(self._check_printer)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        for poller in (self._poller, self._scan_poller):
            if poller is not None:
                poller.stop()
        for camera in (self.camera, self.document_camera):
            if camera is not None:
                camera.stop()
        for worker in (self._printer_jobs, self._voice_jobs, self._a4_jobs):
            worker.stop()
        for device in (self.printer, self.card_reader, self.scanner):
            if device is not None:
                device.close()
        for sim in self.controls + self.simulators:
            sim.stop()

    # -- health ---------------------------------------------------------------------------
    def health(self) -> dict:
        """What the hall bus `devices` topic says about this kiosk (no I/O: last known)."""
        absent = {"state": "absent"}
        out = {"printer": self._printer_health() if self.printer else absent,
               "card_reader": dict(self._card_health) if self.card_reader else absent}
        if self.voice is not None:
            out["voice"] = {"state": "ok"}
        if self.scanner is not None:
            out["scanner"] = dict(self._scanner_health)
        if self.camera is not None:
            out["camera"] = self.camera.get_status()
        if self.document_camera is not None:
            out["document_camera"] = self.document_camera.get_status()
        return out

    def _printer_health(self) -> dict:
        health = self.printer.health
        return health.as_dict() if health is not None else {"state": "ok"}

    def _card_health_changed(self, health) -> None:
        """The reader's health changed (trouble, or back to ok after a replug)."""
        self._card_health = health.as_dict() if health is not None else {"state": "ok"}
        self._on_health(self.health())

    def _scanner_health_changed(self, health) -> None:
        self._scanner_health = health.as_dict() if health is not None else {"state": "ok"}
        self._on_health(self.health())

    def _check_printer(self) -> None:
        """Printer worker: ask for the paper state now and then (a fault shows on home)."""
        if self.printer is None:
            self._on_health(self.health())
            return
        before = self._printer_health()
        try:
            self.printer.status()
        except DeviceError:
            pass
        if self._printer_health() != before or self._timer is None:
            self._on_health(self.health())
        self._timer = threading.Timer(PRINTER_CHECK_S,
                                      lambda: self._printer_jobs.submit(self._check_printer))
        self._timer.daemon = True
        self._timer.start()

    # -- jobs -----------------------------------------------------------------------------
    def print_ticket(self, ticket: dict, done: Callable[[dict, DeviceError | None, dict], None]):
        """Print on the printer worker; done(ticket, error or None, health) from there."""
        self._printer_jobs.submit(self._print, ticket, done)

    def _print(self, ticket: dict, done) -> None:
        error = None
        if self.printer is None:
            error = DeviceError("absent", "本机没有打印机", "absent")
        else:
            try:
                self.printer.print_ticket(printer_ticket(ticket, self.hall))
            except DeviceError as exc:
                error = exc
        done(ticket, error, self.health())

    def print_document(self, build: Callable[[int], list], done: Callable) -> None:
        """Print a slip laid out by `build(chars_per_line)` on the printer worker; done(error
        or None, health) from there."""
        self._printer_jobs.submit(self._print_document, build, done)

    def _print_document(self, build, done) -> None:
        error = None
        if self.printer is None:
            error = DeviceError("absent", "本机没有打印机", "absent")
        else:
            try:
                self.printer.print_document(build(self.printer.profile.chars_per_line))
            except DeviceError as exc:
                error = exc
        done(error, self.health())

    def print_a4(self, document, done: Callable[[DeviceError | None], None]) -> None:
        """An A4 document (drivers.printer.a4.A4Document) as a PDF to the kiosk's CUPS queue,
        on its own worker; done(error or None) from there."""
        self._a4_jobs.submit(self._print_a4, document, done)

    def _print_a4(self, document, done) -> None:
        from drivers.printer.a4 import a4_pdf

        error = None
        if self.a4 is None:
            error = DeviceError("absent", "本机没有A4打印机", "absent")
        else:
            try:
                self.a4.print_pdf(a4_pdf(document), title=document.title)
            except DeviceError as exc:
                error = exc
        done(error)

    def say(self, text: str) -> None:
        if self.voice is not None:
            self._voice_jobs.submit(self.voice.say, text)


def _settings(ref, default):
    """The device's typed profile, read and checked with the hall config; the driver's
    defaults when the host lists no such device."""
    return ref.settings if ref is not None and ref.settings is not None else default


def _serial_device(devices: KioskDevices, ref, simulate: bool, driver, profile, simulator,
                   link: str | None = None):
    """A serial driver on its configured port, or on a pty simulator when simulating (at
    `link` when given), which `yichuang device sim --port PATH ...` drives."""
    from drivers.simcontrol import ControlServer

    port = ref.port if ref is not None else ""
    if simulate:
        sim = simulator(link).start()
        devices.simulators.append(sim)
        port = sim.path
        try:
            devices.controls.append(ControlServer(sim).start())
        except OSError as exc:       # a socket path longer than Unix allows
            log.warning("simulator on %s has no control socket: %s", sim.path, exc)
    return driver(port, profile)


def open_devices(hall: HallConfig, host: Host, simulate: bool = False,
                 sim_dir: str = "") -> KioskDevices:
    """The host's devices as its config lists them; `simulate` puts pty simulators behind
    the real drivers instead of the configured ports."""
    refs = {ref.kind: ref for ref in host.devices}
    devices = KioskDevices(hall)
    if "printer" in refs or simulate:
        from drivers.printer import PrinterProfile, TicketPrinter
        from drivers.printer.simulator import PrinterSimulator

        devices.printer = _serial_device(devices, refs.get("printer"), simulate, TicketPrinter,
                                         _settings(refs.get("printer"), PrinterProfile()),
                                         PrinterSimulator, _link(sim_dir, host, "printer"))
    if "card_reader" in refs or simulate:
        from drivers.card_reader import CardReader, CardReaderProfile
        from drivers.card_reader.simulator import CardReaderSimulator

        profile = _settings(refs.get("card_reader"), CardReaderProfile())
        if simulate:      # the simulator's cards carry their photos in its own stand-in format
            profile = replace(profile, photo_library="simulator")
        devices.card_reader = _serial_device(devices, refs.get("card_reader"), simulate,
                                             CardReader, profile, CardReaderSimulator)
    if "scanner" in refs or simulate:
        from drivers.scanner import BarcodeScanner, ScannerProfile
        from drivers.scanner.simulator import ScannerSimulator

        devices.scanner = _serial_device(devices, refs.get("scanner"), simulate, BarcodeScanner,
                                         ScannerProfile(), ScannerSimulator)
    if "camera" in refs:
        from drivers.camera import CameraProfile, open_source

        ref = refs["camera"]
        devices.camera = open_source(ref.port, _settings(ref, CameraProfile()))
    if "document_camera" in refs:
        from drivers.camera import CameraProfile, open_source

        ref = refs["document_camera"]
        devices.document_camera = open_source(ref.port, _settings(ref, CameraProfile()))
    elif simulate:              # invented sample sheets under a simulated 高拍仪
        from drivers.camera.documents import DocumentCameraSimulator

        devices.document_camera = DocumentCameraSimulator()
    devices.voice = _voice(refs.get("voice"), simulate)
    if host.kiosk.a4_printer:            # receipts on A4 through CUPS (docs/applications.md)
        from drivers.printer.a4 import LpPrinter

        devices.a4 = LpPrinter(host.kiosk.a4_printer)
    return devices


def _link(sim_dir: str, host: Host, kind: str) -> str | None:
    """A simulated device's stable port path under sim_dir (the demo lists it), or None."""
    return os.path.join(sim_dir, f"{host.id}-{kind}") if sim_dir else None


class SpokenGuide:
    """Elderly-mode guidance read aloud with the voice driver's engine and output (a speaker,
    or WAV files when simulated). Runs on the kiosk's voice worker; a failure stays silent."""

    def __init__(self, engine, output):
        self.engine, self.output = engine, output

    def say(self, text: str) -> None:
        from drivers.voice.audio import to_wav

        try:
            pcm = self.engine.synth(text)
            self.output.play(to_wav([pcm]), pcm.seconds, lambda: None, "guide")
        except DeviceError as exc:
            log.info("spoken guidance skipped: %s", exc)


def _voice(ref, simulate: bool):
    """Spoken guidance through the host's voice profile (espeak-ng by default). Simulated,
    or with `output: wav`, it writes WAV files instead of playing them; None (silent) when
    espeak-ng is missing."""
    import shutil
    import tempfile

    from drivers.voice.output import AlsaOutput, WavOutput
    from drivers.voice.profile import VoiceProfile

    profile = ref.settings if ref is not None and ref.settings is not None else VoiceProfile()
    if shutil.which("espeak-ng") is None:
        log.warning("voice guidance off: espeak-ng is not installed")
        return None
    wav_dir = profile.wav_dir if profile.output == "wav" else ""
    if simulate and not wav_dir:
        wav_dir = tempfile.mkdtemp(prefix="yichuang-kiosk-voice-")
    output = WavOutput(wav_dir) if wav_dir else AlsaOutput(profile.alsa_device)
    return SpokenGuide(profile.make_engine(), output)
