"""The offline-population estimate by age and geography (statsmodels)."""

from divide.estimate.age_curve import AgeCurve, fit_age_curve, load_age_table
from divide.estimate.offline import OfflineEstimate, estimate_offline

__all__ = ["AgeCurve", "OfflineEstimate", "estimate_offline", "fit_age_curve", "load_age_table"]
