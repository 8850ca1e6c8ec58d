"""Base of every device simulator: the device's side of a real pty pair.

The driver under test opens `sim.path` exactly as it would open /dev/ttyUSB0. `path` is a
stable symlink (like socat's link=) so that `unplug()` / `plug()` can make the device vanish
and come back under the same name, the way a USB serial adapter does.

Subclasses implement `on_data(data)`: bytes the driver sent, in whatever pieces they arrive;
they answer with `self.send(reply)`. Faults are plain attributes a test switches on; a
technician switches them with words (`command`, served by drivers.simcontrol): each method
`cmd_<word>(*args)` is one command and its docstring is its usage line.
"""
from __future__ import annotations

import inspect
import os
import pty
import select
import tempfile
import termios
import threading
import tty


class PtySimulator:
    def __init__(self, link: str | None = None):
        self._dir = None
        if link is None:
            self._dir = tempfile.TemporaryDirectory(prefix="yichuang-sim-")
            link = os.path.join(self._dir.name, "tty")
        self.path = link
        self._master = -1
        self._slave = -1
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._write_lock = threading.Lock()

    # -- life cycle ---------------------------------------------------------------------
    def start(self) -> "PtySimulator":
        self.plug()
        return self

    def stop(self) -> None:
        self.unplug()
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def __enter__(self) -> "PtySimulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def plug(self) -> None:
        """Create the pty and point `path` at it (the device appears)."""
        if self._master >= 0:
            return
        self._master, self._slave = pty.openpty()
        tty.setraw(self._slave)                 # no echo, no line discipline: a plain wire
        attrs = termios.tcgetattr(self._slave)
        attrs[3] &= ~termios.ECHO
        termios.tcsetattr(self._slave, termios.TCSANOW, attrs)
        tmp = self.path + ".new"
        if os.path.lexists(tmp):
            os.unlink(tmp)
        os.symlink(os.ttyname(self._slave), tmp)
        os.replace(tmp, self.path)
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name=type(self).__name__, daemon=True)
        self._thread.start()

    def unplug(self) -> None:
        """Remove the device: the link disappears and the open port stops working."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        if os.path.lexists(self.path):
            os.unlink(self.path)
        for fd in (self._master, self._slave):
            if fd >= 0:
                os.close(fd)
        self._master = self._slave = -1

    # -- wire -----------------------------------------------------------------------------
    def _serve(self) -> None:
        master = self._master
        while not self._stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:
                continue    # nobody has the slave open right now
            if data:
                self.on_data(data)

    def send(self, data: bytes) -> None:
        """Bytes from the device to the driver (written in full, in a pty-sized loop)."""
        with self._write_lock:
            view = memoryview(data)
            while view and self._master >= 0:
                _, writable, _ = select.select([], [self._master], [], 1.0)
                if not writable:
                    return    # the driver stopped reading: a real device would drop it too
                view = view[os.write(self._master, view):]

    def on_data(self, data: bytes) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- words from a technician ----------------------------------------------------------
    def command(self, words: list[str]) -> str:
        """Run `cmd_<first word>` with the other words; ValueError for what doesn't fit."""
        if not words or words[0] == "help":
            return "; ".join(inspect.getdoc(getattr(self, name)) for name in sorted(dir(self))
                             if name.startswith("cmd_"))
        method = getattr(self, "cmd_" + words[0], None)
        if method is None:
            raise ValueError(f"unknown command '{words[0]}' (try: help)")
        try:
            inspect.signature(method).bind(*words[1:])
        except TypeError:
            raise ValueError(f"usage: {inspect.getdoc(method)}") from None
        return method(*words[1:])

    def cmd_unplug(self) -> str:
        """unplug: the device disappears (its port path is removed)"""
        self.unplug()
        return "unplugged"

    def cmd_plug(self) -> str:
        """plug: the device comes back under the same path"""
        self.plug()
        return "plugged in"
