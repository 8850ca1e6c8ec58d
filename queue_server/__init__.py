"""yichuang queue server: the hall's state, its MQTT bus and its web console."""
__version__ = "0.1.0"
