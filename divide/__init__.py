"""divide: where, for whom and in what form offline support must accompany online public services.

Public API (notebooks and the CLI use only these names)::

    frame = divide.load_frame("07")            # one row per municipality, with provenance and join report
    estimate = divide.estimate_offline(frame)  # offline share, head-count, interval, age/geography split
"""

from divide.codes import PREFECTURES, normalize_code, normalize_name, normalize_pref, to_lg6
from divide.errors import DivideDataError, DivideError, DivideFetchError, DivideSpecError
from divide.estimate import OfflineEstimate, estimate_offline, fit_age_curve, load_age_table
from divide.fetch import fetch
from divide.frame import build_frame
from divide.joinreport import summarize as summarize_join_report
from divide.load import load_frame, load_layer
from divide.provenance import credit_lines
from divide.summary import describe

__version__ = "0.1.0"

__all__ = [
    "PREFECTURES", "DivideDataError", "DivideError", "DivideFetchError", "DivideSpecError", "OfflineEstimate",
    "build_frame", "credit_lines", "describe", "estimate_offline", "fetch", "fit_age_curve", "load_age_table",
    "load_frame", "load_layer", "normalize_code", "normalize_name", "normalize_pref", "summarize_join_report",
    "to_lg6",
]
