"""The web console: staff caller, hall screen, mobile ticket page, manager pages and /api.

    handle = start_console(service, config, host="0.0.0.0", port=8080, broker="mqtt://...")
    handle.url      # http://127.0.0.1:8080
    handle.stop()

aiohttp runs on its own event loop in a daemon thread, so the caller (the `yichuang server`
command, a test) keeps its own thread.
"""
from __future__ import annotations

import asyncio
import threading

from aiohttp import web

from .app import create_app
from .console import Console
from .devices import DeviceWatcher, hall_devices

START_TIMEOUT_S = 10.0


class ConsoleError(RuntimeError):
    pass


class ConsoleHandle:
    def __init__(self, console: Console, loop: asyncio.AbstractEventLoop, runner: web.AppRunner,
                 thread: threading.Thread, url: str, watcher: DeviceWatcher | None):
        self.console, self._loop, self._runner, self._thread = console, loop, runner, thread
        self.url, self._watcher = url, watcher
        self.app = runner.app

    def stop(self, timeout: float = 10.0) -> None:
        """Close the pages' streams and the port; safe to call twice."""
        if self._loop.is_closed() or not self._thread.is_alive():
            return
        if self._watcher:
            self._watcher.stop()
        future = asyncio.run_coroutine_threadsafe(_shut_down(self._runner), self._loop)
        try:
            future.result(timeout)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout)


async def _shut_down(runner: web.AppRunner) -> None:
    """Close the site, then end every task still running on the console's loop (open event
    streams, their handlers): left pending, they would be destroyed with the loop."""
    await runner.cleanup()
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    if tasks:   # bounded: a task waiting on a worker thread ends only when that thread does
        await asyncio.wait(tasks, timeout=2.0)


def start_console(service, config, *, host: str, port: int, broker: str | None = None) -> ConsoleHandle:
    """Serve the console on host:port (port 0: a free one); ConsoleError if it cannot start."""
    console = Console(service, config)
    loop = asyncio.new_event_loop()
    ready: dict = {}
    started = threading.Event()

    async def serve() -> None:
        runner = web.AppRunner(create_app(console), shutdown_timeout=1.0, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        ready["runner"] = runner
        ready["port"] = runner.addresses[0][1]

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(serve())
        except BaseException as exc:   # reported to the caller of start_console
            ready["error"] = exc
            started.set()
            return
        started.set()
        loop.run_forever()
        loop.close()

    thread = threading.Thread(target=run, name="web-console", daemon=True)
    thread.start()
    if not started.wait(START_TIMEOUT_S):
        raise ConsoleError(f"the web console did not start on {host}:{port} within {START_TIMEOUT_S:.0f} s")
    if "error" in ready:
        raise ConsoleError(f"the web console could not start on {host}:{port}: {ready['error']}")
    watcher = None
    if broker:
        watcher = DeviceWatcher(config.id, broker, console.from_device_bus, hall_devices(config))
        watcher.start()
    shown = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host
    return ConsoleHandle(console, loop, ready["runner"], thread, f"http://{shown}:{ready['port']}", watcher)
