#!/usr/bin/env bash
# Install the independent Kafka clients that TestIndependentClients
# (cmd/engine/e2e_interop_test.go) runs: kcat, and Debian's python3 with the
# confluent_kafka and avro modules. Debian and Ubuntu only, because it uses
# apt-get. It installs only what is missing, so a second run changes nothing
# and returns in well under a second.
#
# Usage: deploy/interop/install.sh [--check]
#   --check  report what is missing and exit 1 if anything is, without installing
set -euo pipefail

# Debian's interpreter: the python3 packages install there, and the python3
# first on PATH may be another installation without them.
python=/usr/bin/python3

say() { printf 'install.sh: %s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

check_only=false
case "${1:-}" in
  "") ;;
  --check) check_only=true ;;
  -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument: $1 (usage: $0 [--check])" ;;
esac

# missing_packages prints the Debian package of each missing tool, one a line.
missing_packages() {
  command -v kcat >/dev/null || echo kcat
  "$python" -c 'import confluent_kafka' 2>/dev/null || echo python3-confluent-kafka
  "$python" -c 'import avro.io, avro.schema' 2>/dev/null || echo python3-avro
}

mapfile -t missing < <(missing_packages)
if ((${#missing[@]} == 0)); then
  say "nothing to do: kcat, and $python with confluent_kafka and avro, are installed"
  exit 0
fi
if $check_only; then
  die "missing: ${missing[*]}; run $0 to install them"
fi

command -v apt-get >/dev/null ||
  die "apt-get not found: install these packages, or their equivalents for your system, by hand: ${missing[*]}"
sudo=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || die "installing ${missing[*]} needs root: run $0 as root"
  sudo=(sudo)
fi

say "installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq ||
  die "apt-get update failed (output above); check the network and /etc/apt/sources.list, then rerun $0"
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" ||
  die "apt-get install ${missing[*]} failed (output above); where apt-get has no kcat package, install kafkacat, its name before version 1.7"

mapfile -t still < <(missing_packages)
if ((${#still[@]} > 0)); then
  die "apt-get finished, but these are still missing: ${still[*]}; check that kcat is on PATH and that the python3 packages installed into $python"
fi
say "installed ${missing[*]}"
