"""Window LED displays: protocol modules (generic, onbon_bx), the driver and the simulator."""
from .driver import Display

__all__ = ["Display"]
