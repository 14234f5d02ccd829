from django.utils.functional import SimpleLazyObject

from .models import SchoolSettings


def school(request):
    # Lazy, so pages that never mention the school make no query for it.
    return {"school": SimpleLazyObject(SchoolSettings.current)}
