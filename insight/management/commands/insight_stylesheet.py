"""Write static/css/insight.css: pygal's stylesheet for the dashboard's charts. Run it
after changing insight.charts.STYLE or upgrading pygal (a test checks it is current)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from insight.charts import chart_stylesheet

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "insight.css"


class Command(BaseCommand):
    help = "Write the charts' stylesheet, static/css/insight.css, from pygal's."

    def handle(self, *args, **options):
        STYLESHEET.write_text(chart_stylesheet())
        self.stdout.write(f"Wrote {STYLESHEET.relative_to(settings.BASE_DIR)}")
