#!/usr/bin/env bash
# Measures seq2go's attentional seq2seq (lib/seq2seq, cell "gru", in float64
# and with lib/quant's int8 decoder) against bench/seq2seq_torch.py, the same model in
# PyTorch, at 1 and 2 threads, and prints a table of ratios (ours / torch's best):
#   train              BenchmarkPeerTrain/float32    (lib/seq2seq)  vs  torch train       (sent/s)
#                      (float32 products, blas.SetPrecision, as seq2go train runs; PyTorch
#                      trains in float32 too)
#   train fp64         BenchmarkPeerTrain/float64: the same in float64 products
#   greedy fp32 b=1,32 BenchmarkPeerGreedy/float64/batch=N  vs  torch greedy fp32 (sent/s)
#   greedy int8 b=1,32 BenchmarkPeerGreedy/int8/batch=N     vs  torch greedy int8 (sent/s),
#                      torch's being quantize_dynamic(qint8) of its Linear, GRU and GRUCell
# Sizes: V=4000, E=128, H=256, L=15, training batch 64 (the defaults of both sides).
# Ours runs with GOMAXPROCS=T. PyTorch at 1 thread runs with one OpenMP and one
# OpenBLAS thread; at T > 1 it runs in several settings and the fastest, per
# measure, is the peer (Debian's build with a plain set_num_threads(2) spins
# two thread pools against each other, see bench/charrnn.sh and issue 7):
#   T       torch and OpenMP threads T, default wait policy
#   T/P     the same with OMP_WAIT_POLICY=PASSIVE
#   1/P     one torch thread, OMP_WAIT_POLICY=PASSIVE
#   1+blasT one torch thread, T OpenBLAS threads
# The Go benchmarks that are not there yet print "missing". Needs Debian's
# python3-torch (/usr/bin/python3). The machine is shared: expect ±20 % between runs.
#
#   bash bench/seq2seq.sh [THREADS...]      (default: 1 2; SECONDS_PER_MEASURE=2 per torch measure)
set -euo pipefail
cd "$(dirname "$0")/.."
py=/usr/bin/python3
threads_list=${*:-1 2}
secs=${SECONDS_PER_MEASURE:-2}
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; go: $(go version | cut -d' ' -f3)"

# The measures: label, Go package, Go benchmark, torch key.
measures=(
	"train|seq2seq|BenchmarkPeerTrain/float32|train"
	"train fp64|seq2seq|BenchmarkPeerTrain/float64|train"
	"greedy fp32 batch=1|seq2seq|BenchmarkPeerGreedy/float64/batch=1|greedy fp32 batch=1"
	"greedy fp32 batch=32|seq2seq|BenchmarkPeerGreedy/float64/batch=32|greedy fp32 batch=32"
	"greedy int8 batch=1|seq2seq|BenchmarkPeerGreedy/int8/batch=1|greedy int8 batch=1"
	"greedy int8 batch=32|seq2seq|BenchmarkPeerGreedy/int8/batch=32|greedy int8 batch=32"
	"int8 vs torch fp32, b=1|seq2seq|BenchmarkPeerGreedy/int8/batch=1|greedy fp32 batch=1"
	"int8 vs torch fp32, b=32|seq2seq|BenchmarkPeerGreedy/int8/batch=32|greedy fp32 batch=32"
)

# gometric OUTPUT NAME: the sent/s of benchmark NAME (its -GOMAXPROCS suffix dropped).
gometric() { echo "$1" | awk -v n="$2" '$1 ~ /^Benchmark/ { b = $1; sub(/-[0-9]+$/, "", b); if (b != n) next
	for (i = 2; i < NF; i++) if ($(i+1) == "sent/s") { print $i; exit } }'; }
# tmetric OUTPUT KEY: the sent/s of the torch line "torch KEY threads=… sent/s=X" (X may be n/a).
tmetric() { echo "$1" | awk -v k="$2" '$1 == "torch" { key = $2
	for (i = 3; i <= NF && $i !~ /^threads=/; i++) key = key " " $i
	if (key != k) next
	for (; i <= NF; i++) if ($i ~ /^sent\/s=/) { sub(/^sent\/s=/, "", $i); print $i; exit } }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a !~ /^[0-9.e+]+$/ || b !~ /^[0-9.e+]+$/ || b == 0) print "-"; else printf "%.2fx", a / b }'; }

for t in $threads_list; do
	printf '\n== threads=%s\n' "$t"
	declare -A goout=()
	for pkg in seq2seq; do
		if [ -d "lib/$pkg" ]; then
			goout[$pkg]=$(GOMAXPROCS=$t go test -run '^$' -bench 'BenchmarkPeer' -benchtime 10x -count 1 "./lib/$pkg" 2>&1 || true)
		else
			goout[$pkg]="no package lib/$pkg"
		fi
		echo "${goout[$pkg]}" | grep -E '^(Benchmark|FAIL|no package)|\.go:[0-9]+:' | head -20 | sed "s|^|go $pkg: |" || true
	done

	# torch: "label|environment|--threads" per setting
	if [ "$t" = 1 ]; then
		settings=("1|OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1|1")
	else
		settings=(
			"$t|OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t|$t"
			"$t/P|OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t OMP_WAIT_POLICY=PASSIVE|$t"
			"1/P|OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE|1"
			"1+blas$t|OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=$t|1"
		)
	fi
	declare -A tout=()
	for s in "${settings[@]}"; do
		IFS='|' read -r label envs nt <<<"$s"
		tout[$label]=$(env $envs $py bench/seq2seq_torch.py --threads "$nt" --seconds "$secs" 2>&1 || true)
		echo "${tout[$label]}" | grep -E '^torch|Error' | sed "s|^|torch [$label]: |" || true
	done

	printf '%-26s %10s %10s %-8s %8s\n' "measure (sent/s)" "seq2go" "torch" "setting" "ratio"
	for m in "${measures[@]}"; do
		IFS='|' read -r label pkg bench key <<<"$m"
		o=$(gometric "${goout[$pkg]}" "$bench")
		[ -n "$o" ] || o=missing
		best=n/a; bestset=-
		for s in "${settings[@]}"; do
			IFS='|' read -r sl _ _ <<<"$s"
			v=$(tmetric "${tout[$sl]}" "$key")
			[ -n "$v" ] || v=n/a
			if [ "$(awk -v a="$v" -v b="$best" 'BEGIN { print (a ~ /^[0-9.]+$/ && (b !~ /^[0-9.]+$/ || a + 0 > b + 0)) }')" = 1 ]; then
				best=$v; bestset=$sl
			fi
		done
		printf '%-26s %10s %10s %-8s %8s\n' "$label" "$o" "$best" "$bestset" "$(ratio "$o" "$best")"
	done
	unset goout tout
done
