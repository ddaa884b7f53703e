"""The estimate stage: offline population by age and geography (statsmodels)."""
