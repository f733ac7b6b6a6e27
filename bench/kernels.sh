#!/usr/bin/env bash
# Measures seq2go's kernels against their peers in one run, at equal thread
# counts (1 and 2), and prints a table of ratios (ours / peer):
#   Dgemm n×n×n, n = 64…2048:  BenchmarkDgemm (lib/blas)  vs numpy's OpenBLAS dgemm and sgemm (GFLOPS)
#   char-LSTM H = 128/256/512: BenchmarkCharLSTM (lib/charrnn, the whole model: embedding, LSTM,
#                              softmax, Adam) vs bench/charlstm_torch.py (tokens/s); the LSTM layer
#                              alone (BenchmarkLSTM, lib/nn) is printed beside it.
# PyTorch at 2 threads is run twice, plain and with OMP_WAIT_POLICY=PASSIVE (its best setting on
# two cores, see issue 7), and the better one is the peer. Needs Debian's python3-numpy and
# python3-torch (/usr/bin/python3). The machine is shared: expect ±20 % between runs.
#
#   bash bench/kernels.sh [THREADS...]      (default: 1 2)
set -euo pipefail
cd "$(dirname "$0")/.."
py=/usr/bin/python3
threads_list=${*:-1 2}
sizes="64 128 256 512 1024 2048"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; go: $(go version | cut -d' ' -f3)"
go test -c -o /tmp/kernels_blas.test ./lib/blas
go test -c -o /tmp/kernels_nn.test ./lib/nn
go test -c -o /tmp/kernels_charrnn.test ./lib/charrnn

# metric OUTPUT NAME UNIT: the value before UNIT on the benchmark line whose name starts with NAME.
metric() { echo "$1" | awk -v n="$2" -v u="$3" 'index($1, n) == 1 { for (i = 2; i < NF; i++) if ($(i+1) == u) { print $i; exit } }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2fx", a / b }'; }

numpy_gemm() { # THREADS -> lines "n dgemm_GFLOPS sgemm_GFLOPS"
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=$1 OMP_NUM_THREADS=$1 $py - $sizes <<'PY'
import sys, time
import numpy as np
rng = np.random.default_rng(1)
for n in map(int, sys.argv[1:]):
    out = [n]
    for dt in (np.float64, np.float32):
        a, b = rng.standard_normal((n, n)).astype(dt), rng.standard_normal((n, n)).astype(dt)
        a @ b
        reps, best = max(3, int(2e9 / (2 * n ** 3))), 0.0
        for _ in range(3):  # best of 3 batches
            t = time.perf_counter()
            for _ in range(reps):
                a @ b
            best = max(best, 2 * n ** 3 * reps / (time.perf_counter() - t) / 1e9)
        out.append(f"{best:.1f}")
    print(*out)
PY
}

for t in $threads_list; do
	sfx=""; [ "$t" != 1 ] && sfx="-$t"
	blas=$(/tmp/kernels_blas.test -test.run '^$' -test.bench 'Dgemm/ours' -test.benchtime 300ms -test.cpu $t 2>&1)
	nn=$(cd lib/nn && /tmp/kernels_nn.test -test.run '^$' -test.bench 'LSTM' -test.benchtime 4x -test.cpu $t 2>&1)
	cl=$(cd lib/charrnn && /tmp/kernels_charrnn.test -test.run '^$' -test.bench 'CharLSTM/H=(128|256|512)$' -test.benchtime 4x -test.cpu $t 2>&1)
	np=$(numpy_gemm $t)

	printf '\n== threads=%s\n%-10s %10s %10s %10s %10s %10s\n' "$t" "dgemm n" "seq2go" "np dgemm" "ratio" "np sgemm" "ratio"
	for n in $sizes; do
		o=$(metric "$blas" "BenchmarkDgemm/ours/n=$n$sfx" GFLOPS)
		d=$(echo "$np" | awk -v n=$n '$1 == n { print $2 }')
		s=$(echo "$np" | awk -v n=$n '$1 == n { print $3 }')
		printf '%-10s %10s %10s %10s %10s %10s\n' "$n" "$o" "$d" "$(ratio "$o" "$d")" "$s" "$(ratio "$o" "$s")"
	done

	printf '%-10s %10s %10s %10s %10s\n' "LSTM H" "layer" "char-LSTM" "torch" "ratio"
	for h in 128 256 512; do
		l=$(metric "$nn" "BenchmarkLSTM/H=$h$sfx" tokens/s)
		o=$(metric "$cl" "BenchmarkCharLSTM/H=$h$sfx" tokens/s)
		tt=$(OMP_NUM_THREADS=$t $py bench/charlstm_torch.py $h 1 6 $t | sed -n 's/.*: \([0-9]*\) tokens\/s/\1/p')
		if [ "$t" != 1 ]; then
			tp=$(OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=$t $py bench/charlstm_torch.py $h 1 6 $t | sed -n 's/.*: \([0-9]*\) tokens\/s/\1/p')
			tt=$(( tp > tt ? tp : tt ))
		fi
		printf '%-10s %10.0f %10.0f %10s %10s\n' "$h" "$l" "$o" "$tt" "$(ratio "$o" "$tt")"
	done
done
