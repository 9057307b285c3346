"""Theme pages from YAML files: models, migrations, validation, loading and rendering."""
