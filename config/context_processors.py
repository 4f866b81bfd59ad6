from klaster import akses


def peran(request):
    """Role flags for the navigation bar; evaluated lazily so anonymous pages pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_manajer": False, "is_fasilitator": False}
    return {"is_manajer": akses.is_manajer(user), "is_fasilitator": akses.is_fasilitator(user)}
