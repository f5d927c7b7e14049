"""Where events come from without a ggzy service to call record(): Django's
auth signals, Wagtail's page log, group membership changes by any path."""
