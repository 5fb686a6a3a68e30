"""The Folium map: palette, layers, offline assets, folium overrides and the one boundary to streamlit-folium.

Modules: `palette` (colours, radii, styles), `geojson` (GeoDataFrames to GeoJSON for the layers),
`popups` (tooltip/popup/legend HTML), `base` (the static map and its layers), `layers` (the
districts and events layers that change with the window), `assets` (offline Leaflet/jQuery),
`folium_overrides` (what is changed in folium/branca, and for which version), `boundary` (the only
module that talks to streamlit-folium). None of them imports streamlit except through `boundary`.
"""
