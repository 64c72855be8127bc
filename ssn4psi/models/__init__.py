from .vocabulary import SdgGoal, SdgIndicator, SdgTarget, Theme

__all__ = ["SdgGoal", "SdgIndicator", "SdgTarget", "Theme"]
