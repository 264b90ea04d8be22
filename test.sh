#!/usr/bin/env bash
# The one test command: installs what the tests need (on Debian, as root), builds once, runs every
# test project, and ends with exactly one line "N passed, N failed".
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
started=$(date +%s)
results="$root/artifacts/test-results"

log() { echo "test.sh: $*" >&2; }

# --- 1. System packages the real-client tests drive -------------------------------------------
apt_packages=(kcat librdkafka1 python3-kafka python3-confluent-kafka python3-snappy python3-lz4 python3-zstandard burrow zookeeper)
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)

missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    log "WARNING: missing packages (${missing[*]}) and no root apt-get to install them; real-client tests will fail."
  else
    log "installing ${missing[*]} ..."
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2; then
      log "WARNING: apt-get could not install ${missing[*]}; real-client tests that need them will fail."
    fi
  fi
fi

# --- 2. kafkajs and its codecs, into the folder the node tests run from -------------------------
node_dir="$root/tests/clients/node"
if [[ ! -f "$node_dir/node_modules/.package-lock.json" || "$node_dir/package.json" -nt "$node_dir/node_modules/.package-lock.json" ]]; then
  if command -v npm >/dev/null 2>&1; then
    log "installing npm packages into tests/clients/node ..."
    # --ignore-scripts: the lz4 package's optional native build is not needed (its JS fallback is used).
    (cd "$node_dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error) >&2 \
      || log "WARNING: npm install failed; kafkajs tests will fail."
  else
    log "WARNING: npm is missing; kafkajs tests will fail."
  fi
fi

# --- 3. Build once --------------------------------------------------------------------------------
log "building Gregor.slnx (Release) ..."
if ! dotnet build Gregor.slnx -c Release -nologo -v q -clp:ErrorsOnly >&2; then
  log "the build failed."
  echo "0 passed, 1 failed"
  exit 1
fi
# The solution build also produced artifacts/cli; mark it current for ./gregor.
touch "$root/artifacts/cli/.build-stamp"

# --- 4. Run each test project -------------------------------------------------------------------
rm -rf "$results"
mkdir -p "$results"
crashed=0
for project in tests/*/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  log "running $name ..."
  # --blame-hang-timeout kills a test host whose single test hangs; the outer timeout bounds the rest.
  timeout --kill-after=30s 20m dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --blame-hang-timeout 5m >&2
  status=$?
  if [[ ! -s "$results/$name.trx" ]]; then
    log "$name produced no results (exit code $status); counted as one failure."
    crashed=$((crashed + 1))
  elif ((status != 0)) && ! grep -q 'failed="[1-9]' "$results/$name.trx"; then
    log "$name exited with $status but reports no failed test (crash or abort); counted as one failure."
    crashed=$((crashed + 1))
  fi
done

# --- 5. One summary line --------------------------------------------------------------------------
passed=0
failed=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
failed=$((failed + crashed))

log "finished in $(($(date +%s) - started)) s; results in ${results#"$root"/}"
echo "$passed passed, $failed failed"
((failed == 0))
