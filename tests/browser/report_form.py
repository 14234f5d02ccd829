"""A parent filling in the report form in the browser, as the journeys do."""

from pathlib import Path


def report_form_fill(page, group: str, screenshots: list[Path]) -> None:
    """Everything a parent fills in, up to (not including) "Send report"."""
    page.get_by_label(group).check()
    page.get_by_label("Anger, swearing or offensive language").check()
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Describe what was posted").fill("Swearing at the class teacher.")
    page.get_by_label("Screenshots (optional)").set_input_files(screenshots)
    page.get_by_label("Your name").fill("Priya Patel")
    page.get_by_label("Parent", exact=True).check()
    page.get_by_label("Email address").fill("priya@example.org")
    page.get_by_label("I have read how my report will be kept confidential").check()
