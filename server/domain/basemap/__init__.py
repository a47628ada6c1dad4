"""The offline basemap: PMTiles archives read, cut along the walks, installed, and served per walk."""
