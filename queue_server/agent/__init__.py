"""The display agent (`yichuang agent`): window displays, keypads, evaluator pads, voice."""
from .agent import Agent, AgentError

__all__ = ["Agent", "AgentError"]
