"""Safeboard: an information system for safeguarding children partnerships in England."""
