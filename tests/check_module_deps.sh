#!/usr/bin/env bash
# Fails when a module includes a module it may not depend on (dependencies point one way: see
# DESIGN.md, "Modules"). Usage: check_module_deps.sh SRC_DIR
set -euo pipefail
src="${1:?usage: check_module_deps.sh SRC_DIR}"

# module -> the modules it may include (besides itself).
declare -A allowed=(
  [core]=""
  [config]="core"
  [store]="core"
  [notify]="core store"
  [auth]="core"
  [scheduling]="core"
  [report]="core"
  [sim]="core config scheduling report"
  [demo]="core config store auth scheduling"
  [workflow]="core config store auth scheduling report"
  [http]="core auth workflow store report scheduling config"
  [cli]="core config store auth demo workflow http report sim scheduling notify"
)

status=0
for dir in "$src"/*/; do
  module=$(basename "$dir")
  if [ -z "${allowed[$module]+set}" ]; then
    echo "module '$module' is not in the dependency table of $0"
    status=1
    continue
  fi
  while IFS= read -r line; do
    file=${line%%:*}
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$line")
    [ "$target" = "$module" ] && continue
    [ -d "$src/$target" ] || continue  # Not a module (a library header such as "date/date.h").
    if ! grep -qw -- "$target" <<<"${allowed[$module]}"; then
      echo "$file: module '$module' must not include '$target'"
      status=1
    fi
  done < <(grep -rnE '^#include "[a-z_]+/' "$dir" || true)
done
[ $status -eq 0 ] && echo "module dependencies point one way"
exit $status
