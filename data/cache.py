"""The shared cache (flask-caching): filesystem by default, Redis when REDIS_URL is set."""

from __future__ import annotations

from flask import Flask
from flask_caching import Cache

from app.settings import Settings

cache = Cache()


def cache_config(settings: Settings) -> dict:
    if settings.redis_url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": settings.redis_url,
            "CACHE_KEY_PREFIX": "mmmeter:",
            "CACHE_DEFAULT_TIMEOUT": 0,
        }
    return {
        "CACHE_TYPE": "FileSystemCache",
        "CACHE_DIR": str(settings.cache_dir),
        "CACHE_THRESHOLD": 5000,
        "CACHE_DEFAULT_TIMEOUT": 0,
    }


def init_cache(server: Flask, settings: Settings) -> None:
    cache.init_app(server, config=cache_config(settings))
