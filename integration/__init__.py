"""b+s Connects integration toolkit."""
