from .home import HomePage
from .vocabulary import SdgGoal, SdgIndicator, SdgTarget, Theme

__all__ = ["HomePage", "SdgGoal", "SdgIndicator", "SdgTarget", "Theme"]
