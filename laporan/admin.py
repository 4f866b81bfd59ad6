# laporan has no models of its own; the poverty lines' admin is in klaster/admin.py.
