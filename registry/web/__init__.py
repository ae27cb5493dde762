"""Server-rendered pages for the public, mission staff, regulators and auditors."""
