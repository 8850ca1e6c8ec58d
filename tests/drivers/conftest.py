"""Fixtures of the window-bus tests: a simulated RS-485 bus on a real pty."""
import pytest

from drivers.bus.simulator import BusSimulator


@pytest.fixture
def sim_bus():
    sim = BusSimulator().start()
    yield sim
    sim.stop()
