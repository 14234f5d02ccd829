// Progressive enhancement only: every page works without JavaScript.
// Kept in a file rather than GOV.UK's inline snippet, so the Content-Security-Policy
// needs no 'unsafe-inline'. Module scripts only run in browsers GOV.UK Frontend supports.
import { initAll } from "/static/vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// "Add these screenshots" and "Remove" redirect back to the form at #screenshots: move
// focus there too, so keyboard and screen reader users carry on where they were.
const returnPoint = location.hash && document.getElementById(location.hash.slice(1));
if (returnPoint && returnPoint.classList.contains("bp-return-point")) {
  returnPoint.focus();
}
