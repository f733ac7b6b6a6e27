#!/usr/bin/env bash
# Measures seq2go's tagger training (BenchmarkTrain in lib/tagger: the default
# `train tagger` network, float32 products, each batch shared among THREADS
# replicas) against the same network in PyTorch (bench/tagger_torch.py) at up to
# THREADS threads (default 2; PyTorch at its best setting up to THREADS), and
# prints the ratio; then seq2go's tagging speed on one core (BenchmarkTag).
# The machine's speed swings within minutes, so the two sides take turns: three
# rounds, each running ours and then the peer's; each figure is the median of its
# three rounds, and the ratio is the ratio of the medians.
# Needs Debian's python3-torch (run with /usr/bin/python3).
#
#   bash bench/tagger.sh [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/tagger.test" ./lib/tagger
$py - "$tmp/train.conllu" <<'PY'
import gzip, sys
open(sys.argv[1], "wb").write(gzip.open("lib/datasets/ud-english-ewt/en_ewt-ud-train.slim.conllu.gz").read())
PY

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, threads=$threads"
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ours() { (cd lib/tagger && GOMAXPROCS=$1 "$tmp/tagger.test" -test.run '^$' -test.bench "$2" -test.benchtime "$3" -test.cpu "$1") | grep '^Benchmark'; }
value() { echo "$1" | awk -v n="$2" -v u="$3" '$1 ~ "^Benchmark"n"(-[0-9]+)?$" { for (i = 2; i < NF; i++) if ($(i+1) == u) print $i }'; }
# torch: PyTorch's best words/s up to $threads threads (see bench/charrnn.sh for
# why the OMP settings are tried).
torch() {
	local best=0 r
	for setting in "1 ACTIVE" "$threads ACTIVE" "$threads PASSIVE"; do
		set -- $setting
		r=$(OMP_WAIT_POLICY=$2 OMP_NUM_THREADS=$1 $py bench/tagger_torch.py "$tmp/train.conllu" 60 "$1" |
			sed -n 's/.*: \([0-9]*\) words\/s/\1/p')
		echo "  torch: $r words/s with OMP_NUM_THREADS=$1 OMP_WAIT_POLICY=$2" >&2
		best=$(awk -v a="$best" -v b="$r" 'BEGIN { print (b > a) ? b : a }')
	done
	echo "$best"
}

o=(); p=()
for round in 1 2 3; do
	lines=$(ours "$threads" '^BenchmarkTrain$' 60x); echo "$lines"
	o+=("$(value "$lines" Train words/s)")
	p+=("$(torch)")
done
om=$(printf '%s\n' "${o[@]}" | median); pm=$(printf '%s\n' "${p[@]}" | median)
printf '\n%-40s %10s %10s %7s\n' "training (words/s)" "seq2go" "PyTorch" "ratio"
printf '%-40s %10.0f %10.0f %6.2fx\n' "tagger, batch 32, threads ≤ $threads" "$om" "$pm" "$(awk -v a="$om" -v b="$pm" 'BEGIN { print a / b }')"

t=(); for round in 1 2 3; do
	lines=$(ours 1 '^BenchmarkTag$' 3x); echo "$lines"
	t+=("$(value "$lines" Tag/float64 tokens/s)")
done
printf '\n%-40s %10.0f\n' "tagging EWT dev, one core (tokens/s)" "$(printf '%s\n' "${t[@]}" | median)"
