"""OGC API – Features (Part 1) over the published walks: documents, query parameters, texts."""
