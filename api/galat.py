"""Errors as the API answers them: DRF's own, plus the services' ValidationError (400)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler

NON_FIELD = "non_field_errors"


def detail_dari(error: DjangoValidationError):
    """A service's ValidationError as DRF's detail: {field: [messages]} or [messages]."""
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD if field == "__all__" else field): pesan
            for field, pesan in error.message_dict.items()
        }
    return {NON_FIELD: error.messages}


def penangan_galat(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail_dari(exc))
    return exception_handler(exc, context)
