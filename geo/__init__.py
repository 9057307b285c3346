"""Areas and maps: area registry, geometry simplification, classification, palettes, divisions."""
