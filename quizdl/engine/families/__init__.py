"""Generator families, one module per family group; each module defines FAMILIES."""
