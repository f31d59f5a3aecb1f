#!/usr/bin/env bash
# Checks the deployment files without Docker: every compose file, with and without each of
# its profiles, through `docker-compose config`, and the nginx configuration through
# `nginx -t` (Debian's nginx). Run from anywhere; CI runs it from .ci/run.
#
# nginx resolves the upstream host names (api-1, api-2) when it loads its configuration, and
# they exist only inside the compose network. So `nginx -t` runs on a copy whose upstream
# hosts are replaced by 127.0.0.1, wrapped in a minimal main configuration (the compose file
# mounts natter.conf into the nginx image's conf.d/, inside its http block). Everything else
# in the file is checked as it is.
set -euo pipefail

docker_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../docker" && pwd)"
# The compose files require JWT_SECRET; a dummy value for this check only.
export JWT_SECRET=ci-dummy-secret-not-used-for-anything-0123456789
export DATA_ENCRYPTION_KEY=0000000000000000000000000000000000000000000000000000000000000000

for file in "$docker_dir"/docker-compose*.yml; do
  profiles=$(docker-compose -f "$file" config --profiles 2>/dev/null || true)
  for profile in "" $profiles; do
    echo "docker-compose config: $(basename "$file")${profile:+ --profile $profile}"
    docker-compose -f "$file" ${profile:+--profile "$profile"} config -q
  done
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -E 's/^([[:space:]]*server[[:space:]]+)api-[0-9]+(:[0-9]+)/\1127.0.0.1\2/' \
  "$docker_dir/nginx/natter.conf" >"$work/natter.conf"
if grep -qE 'server[[:space:]]+api-' "$work/natter.conf"; then
  echo "check-deploy: an upstream host was not replaced in the nginx test copy" >&2
  exit 1
fi
cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
events {}
http {
    include $work/natter.conf;
}
CONF
echo "nginx -t: docker/nginx/natter.conf"
nginx -t -q -p "$work" -e "$work/error.log" -c "$work/nginx.conf"
