# The impact report keeps no tables of its own: the BPS poverty lines it reads moved down to
# klaster (klaster.models.GarisKemiskinan), where the programme's CIBEST figures read them too.
