"""Everything that is true without a screen: models, database, rules, validation."""
