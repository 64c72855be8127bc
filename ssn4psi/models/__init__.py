from .refresh import Refresh
from .vocabulary import SdgGoal, SdgIndicator, SdgTarget, Theme

__all__ = ["Refresh", "SdgGoal", "SdgIndicator", "SdgTarget", "Theme"]
