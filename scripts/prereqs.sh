#!/usr/bin/env bash
# Makes sure the system programs the test suite needs are present: Postgres 15's initdb and
# pg_ctl (the storage tests run on a throwaway cluster) and Chromium (the dashboard's end-to-end
# tests). As root on Debian they are installed with apt-get; anywhere else a missing one stops
# the run with what to install. Tests are never skipped for want of them.
set -euo pipefail

have_postgres() {
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}
have_chromium() { command -v chromium >/dev/null 2>&1; }

missing=()
have_postgres || missing+=(postgresql)
have_chromium || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "prereqs: installing ${missing[*]} with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "prereqs: ${missing[*]} required (Postgres for the storage tests, Chromium for the dashboard tests): install them (Debian: apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
have_postgres || { echo "prereqs: postgresql was installed but initdb is still missing" >&2; exit 1; }
have_chromium || { echo "prereqs: chromium was installed but is still missing" >&2; exit 1; }
