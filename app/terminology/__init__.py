"""Read-only code sets (ICD-10-CM, CVX) read from resources/terminology/, and the check
digits of identifiers people type (NPI); no Qt, no PHI."""
