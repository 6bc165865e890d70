"""Analysis on top of the data: target progress and trends, coupling coordination, primacy and
regional disparity. Pure functions on pandas/numpy; never imports the store or the web."""
