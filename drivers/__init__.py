"""Device drivers: one package per device kind, each split into protocol (pure bytes),
transport (serial, USB, network) and a simulator that speaks the real frames."""
