"""Every model, imported in one place so Alembic and the app see the whole schema."""

from server.auth.models import User
from server.categories.models import Category
from server.deadlines.models import CalendarOverride
from server.issues.models import Issue, IssueEvent
from server.notifications.models import Notification, NotificationChannel, NotificationDelivery, NotificationMark
from server.orgs.models import OrgUnit
from server.photos.models import Photo

__all__ = [
    "CalendarOverride",
    "Category",
    "Issue",
    "IssueEvent",
    "Notification",
    "NotificationChannel",
    "NotificationDelivery",
    "NotificationMark",
    "OrgUnit",
    "Photo",
    "User",
]
