"""The hall bus contract: topic names, JSON Schemas and a client kiosks and agents reuse."""
