#!/usr/bin/env bash
# Measures seq2go's char-RNN training against its peers at THREADS threads
# (default 1; PyTorch at its best setting up to THREADS) and prints the ratios:
#   min-char-rnn: BenchmarkMinCharRNN  vs  bench/minchar_numpy.py   (iterations/s)
#   char-LSTM:    BenchmarkCharLSTM    vs  bench/charlstm_torch.py  (tokens/s), ours
#                 with float32 products (blas.SetPrecision, as seq2go train runs; PyTorch
#                 trains in float32) and with float64 ones; each batch is shared out among
#                 THREADS model replicas (charrnn.Model.LossGrad)
# This kind of machine is shared and its speed swings by 10–40 % within minutes, so
# the two sides take turns over the same minutes: three rounds, each running ours
# and then the peer's. Every figure printed is the median of its three rounds, and
# a ratio is the ratio of the two medians.
# Needs Debian's python3-numpy and python3-torch (run with /usr/bin/python3).
#
#   bash bench/charrnn.sh [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-1}
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/charrnn.test" ./lib/charrnn
$py - "$tmp/input.txt" <<'PY'
import gzip, sys
open(sys.argv[1], "wb").write(gzip.open("lib/datasets/tinyshakespeare/input.txt.gz").read())
PY

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, threads=$threads"
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# ours PATTERN BENCHTIME: run our benchmarks once and print their lines.
ours() { (cd lib/charrnn && GOMAXPROCS=$threads "$tmp/charrnn.test" -test.run '^$' -test.bench "$1" -test.benchtime "$2") | grep '^Benchmark'; }
# value LINES NAME UNIT: the figure before UNIT on the line of benchmark NAME.
value() { echo "$1" | awk -v n="$2" -v u="$3" '$1 ~ "^Benchmark"n"(-[0-9]+)?$" { for (i = 2; i < NF; i++) if ($(i+1) == u) print $i }'; }
# torch H: PyTorch's best tokens/s up to $threads threads. Debian's build with a
# plain set_num_threads(2) spins two thread pools against each other, so also try
# one thread, OMP_WAIT_POLICY=PASSIVE, and one torch thread over $threads OpenBLAS
# threads, and keep the fastest.
torch() {
	local best=0 r
	for setting in "1 ACTIVE 1" "$threads ACTIVE $threads" "$threads PASSIVE $threads" "1 PASSIVE $threads"; do
		set -- $setting
		r=$(OMP_WAIT_POLICY=$2 OMP_NUM_THREADS=$1 OPENBLAS_NUM_THREADS=$3 $py bench/charlstm_torch.py "$H" 1 10 "$1" |
			sed -n 's/.*: \([0-9]*\) tokens\/s/\1/p')
		echo "  torch H=$H: $r tokens/s with OMP_NUM_THREADS=$1 OMP_WAIT_POLICY=$2 OPENBLAS_NUM_THREADS=$3" >&2
		best=$(awk -v a="$best" -v b="$r" 'BEGIN { print (b > a) ? b : a }')
	done
	echo "$best"
}

rows=()
# row NAME OURS PEER: a line of the table, OURS and PEER lists of the rounds' figures.
row() {
	local o p
	o=$(echo "$2" | tr ' ' '\n' | median)
	p=$(echo "$3" | tr ' ' '\n' | median)
	rows+=("$(printf '%-28s %12.0f %12.0f %7.2fx' "$1" "$o" "$p" "$(awk -v a="$o" -v b="$p" 'BEGIN { print a / b }')")")
}

o=(); p=()
for round in 1 2 3; do
	lines=$(ours 'MinCharRNN' 3000x); echo "$lines"
	o+=("$(value "$lines" MinCharRNN iterations/s)")
	np=$(OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads $py bench/minchar_numpy.py "$tmp/input.txt" 1000)
	echo "$np"
	p+=("$(echo "$np" | sed -n 's/.*: \([0-9.]*\) iterations\/s.*/\1/p')")
done
row "min-char-rnn (iter/s, numpy)" "${o[*]}" "${p[*]}"

for H in 128 256 512; do
	o32=(); o64=(); p=()
	for round in 1 2 3; do
		lines=$(ours "CharLSTM/float(32|64)/H=$H\$" 10x); echo "$lines"
		o32+=("$(value "$lines" "CharLSTM/float32/H=$H" tokens/s)")
		o64+=("$(value "$lines" "CharLSTM/float64/H=$H" tokens/s)")
		p+=("$(torch)")
	done
	row "char-LSTM H=$H float32" "${o32[*]}" "${p[*]}"
	row "char-LSTM H=$H float64" "${o64[*]}" "${p[*]}"
done

printf '\n%-28s %12s %12s %8s\n' "model" "seq2go" "peer" "ratio"
printf '%s\n' "${rows[@]}"
