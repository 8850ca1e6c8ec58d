"""A real CUPS scheduler for tests: Debian's cupsd on a free port of 127.0.0.1 with its own
configuration, spool and state in a temporary directory, and one A4 queue whose device is a
file (FileDevice Yes): what is printed lands in that file after CUPS's own pdftopdf filter.
The system's CUPS, if any, is not touched."""
from __future__ import annotations

import getpass
import os
import shutil
import socket
import tempfile
import subprocess
import time
from pathlib import Path

PPD = """*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "YCA4PDF.PPD"
*Manufacturer: "yichuang"
*Product: "(A4 PDF)"
*ModelName: "yichuang test A4 PDF"
*ShortNickName: "yichuang test A4 PDF"
*NickName: "yichuang test A4 PDF"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: False
*DefaultColorSpace: Gray
*FileSystem: False
*Throughput: "1"
*cupsFilter2: "application/pdf application/vnd.cups-pdf 0 pdftopdf"
*OpenUI *PageSize/Media Size: PickOne
*OrderDependency: 10 AnySetup *PageSize
*DefaultPageSize: A4
*PageSize A4/A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageSize
*DefaultImageableArea: A4
*ImageableArea A4/A4: "0 0 595 842"
*DefaultPaperDimension: A4
*PaperDimension A4/A4: "595 842"
"""
TOOLS = ("cupsd", "lpadmin", "lp")
MISSING = "CUPS is not installed: apt-get install cups (the scheduler, its filters and lp)"


def missing() -> str:
    """Why a real CUPS cannot run here ("" when it can)."""
    gone = [t for t in TOOLS if shutil.which(t) is None and not Path(f"/usr/sbin/{t}").exists()]
    if gone or not Path("/usr/lib/cups/filter/pdftopdf").exists():
        return MISSING
    return ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CupsServer:
    def __init__(self, queue: str = "a4"):
        # Its own directory under /tmp that the filters' user can traverse (pytest's tmp_path
        # is private to the user running the test, and cupsd runs filters as another).
        self.root, self.queue = Path(tempfile.mkdtemp(prefix="yc-cups-")), queue
        self.root.chmod(0o755)
        self.port = _free_port()
        self.output = self.root / "out" / "printed.pdf"
        self.proc: subprocess.Popen | None = None

    @property
    def env(self) -> dict:
        return {**os.environ, "CUPS_SERVER": f"127.0.0.1:{self.port}"}

    def start(self) -> "CupsServer":
        try:
            return self._start()
        except BaseException:
            self.stop()             # nothing left running or on disk
            raise

    def _start(self) -> "CupsServer":
        root = self.root
        for part in ("spool/tmp", "cache", "state", "log", "out"):
            (root / part).mkdir(parents=True, exist_ok=True)
        # cupsd refuses to run its jobs as root: nobody then, else the user running the test.
        user, group = ("nobody", "nogroup") if os.geteuid() == 0 else (getpass.getuser(), None)
        (root / "cups-files.conf").write_text("\n".join([
            f"ServerRoot {root}", f"RequestRoot {root}/spool", f"TempDir {root}/spool/tmp",
            f"CacheDir {root}/cache", f"StateDir {root}/state", f"AccessLog {root}/log/access_log",
            f"ErrorLog {root}/log/error_log", f"PageLog {root}/log/page_log", "FileDevice Yes",
            f"User {user}", *([f"Group {group}"] if group else []), ""]))
        (root / "cupsd.conf").write_text(
            f"Listen 127.0.0.1:{self.port}\nBrowsing No\nWebInterface No\nLogLevel info\n"
            "DefaultAuthType None\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n")
        (root / "a4.ppd").write_text(PPD)
        self.proc = subprocess.Popen(["cupsd", "-f", "-c", str(root / "cupsd.conf"),
                                      "-s", str(root / "cups-files.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait_listening()
        # CUPS 2.4 opens a file device without creating it: the file must exist.
        self.output.touch()
        subprocess.run(["lpadmin", "-p", self.queue, "-E", "-v", f"file://{self.output}",
                        "-P", str(root / "a4.ppd")], env=self.env, check=True,
                       capture_output=True, timeout=20)
        return self

    def _wait_listening(self, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("cupsd exited: " + self.proc.stderr.read().decode(errors="replace"))
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("cupsd did not listen")

    def printed(self, timeout: float = 20) -> bytes:
        """The printed bytes, once the job has finished writing them."""
        deadline = time.monotonic() + timeout
        size = -1
        while time.monotonic() < deadline:
            data = self.output.read_bytes()
            if data and len(data) == size and data.rstrip().endswith(b"%%EOF"):
                return data
            size = len(data)
            time.sleep(0.2)
        raise AssertionError(f"nothing printed in {timeout} s: " + self.log())

    def log(self) -> str:
        path = self.root / "log" / "error_log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)
