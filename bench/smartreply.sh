#!/usr/bin/env bash
# Measures the training speed of seq2go's LSTM reply scorer (lib/smartreply's
# BenchmarkPeerScorer: lib/seq2seq's encoder–decoder with an LSTM and general
# attention, vocabularies of 7,500, E=64, H=128, batches of 64 pairs of 20-token
# messages and 20-token replies, Adam, global-norm clip 5, float32 products as
# seq2go train runs, each batch shared among GOMAXPROCS replicas) against the same
# model in PyTorch (bench/seq2seq_torch.py --cell lstm --attention general, float32),
# at THREADS threads (default 2; PyTorch at its best setting up to THREADS), in
# pairs (sentences) per second. The machine is shared and its speed swings within
# minutes, so the two sides take turns: three rounds, each ours then the peer's; every
# figure is the median of its rounds and the ratio is the ratio of the medians.
# Needs Debian's python3-torch (/usr/bin/python3).
#
#   bash bench/smartreply.sh [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/smartreply.test" ./lib/smartreply
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, threads=$threads"
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
peer=(--cell lstm --attention general --vocab 7500 --embed 64 --hidden 128 --len 20 --src-len 20 --batch 64 --seconds 5 --train-only)
# torch: PyTorch's best sent/s up to $threads threads (one thread, $threads with
# active and passive waiting, one torch thread over $threads OpenBLAS threads).
torch() {
	local best=0 r
	for setting in "1 ACTIVE 1" "$threads ACTIVE $threads" "$threads PASSIVE $threads" "1 PASSIVE $threads"; do
		set -- $setting
		r=$(OMP_WAIT_POLICY=$2 OMP_NUM_THREADS=$1 OPENBLAS_NUM_THREADS=$3 $py bench/seq2seq_torch.py --threads "$1" "${peer[@]}" |
			sed -n 's/^torch train .*sent\/s=\([0-9.]*\)/\1/p')
		echo "  torch: $r sent/s with OMP_NUM_THREADS=$1 OMP_WAIT_POLICY=$2 OPENBLAS_NUM_THREADS=$3" >&2
		best=$(awk -v a="$best" -v b="$r" 'BEGIN { print (b > a) ? b : a }')
	done
	echo "$best"
}
o=(); p=()
for round in 1 2 3; do
	line=$(cd lib/smartreply && GOMAXPROCS=$threads "$tmp/smartreply.test" -test.run '^$' -test.bench 'PeerScorer$' -test.benchtime 20x | grep '^Benchmark')
	echo "$line"
	o+=("$(echo "$line" | awk '{ for (i = 2; i < NF; i++) if ($(i+1) == "sent/s") print $i }')")
	p+=("$(torch)")
done
om=$(printf '%s\n' "${o[@]}" | median); pm=$(printf '%s\n' "${p[@]}" | median)
printf '\n%-34s %10s %10s %8s\n' "reply scorer training (sent/s)" "seq2go" "PyTorch" "ratio"
printf '%-34s %10.0f %10.0f %7.2fx\n' "threads=$threads (rounds: ${o[*]} / ${p[*]})" "$om" "$pm" "$(awk -v a="$om" -v b="$pm" 'BEGIN { print a / b }')"
