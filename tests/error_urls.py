from django.contrib.auth.decorators import login_not_required
from django.urls import include, path


@login_not_required
def broken(request):
    raise RuntimeError("SECRET-INTERNAL-DETAIL")


urlpatterns = [path("broken/", broken), path("", include("brunswick.urls"))]
