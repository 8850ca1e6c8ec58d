"""The shared core of yichuang: what the server, the kiosk and the window-device agent agree on.

- `hall.config`: the hall config file, read with typed, range-checked getters (file and line
  in every mistake), and the device model profiles that drivers declare as data;
- `hall.protocol`: the hall bus contract (topics, JSON Schemas, the HallClient);
- `hall.words`: the words people read and hear, one source for each.

It imports drivers (to check device profiles) and nothing of the applications above it.
"""
__version__ = "0.1.0"
