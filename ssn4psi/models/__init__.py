from .clusters import IndexedClusterCopy
from .information import InformationPage, InformationPageRole
from .refresh import Refresh
from .vocabulary import SdgGoal, SdgIndicator, SdgTarget, Theme

__all__ = [
    "IndexedClusterCopy",
    "InformationPage",
    "InformationPageRole",
    "Refresh",
    "SdgGoal",
    "SdgIndicator",
    "SdgTarget",
    "Theme",
]
