"""Configuration: the typed YAML reader shared by the server, the kiosk and the drivers."""
from .reader import REQUIRED, ConfigError, Problem, Problems, Section, load_yaml, load_yaml_text
from .hall import load_hall_config

__all__ = ["REQUIRED", "ConfigError", "Problem", "Problems", "Section", "load_yaml",
           "load_yaml_text", "load_hall_config"]
