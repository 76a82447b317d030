"""The knowledge base: YAML content, its schema, the loader and the markdown importer."""
