"""makemessages that also reads `_l(...)`: two modules alias gettext_lazy as _l (next to
gettext as _), which xgettext's default keywords miss. `make messages` and the translation
check (scripts/periksa_terjemahan.py) run this command."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
