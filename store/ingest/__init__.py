"""Getting articles in: file formats, feeds, and the pipeline that writes store and index."""
