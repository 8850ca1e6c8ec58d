"""Subcommands of `yichuang`, one module per group."""
from pathlib import Path

SHIPPED_HALL = Path(__file__).resolve().parents[2] / "firmware_configs" / "sites" / "county.yaml"


def add_config_argument(parser) -> None:
    """--config for a command that can run on the shipped county hall when none is named."""
    parser.add_argument("--config", type=Path, default=SHIPPED_HALL, metavar="FILE",
                        help="hall config (default: the shipped county hall)")
