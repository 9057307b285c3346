"""MMmeter: the open-data platform of the municipality of Emmen."""
