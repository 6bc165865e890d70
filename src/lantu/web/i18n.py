"""The web layer's view of the translations: everything lives in :mod:`lantu.i18n` (layer-neutral,
so reports and analysis translate without importing the web); re-exported here."""

from lantu.i18n import (  # noqa: F401
    DEFAULT_LANGUAGE,
    LANG_COOKIE,
    LANGUAGES,
    catalogue,
    pick_language,
    translate,
    translator,
    unit_label,
)
