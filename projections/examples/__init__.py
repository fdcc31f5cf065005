"""Example projections written the way users write their own, run with ``paradip replay module:Class``."""
