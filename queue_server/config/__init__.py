"""Configuration: the typed YAML reader shared by the server, the kiosk and the drivers."""
from .reader import REQUIRED, ConfigError, Problem, Problems, Section, load_yaml, load_yaml_text

__all__ = ["REQUIRED", "ConfigError", "Problem", "Problems", "Section", "load_yaml",
           "load_yaml_text"]
