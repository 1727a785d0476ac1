#!/usr/bin/env bash
# deps.sh — installs the Debian 12 packages newsidx needs, only those missing, with apt-get
# (through sudo when not root). Sourced or run by scripts/demo.sh, scripts/test.sh,
# scripts/fuzz.sh and bench/run.sh; extra package names may be given as arguments.
set -euo pipefail

NEWSIDX_PACKAGES=(
  build-essential cmake pkg-config   # compiler and build
  libsqlite3-dev sqlite3             # SQLite with FTS5, and its shell (extension test)
  libstemmer-dev                     # Snowball stemmers
  libjansson-dev                     # JSON Lines input and JSON output
  libyajl-dev                        # JSON Lines input, the common case, five times faster
  libxxhash-dev                      # content hashes for duplicate detection
  libxml2-dev                        # RSS and Atom feeds, and the HTML in them; OPML
  libmicrohttpd-dev                  # newsq serve: HTTP
  libcurl4-openssl-dev               # fetching URLs (newsidx URL..., --feeds)
  libcmocka-dev                      # unit tests
  python3                            # end-to-end tests parse JSON and scan text with it
  python3-stemmer                    # the e2e scan stems with Snowball, independently of newsq
  clang-format                       # style check (scripts/checksrc.sh)
  valgrind                           # e2e.valgrind: memcheck on a build without sanitizers
  scdoc                              # the man pages (docs/man/*.scd)
  chromium curl                      # e2e.serve_*: the pages in a headless browser, the API
)

# The fuzz build (scripts/fuzz.sh, run by scripts/test.sh): clang, and libFuzzer with the
# sanitizer runtimes (libclang-rt-dev pulls in Debian 12's libclang-rt-14-dev).
NEWSIDX_FUZZ_PACKAGES=(clang libclang-rt-dev)

newsidx_install_packages() {
  local missing=()
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  ((${#missing[@]})) || return 0
  echo "Installing: ${missing[*]}" >&2
  local sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || { echo "deps.sh: need root or sudo to install ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  newsidx_install_packages "${NEWSIDX_PACKAGES[@]}" "${NEWSIDX_FUZZ_PACKAGES[@]}" "$@"
fi
