"""Typed keys of what the console keeps on the aiohttp app and on each request."""
from aiohttp import web

from .auth import LoginSession
from .console import Console

CONSOLE = web.AppKey("console", Console)
SESSION = web.RequestKey("session", LoginSession)
NEW_SESSION = web.RequestKey("new_session", LoginSession)   # set a cookie for it on the way out
