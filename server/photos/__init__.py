from flask import Blueprint
from flask.sansio.blueprints import BlueprintSetupState

bp = Blueprint("photos", __name__, url_prefix="/api/v1", cli_group="photos")


@bp.record_once
def _configure(state: BlueprintSetupState) -> None:
    from server.photos.settings import apply_photo_settings

    apply_photo_settings(state.app.config)


from server.photos import commands  # noqa: F401  (`flask photos …`, registered on bp.cli)
