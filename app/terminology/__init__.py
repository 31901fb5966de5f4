"""Read-only code sets (ICD-10-CM, CVX) read from resources/terminology/; no Qt, no PHI."""
