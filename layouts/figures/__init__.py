"""Pure figure functions: observations in, plotly figures, tables and text summaries out.

`trend` draws any indicator for any areas (bars with an average line, comparison lines,
measurements, bars per edition) with tables holding the same numbers; `summary` writes the
one-sentence summaries and the change against the week before. Nothing here reads the store
or knows a page, so theme pages reuse them for any indicator.
"""
