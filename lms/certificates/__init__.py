"""Certificates: issued on completion, rendered by WeasyPrint in ten languages, verifiable."""
