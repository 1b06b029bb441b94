"""Settings: one TOML file, checked against one typed schema, plus secrets from the environment.

- :mod:`~intake.config.sections` and :mod:`~intake.config.connections` (the
  servers: ``[imap]``, ``[smtp]``, ``[database]``): one model per TOML section,
  where every key's type and default is written (once);
- :mod:`~intake.config.schema`: :class:`Settings`, the whole file, and the
  defaults one section takes from another (paths under ``desk.data_dir``);
- :mod:`~intake.config.fields`: the base of every section, the kinds of value
  (addresses, paths relative to the file, secrets named by ``*_env`` keys) and
  their checks;
- :mod:`~intake.config.crontab`: crontab lines as APScheduler triggers;
- :mod:`~intake.config.errors`: a failed check as one line naming ``section.key``;
- :mod:`~intake.config.loading`: ``load_settings`` and ``read_settings``.

Unknown keys and sections are errors, so a typo fails at start.  Without
``[imap]``/``[smtp]`` intake runs on the embedded default: a local Maildir
inbox and a local outbox folder under ``desk.data_dir``.  This package imports
nothing of intake above the pure core.
"""

from intake.config.connections import ImapSettings, SmtpSettings
from intake.config.loading import load_settings, read_settings
from intake.config.schema import Settings
from intake.config.sections import PUBLISH_FORMATS

__all__ = [
    "PUBLISH_FORMATS",
    "ImapSettings",
    "Settings",
    "SmtpSettings",
    "load_settings",
    "read_settings",
]
