"""All of Lateral's SQL, one module per area. Plain functions taking the database first."""

from .accounts import *  # noqa: F403
from .common import now, one  # noqa: F401
from .sessions import *  # noqa: F403
from .sets import *  # noqa: F403
