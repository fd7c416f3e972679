"""Flask extensions, created unbound and initialised in ``create_app``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from server.db import Model

db = SQLAlchemy(model_class=Model)
migrate = Migrate(compare_type=True, render_as_batch=True)
# No default limits: only the routes that need throttling (login) declare one.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Weak signal: JSON lists and the app's scripts shrink 3-5x with br/gzip.
compress = Compress()

if TYPE_CHECKING:  # mypy cannot see through Flask-SQLAlchemy's generated db.Model
    BaseModel = Model
else:
    BaseModel = db.Model
