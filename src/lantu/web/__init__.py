"""Lantu's web application (FastAPI, server-rendered Jinja2 pages, JSON API). See docs/web.md."""
