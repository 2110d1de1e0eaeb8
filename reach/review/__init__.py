"""Design reviews: what changed between two snapshots, diagrams of paths and VPCs, a report to share."""
