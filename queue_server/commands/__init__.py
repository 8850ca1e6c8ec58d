"""Subcommands of `yichuang`, one module per group."""
