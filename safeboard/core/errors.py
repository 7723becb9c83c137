class ServiceError(ValueError):
    """A business rule refused an operation. The message is written for the user; the web
    shows it on the page and the API answers 400 with it."""
