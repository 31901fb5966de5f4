"""The Patients section: finding, registering and keeping patients' records (issue #3)."""
