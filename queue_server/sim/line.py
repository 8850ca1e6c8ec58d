"""A TCP relay on 127.0.0.1 in front of a local port, that a test or `bench drain` can cut and
mend: a lost network between a browser and the console, or a site's 4G line to its county's hub.

cut() drops every connection through it (both peers see the close at once) and refuses new
ones until mend(). Real sockets both ways: the peers see exactly what a lost line shows them.
"""
from __future__ import annotations

import socket
import threading


class TcpRelay:
    def __init__(self, target_port: int):
        self._target = ("127.0.0.1", target_port)
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._cut = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def cut(self) -> None:
        with self._lock:
            self._cut = True
            for s in self._open:
                _shutdown(s)      # wakes the relay threads, which close; the peers see the cut
            self._open.clear()

    def mend(self) -> None:
        self._cut = False

    def close(self) -> None:
        self.cut()
        self._server.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if self._cut:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self._target, timeout=5)
            except OSError:          # nothing listens there (a stopped broker): refused
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._open |= {client, upstream}
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        """One direction. Each socket is closed only by the thread reading it (closing it under
        another thread's recv would neither wake that thread nor tell the peer); the other
        direction is shut down, which does both."""
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        _shutdown(sink)
        with self._lock:
            self._open.discard(source)
        source.close()


def _shutdown(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass      # already shut or closed
