"""The self-contained HTML review page: audit matrix, answers, ENI plan, diagrams, changes."""
