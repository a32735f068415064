"""All of Lateral's SQL, one module per area. Plain functions taking the database first."""

from .accounts import *  # noqa: F403
from .answers import *  # noqa: F403
from .common import now, one, table_names  # noqa: F401
from .imports import *  # noqa: F403
from .limits import *  # noqa: F403
from .live import *  # noqa: F403
from .marks import *  # noqa: F403
from .media import *  # noqa: F403
from .participants import *  # noqa: F403
from .sessions import *  # noqa: F403
from .sets import *  # noqa: F403
