#!/usr/bin/env bash
# Vendor GOV.UK Frontend and build the portal's stylesheet.
#
# Run by `make vendor`. Needs Node/npm and the npm registry; the output is
# committed, so running the site (`make run`) never needs Node.
#
# Writes (and replaces) only:
#   static/vendor/govuk-frontend/   VERSION, LICENSE, govuk-frontend.min.js,
#                                   assets/... (only files the CSS refers to)
#   static/css/portal.css           compiled from static/scss/portal.scss
#
# Everything is installed into a temporary directory that is removed on exit;
# nothing (node_modules, lockfiles) is left in the repository. Running it again
# with the same pins gives byte-identical output.
set -euo pipefail

# Pins. GOVUK_FRONTEND_VERSION: newest 5.x (`npm view govuk-frontend@5 version`).
GOVUK_FRONTEND_VERSION="5.14.0"
SASS_VERSION="1.108.2"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATIC="$REPO_ROOT/static"
VENDOR_DIR="$STATIC/vendor/govuk-frontend"
SCSS_SRC="$STATIC/scss/portal.scss"
CSS_OUT="$STATIC/css/portal.css"
STATIC_URL="/static/"

die() { echo "vendor-govuk-frontend: $*" >&2; exit 1; }

command -v npm >/dev/null || die "npm is needed (only to run this script)"
command -v node >/dev/null || die "node is needed (only to run this script)"
[[ -f "$SCSS_SRC" ]] || die "missing $SCSS_SRC"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/vendor-govuk-frontend.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# 1. Install the pinned packages into the temp dir. -----------------------
echo "Installing govuk-frontend@$GOVUK_FRONTEND_VERSION and sass@$SASS_VERSION into a temp dir"
printf '{ "name": "vendor-govuk-frontend", "private": true }\n' >"$WORK/package.json"
(
  cd "$WORK"
  npm install --no-audit --no-fund --no-package-lock --ignore-scripts \
    --omit=optional --loglevel=error \
    "govuk-frontend@$GOVUK_FRONTEND_VERSION" "sass@$SASS_VERSION" >/dev/null
)

PKG="$WORK/node_modules/govuk-frontend"
DIST="$PKG/dist/govuk"
SASS="$WORK/node_modules/.bin/sass"

pkg_field() { node -p "require(process.argv[1])[process.argv[2]]" "$PKG/package.json" "$1"; }
[[ "$(pkg_field version)" == "$GOVUK_FRONTEND_VERSION" ]] \
  || die "installed govuk-frontend is $(pkg_field version), expected $GOVUK_FRONTEND_VERSION"
[[ "$(pkg_field license)" == "MIT" ]] || die "govuk-frontend licence is no longer MIT: check it"
sass_version="$("$SASS" --version)"  # e.g. "1.108.2 compiled with dart2js 3.13.7"
[[ "${sass_version%% *}" == "$SASS_VERSION" ]] || die "installed sass is $sass_version, expected $SASS_VERSION"

# 2. Build everything into a staging dir first, so a failure leaves the ------
#    repository as it was.
OUT="$WORK/out"
mkdir -p "$OUT/vendor" "$OUT/css"

echo "Compiling static/scss/portal.scss"
# Deprecation warnings from GOV.UK Frontend's own Sass (and for @import, which
# it still needs on Sass 1.x) are noise here; errors still fail the build.
"$SASS" --no-source-map --style=compressed --quiet-deps --silence-deprecation=import \
  --load-path="$WORK/node_modules" "$SCSS_SRC" "$OUT/css/portal.css"

# Guard the rules the portal must keep (a school's service, not GOV.UK's).
if grep -q "GDS Transport" "$OUT/css/portal.css"; then
  die "compiled CSS mentions GDS Transport: check the font settings in portal.scss"
fi
if grep -q "sourceMappingURL" "$OUT/css/portal.css"; then
  die "compiled CSS refers to a source map"
fi

# JavaScript: the ES module bundle. Its map is not vendored, so drop the
# sourceMappingURL comment (a reference to a missing file would 404 in dev
# tools and break collectstatic with ManifestStaticFilesStorage).
sed -e '/^\/\/# sourceMappingURL=/d' -e 's|//# sourceMappingURL=[^[:space:]]*$||' \
  "$DIST/govuk-frontend.min.js" >"$OUT/vendor/govuk-frontend.min.js"
if grep -q "sourceMappingURL" "$OUT/vendor/govuk-frontend.min.js"; then
  die "could not strip sourceMappingURL from govuk-frontend.min.js"
fi
grep -q "const version=\"$GOVUK_FRONTEND_VERSION\"" "$OUT/vendor/govuk-frontend.min.js" \
  || die "govuk-frontend.min.js does not declare version $GOVUK_FRONTEND_VERSION"

printf '%s\n' "$GOVUK_FRONTEND_VERSION" >"$OUT/vendor/VERSION"

# The npm package ships no licence file (package.json says "MIT"); this is the
# text of LICENSE.txt in https://github.com/alphagov/govuk-frontend.
cat >"$OUT/vendor/LICENSE" <<'LICENCE'
The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LICENCE

# 3. Assets: copy only what the compiled CSS refers to under the vendored ----
#    assets path, then check that every url(...) resolves to a file.
ASSETS_URL="${STATIC_URL}vendor/govuk-frontend/assets/"
mapfile -t URLS < <(grep -o 'url([^)]*)' "$OUT/css/portal.css" \
  | sed -e 's/^url(//' -e 's/)$//' -e 's/^["'\'']//' -e 's/["'\'']$//' | sort -u)

for url in "${URLS[@]}"; do
  case "$url" in
    data:*) continue ;;
    "$ASSETS_URL"*)
      rel="${url#"$ASSETS_URL"}"
      rel="${rel%%[?#]*}"
      case "$rel" in
        fonts/*) die "CSS refers to GOV.UK font $rel (GDS Transport must not be used)" ;;
        *crest* | *crown* | *govuk-icon* | *govuk-opengraph* | favicon*)
          die "CSS refers to GOV.UK-only image $rel: map it away in portal.scss" ;;
      esac
      [[ -f "$DIST/assets/$rel" ]] || die "CSS refers to $url, not in the package"
      mkdir -p "$OUT/vendor/assets/$(dirname "$rel")"
      cp "$DIST/assets/$rel" "$OUT/vendor/assets/$rel"
      ;;
    "$STATIC_URL"*) ;; # one of the portal's own static files: checked below
    *) die "CSS refers to $url, outside $STATIC_URL" ;;
  esac
done

# 4. Replace the outputs in the repository. --------------------------------
rm -rf "$VENDOR_DIR"
mkdir -p "$(dirname "$VENDOR_DIR")" "$(dirname "$CSS_OUT")"
cp -R "$OUT/vendor" "$VENDOR_DIR"
cp "$OUT/css/portal.css" "$CSS_OUT"

missing=0
for url in "${URLS[@]}"; do
  [[ "$url" == data:* ]] && continue
  rel="${url#"$STATIC_URL"}"
  rel="${rel%%[?#]*}"
  if [[ -f "$STATIC/$rel" ]]; then
    echo "  url($url) -> static/$rel"
  else
    echo "  url($url) -> static/$rel MISSING" >&2
    missing=1
  fi
done
[[ "$missing" == 0 ]] || die "portal.css refers to files that do not exist"

echo "GOV.UK Frontend $GOVUK_FRONTEND_VERSION vendored; static/css/portal.css is $(wc -c <"$CSS_OUT") bytes"
