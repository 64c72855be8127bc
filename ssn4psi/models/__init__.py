from .clusters import IndexedClusterCopy
from .refresh import Refresh
from .vocabulary import SdgGoal, SdgIndicator, SdgTarget, Theme

__all__ = ["IndexedClusterCopy", "Refresh", "SdgGoal", "SdgIndicator", "SdgTarget", "Theme"]
