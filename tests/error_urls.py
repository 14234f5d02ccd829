from django.urls import include, path


def broken(request):
    raise RuntimeError("SECRET-INTERNAL-DETAIL")


urlpatterns = [path("broken/", broken), path("", include("brunswick.urls"))]
