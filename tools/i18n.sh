#!/usr/bin/env bash
# The interface's catalogues (README, "Translating the interface"):
#   tools/i18n.sh extract        collect every msgid into quiz/translations/messages.pot ($POT)
#   tools/i18n.sh update         extract, then merge the .pot into every language's .po
#   tools/i18n.sh init <lang>    start a new language (e.g. sv) from the .pot
#   tools/i18n.sh compile        write the .mo files (the app also does it when it starts)
#   tools/i18n.sh check          the catalogue tests: pseudo-locale pages, complete Finnish
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
BIN=${BIN:-.venv/bin}
POT=${POT:-quiz/translations/messages.pot}

extract() {
  "$BIN/pybabel" extract -F babel.cfg -o "$POT" \
    -k lazy_gettext -k _l -k command_gettext -k _c -k command_ngettext:1,2 -k _n:1,2 -k lazy_ngettext:1,2 -k ngettext:1,2 -k lazy_pgettext:1c,2 \
    --ignore-dirs=".* __pycache__" -c "Translators:" --add-location=file --sort-output --no-wrap \
    --project=Lateral --copyright-holder="Lateral's contributors" .
}

case "${1:-}" in
  extract) extract ;;
  update)
    extract
    "$BIN/pybabel" update -i "$POT" -d quiz/translations --no-wrap --ignore-obsolete ;;
  init)
    "$BIN/pybabel" init -i "$POT" -d quiz/translations -l "${2:?which language, e.g. sv}" --no-wrap ;;
  compile) "$BIN/pybabel" compile -d quiz/translations --statistics ;;
  check) "$BIN/python" -m pytest -q -p no:cacheprovider tests/test_i18n_catalogues.py tests/test_i18n_pages.py ;;
  *) sed -n 2,7p "$0"; exit 2 ;;
esac
