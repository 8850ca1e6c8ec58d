"""Remote control of a running `yichuang device simulate`: a Unix socket next to its port.

The simulate command listens on `<port path>.ctl`; another command (`yichuang device press`,
`yichuang device sim`) connects, sends one line of words and reads one line back, "ok ..."
or "error ...". A simulator understands words through its `command(words) -> str`, raising
ValueError with a plain message for words it does not know.
"""
from __future__ import annotations

import os
import socket
import socketserver
import threading

from .health import DeviceError

TIMEOUT_S = 5.0


def control_path(port: str) -> str:
    return port + ".ctl"


class ControlServer:
    def __init__(self, sim):
        self.sim = sim
        self.path = control_path(sim.path)
        if os.path.exists(self.path):
            os.unlink(self.path)       # left by a simulator that was killed
        control = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                control._handle(self)

        self._server = socketserver.ThreadingUnixStreamServer(self.path, Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="sim-control")

    def start(self) -> "ControlServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if os.path.exists(self.path):
            os.unlink(self.path)

    def _handle(self, handler: socketserver.StreamRequestHandler) -> None:
        handler.connection.settimeout(TIMEOUT_S)
        words = handler.rfile.readline(4096).decode(errors="replace").split()
        try:
            reply = "ok " + self.sim.command(words)
        except ValueError as exc:
            reply = f"error {exc}"
        handler.wfile.write(reply.replace("\n", " ").encode() + b"\n")


def send(port: str, words: list[str]) -> str:
    """Send words to the simulator behind `port`; its answer, or ValueError / DeviceError."""
    path = control_path(port)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(TIMEOUT_S)
            conn.connect(path)
            conn.sendall(" ".join(words).encode() + b"\n")
            reply = conn.makefile("rb").readline(4096).decode(errors="replace").strip()
    except OSError as exc:
        raise DeviceError("absent", f"没有运行中的模拟设备（{path}）", "absent") from exc
    status, _, text = reply.partition(" ")
    if status != "ok":
        raise ValueError(text or "模拟设备没有回答")
    return text
