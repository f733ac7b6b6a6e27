#!/usr/bin/env bash
# Measures data parallelism on this machine, in training tokens per second as
# `seq2go train` reports them (its last progress line), for the char-LSTM
# (H=256, 2 layers, batch 32×100) and the default translator (Tatoeba nl→en,
# batch 64), three ways:
#   1 worker    one process, GOMAXPROCS=1, --workers 1
#   2 workers   one process, GOMAXPROCS=2, --workers 2 (--parallel sync: each
#               batch shared by two replicas, one step)
#   2 ranks     mpirun -np 2, each rank GOMAXPROCS=1 --workers 1 (its half of
#               every batch, gradients all-reduced over shared memory)
# and prints the ratios to 1 worker. The three take turns over the same minutes,
# ROUNDS rounds (default 3), and each figure is the median of its rounds: on a
# shared machine the speed swings within minutes, and a ratio near 2 needs both
# cores free — say how loaded the machine was (uptime) next to the figures.
# Needs Open MPI (openmpi-bin libopenmpi-dev pkg-config).
#
#   bash bench/parallel.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go build -tags mpi -o "$tmp/seq2go" ./cmd/seq2go
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

common=(--val-every 0 --save-every 0 --out "$tmp/m.safetensors")
charrnn=(train charrnn --arch lstm --val 0.01 --sample-every 0 --steps 12 --log-every 12 "${common[@]}")
translate=(train translate --dev 0.01 --steps 12 --log-every 12 "${common[@]}")
# speed ARGS...: tokens/s of the run's last progress line.
speed() { "$@" 2>&1 >/dev/null | sed -n 's/.* \([0-9]*\) tok\/s.*/\1/p' | tail -1; }
one() { GOMAXPROCS=1 speed "$tmp/seq2go" "$@" --workers 1; }
two() { GOMAXPROCS=2 speed "$tmp/seq2go" "$@" --workers 2; }
ranks() { speed mpirun --allow-run-as-root --oversubscribe -np 2 -x GOMAXPROCS=1 "$tmp/seq2go" "$@" --workers 1; }
median() { tr ' ' '\n' | sort -g | awk 'NF { v[++n] = $1 } END { print v[int((n + 1) / 2)] }'; }

printf '%-12s %14s %14s %14s %9s %9s\n' model "1 worker" "2 workers" "2 ranks" "workers" "ranks"
for model in charrnn translate; do
	declare -n args=$model
	a=(); b=(); c=()
	for round in $(seq "$rounds"); do
		a+=("$(one "${args[@]}")"); b+=("$(two "${args[@]}")"); c+=("$(ranks "${args[@]}")")
		echo "  $model round $round: ${a[-1]} ${b[-1]} ${c[-1]} tok/s" >&2
	done
	o=$(echo "${a[*]}" | median); w=$(echo "${b[*]}" | median); r=$(echo "${c[*]}" | median)
	printf '%-12s %10s tok/s %8s tok/s %8s tok/s %8.2fx %8.2fx\n' "$model" "$o" "$w" "$r" \
		"$(awk -v a="$w" -v b="$o" 'BEGIN { print a / b }')" "$(awk -v a="$r" -v b="$o" 'BEGIN { print a / b }')"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
