"""Installer pairing: the config-flow state machine and everything it stands on (Qt-free).

``flow`` (the steps), ``forms`` (what each step asks), ``discover`` and ``broker``/``tools`` (what is on
the home's broker), ``walktest``/``live`` (the live walk test), ``installer`` and ``visits`` (pairing and
later visits as dated assignments), ``profile_builder`` (a profile for an unknown device),
``credentials`` (broker passwords in the keyring), ``texts`` (nl/en words for every key).
"""
