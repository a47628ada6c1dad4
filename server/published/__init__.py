"""Published bytes: rendered once at publication, answered from memory with ETag, 304 and gzip."""
