"""Helpers shared by the tests: tiny hand-made frames, readers of rendered Leaflet pages, the browser harness."""
