"""Xuncha 巡查: the field-inspection system for civilized-city campaigns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from server.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(ROOT / "instance"), static_folder=None)
    app.config.from_mapping(load_config(ROOT))
    app.config.from_mapping(config or {})
    configure_logging(app)
    configure_proxies(app)
    configure_extensions(app)
    configure_json(app)
    register_error_handlers(app)
    register_request_lifecycle(app)
    register_blueprints(app)
    register_cli(app)
    return app


def configure_logging(app: Flask) -> None:
    import logging

    if not app.debug and not app.testing:
        app.logger.setLevel(logging.INFO)


def configure_proxies(app: Flask) -> None:
    if hops := app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def configure_extensions(app: Flask) -> None:
    import server.models  # noqa: F401  (the whole schema, for Alembic)
    from server.extensions import compress, db, limiter, migrate
    from server.sqlite import configure_sqlite

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    limiter.init_app(app)
    compress.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
    from server.photos.storage import init_storage

    init_storage(app)


def configure_json(app: Flask) -> None:
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Chinese stays readable
    app.json.sort_keys = False  # type: ignore[attr-defined]


def register_error_handlers(app: Flask) -> None:
    from server.errors import register_error_handlers as register

    register(app)


def register_request_lifecycle(app: Flask) -> None:
    from server.auth.session import register_session_handling
    from server.transaction import register_transaction_handling

    register_session_handling(app)
    register_transaction_handling(app)


def register_blueprints(app: Flask) -> None:
    import importlib

    from server.api.views import bp as api_bp

    app.register_blueprint(api_bp)
    for package in (
        "auth",
        "orgs",
        "categories",
        "deadlines",
        "issues",
        "photos",
        "reports",
        "open311",
        "map",
        "notifications",
    ):
        views = importlib.import_module(f"server.{package}.views")  # its routes attach to the package's bp
        app.register_blueprint(views.bp)
    from server.webapp import register_webapp

    register_webapp(app)  # last: its catch-all route must not shadow the API


def register_cli(app: Flask) -> None:
    from server.cli import register_commands

    register_commands(app)
