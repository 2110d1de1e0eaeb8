"""Questions asked of a whole estate: audit, intent, ENI plans, snapshot diffs and summaries."""
