#!/usr/bin/env bash
# Measures seq2go's char-RNN training against its peers in one run, at
# THREADS threads (default 1; PyTorch at its best setting up to THREADS),
# and prints the ratios of the medians of three runs:
#   min-char-rnn: BenchmarkMinCharRNN  vs  bench/minchar_numpy.py   (iterations/s)
#   char-LSTM:    BenchmarkCharLSTM    vs  bench/charlstm_torch.py  (tokens/s), ours
#                 with float32 products (blas.SetPrecision, as seq2go train runs; PyTorch
#                 trains in float32) and with float64 ones; each batch is shared out among
#                 THREADS model replicas (charrnn.Model.LossGrad)
# Needs Debian's python3-numpy and python3-torch (run with /usr/bin/python3).
#
#   bash bench/charrnn.sh [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-1}
py=/usr/bin/python3
data=$(mktemp); trap 'rm -f "$data"' EXIT
go run ./cmd/seq2go help >/dev/null # build once, before timing anything
$py - "$data" <<'PY'
import gzip, sys
open(sys.argv[1], "wb").write(gzip.open("lib/datasets/tinyshakespeare/input.txt.gz").read())
PY

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, threads=$threads"
# Every figure, ours and the peers', is the median of three runs: this kind of
# machine is shared, and a single run of either side can be 30 % off.
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
go_out=$(GOMAXPROCS=$threads go test ./lib/charrnn -run '^$' -bench 'MinCharRNN' -benchtime 3000x -count 3
	GOMAXPROCS=$threads go test ./lib/charrnn -run '^$' -bench 'CharLSTM/.*/H=(128|256|512)$' -benchtime 10x -count 3)
echo "$go_out" | grep Benchmark
metric() { echo "$go_out" | awk -v n="$1" -v u="$2" '$1 ~ n"(-[0-9]+)?$" { for (i = 2; i < NF; i++) if ($(i+1) == u) print $i }' | median; }

np_out=$(for run in 1 2 3; do OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads $py bench/minchar_numpy.py "$data" 1000; done)
echo "$np_out"
np_rate=$(echo "$np_out" | sed -n 's/.*: \([0-9.]*\) iterations\/s.*/\1/p' | median)
ours=$(metric MinCharRNN iterations/s)
printf '\n%-28s %12s %12s %8s\n' "model" "seq2go" "peer" "ratio"
printf '%-28s %12.0f %12.0f %7.2fx\n' "min-char-rnn (iter/s, numpy)" "$ours" "$np_rate" "$(awk -v a="$ours" -v b="$np_rate" 'BEGIN{print a/b}')"
for h in 128 256 512; do
	# PyTorch at its best setting up to $threads threads: Debian's build with a
	# plain set_num_threads(2) spins two thread pools against each other, so
	# also try one thread, OMP_WAIT_POLICY=PASSIVE, and one torch thread over
	# $threads OpenBLAS threads, and keep the fastest.
	t=0
	for setting in "1 ACTIVE 1" "$threads ACTIVE $threads" "$threads PASSIVE $threads" "1 PASSIVE $threads"; do
		set -- $setting
		r=$(for run in 1 2 3; do
			OMP_WAIT_POLICY=$2 OMP_NUM_THREADS=$1 OPENBLAS_NUM_THREADS=$3 $py bench/charlstm_torch.py $h 1 10 $1 |
				sed -n 's/.*: \([0-9]*\) tokens\/s/\1/p'
		done | median)
		echo "torch H=$h: $r tokens/s (median) with OMP_NUM_THREADS=$1 OMP_WAIT_POLICY=$2 OPENBLAS_NUM_THREADS=$3"
		t=$(awk -v a="$t" -v b="$r" 'BEGIN{print (b > a) ? b : a}')
	done
	for p in float32 float64; do
		o=$(metric "CharLSTM/$p/H=$h" tokens/s)
		printf '%-28s %12.0f %12.0f %7.2fx\n' "char-LSTM H=$h $p" "$o" "$t" "$(awk -v a="$o" -v b="$t" 'BEGIN{print a/b}')"
	done
done
