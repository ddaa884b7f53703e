"""The support stage: which form of in-person support where, for how many people, new sites, 2020 ->
2035.
"""
