"""The bundled policy packs (YAML data, shipped inside the installed package)."""
