import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from halls import clock, open_service, service  # noqa: E402,F401  (shared fixtures)
