"""A site's line to the county as a TCP relay on 127.0.0.1 that a test or `bench drain` can
cut and restore: cut() drops every open connection and refuses new ones (a 4G link gone),
restore() takes them again. Real sockets both ways; the bridge on the site's Mosquitto sees exactly what a
lost line shows it (a reset connection, then refused reconnections)."""
from __future__ import annotations

import socket
import threading

from queue_server.broker import free_port


class LineProxy:
    def __init__(self, target_port: int, host: str = "127.0.0.1"):
        self.target = (host, target_port)
        self.port = free_port()
        self._up = threading.Event()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._server = socket.create_server((host, self.port))
        self._server.settimeout(0.2)
        self._closing = False
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> "LineProxy":
        self._up.set()
        self._thread.start()
        return self

    def cut(self) -> None:
        self._up.clear()
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for a, b in pairs:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def restore(self) -> None:
        self._up.set()

    def stop(self) -> None:
        self._closing = True
        self.cut()
        self._thread.join(2)
        self._server.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self._server.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            if not self._up.is_set():
                client.close()            # the line is down: the bridge's connect fails
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=2)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.close()
                except OSError:
                    pass
