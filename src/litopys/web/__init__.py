"""Web pages of ``litopys serve`` (Jinja2 templates in ``templates/``, assets in ``static/``)."""
