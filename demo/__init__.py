"""Demo data for Klaster Mandiri: the Lebak programme, planned (rencana) and written (tulis)."""
