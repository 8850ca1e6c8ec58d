import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "engine"))
sys.path.insert(0, str(TESTS / "service"))        # validate_strict of the contract test
from halls import clock, open_service, service  # noqa: E402,F401  (shared fixtures)
