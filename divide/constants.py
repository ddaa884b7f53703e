"""Constants with a meaning, defined once and imported everywhere (never re-typed as numbers).

Age bands are those of the Basic Resident Register table (住民基本台帳 年齢階級別人口): 21 five-year
bands, 0-4 … 95-99 and an open 100+ band. Positions into that list carry names so that code reads
``bands[:, ADULT_FROM_BAND:]`` instead of ``bands[:, 3:]``.
"""

from __future__ import annotations

from statistics import NormalDist

AGE_BANDS: tuple[str, ...] = (*(f"age_{a}_{a + 4}" for a in range(0, 100, 5)), "age_100plus")
N_BANDS = len(AGE_BANDS)  # 21
AGE_BAND_LOWER: dict[str, int] = {band: 5 * i for i, band in enumerate(AGE_BANDS)}
BAND_WIDTH = 5  # years per band
MAX_AGE = 104  # the open 100+ band is read as 100-104
ADULT_FROM_BAND = 3  # 15-19: the estimate is about residents aged 15 and over
OLD_FROM_BAND = 13  # 65-69: the census publishes the 65+ count
FROM_75_BAND = 15  # 75-79
BAND_COLUMNS: tuple[str, ...] = tuple(
    f"reg_{band}" for band in AGE_BANDS
)  # frame columns of the register

INTERVAL = 0.90  # every interval divide reports is a 90 % interval
Z90 = NormalDist().inv_cdf(
    0.5 + INTERVAL / 2
)  # 1.6449: half-width of a 90 % normal interval in standard errors

CRS = "EPSG:6668"  # JGD2011 geographic: how every layer is stored
JAPAN_LON = (
    122.0,
    154.5,
)  # bounds of Japan in longitude and latitude, to catch swapped or projected data
JAPAN_LAT = (20.0, 46.0)
DETOUR_FACTOR = 1.3  # road distance / geodesic distance, a common circuity ratio for rural Japan
COORDINATE_DECIMALS = (
    6  # 0.1 m: below the simplification of the boundaries, keeps the default small
)
