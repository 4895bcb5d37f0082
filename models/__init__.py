"""The shipped default model (default.joblib) and its metadata (default.json)."""
