#!/usr/bin/env bash
# npm run test:stress: the unit-test step exactly as CI runs it (tools/ci/unit-tests.sh),
# with a CPU burner per core in the background, as when CI shares the machine with other
# work. A test that fails here and passes on an idle machine is broken: it depends on
# timing. MLRUN_STRESS_ROUNDS (default 1) repeats the run; MLRUN_STRESS_BURNERS (default:
# one per core) sets how many busy loops compete for the CPU.
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=${MLRUN_STRESS_ROUNDS:-1}
burners=${MLRUN_STRESS_BURNERS:-$(nproc)}
pids=()
stop_burners() { [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true; }
trap stop_burners EXIT
for _ in $(seq 1 "$burners"); do
  node -e 'for (;;) Math.sqrt(Math.random())' &
  pids+=($!)
done
echo "stress: $burners CPU burners on $(nproc) cores, $rounds round(s)"

failed=0
for round in $(seq 1 "$rounds"); do
  printf '\n== stress round %s of %s\n' "$round" "$rounds"
  start=$(date +%s)
  if tools/ci/unit-tests.sh "$@"; then
    echo "stress round $round passed in $(($(date +%s) - start)) s"
  else
    echo "stress round $round FAILED after $(($(date +%s) - start)) s"
    failed=$((failed + 1))
  fi
done
echo "stress: $failed of $rounds round(s) failed"
[ "$failed" -eq 0 ]
