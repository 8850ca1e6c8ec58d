"""yichuang queue server: the hall's state, its MQTT bus and its web console."""
