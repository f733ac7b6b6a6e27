#!/usr/bin/env bash
# Measures seq2go's kernels against their peers in one run, at equal thread
# counts (1 and 2), and prints tables of ratios (ours / peer):
#   Dgemm n×n×n, n = 64…2048:  BenchmarkDgemm (lib/blas) vs numpy's OpenBLAS dgemm and sgemm (GFLOPS)
#   Ddot, Daxpy, Dgemv, Dger:  BenchmarkVec (lib/blas) vs gonum's own (GFLOPS; one thread, as BLAS
#                              level 1 and 2 run)
# The char-LSTM against PyTorch is bench/charrnn.sh. Needs Debian's python3-numpy
# (/usr/bin/python3). The machine is shared: expect ±20 % between runs.
#
#   bash bench/kernels.sh [THREADS...]      (default: 1 2)
set -euo pipefail
cd "$(dirname "$0")/.."
py=/usr/bin/python3
threads_list=${*:-1 2}
sizes="64 128 256 512 1024 2048"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; go: $(go version | cut -d' ' -f3)"
go test -c -o /tmp/kernels_blas.test ./lib/blas

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
	np=$(numpy_gemm $t)

	printf '\n== threads=%s\n%-10s %10s %10s %10s %10s %10s\n' "$t" "dgemm n" "seq2go" "np dgemm" "ratio" "np sgemm" "ratio"
	for n in $sizes; do
		o=$(metric "$blas" "BenchmarkDgemm/ours/n=$n$sfx" GFLOPS)
		d=$(echo "$np" | awk -v n=$n '$1 == n { print $2 }')
		s=$(echo "$np" | awk -v n=$n '$1 == n { print $3 }')
		printf '%-10s %10s %10s %10s %10s %10s\n' "$n" "$o" "$d" "$(ratio "$o" "$d")" "$s" "$(ratio "$o" "$s")"
	done
done

vec=$(/tmp/kernels_blas.test -test.run '^$' -test.bench 'Vec' -test.benchtime 200ms -test.cpu 1 2>&1)
printf '\n== level 1 and 2, one thread\n%-20s %10s %10s %10s\n' "routine" "seq2go" "gonum" "ratio"
for n in 256 1024; do
	for op in Ddot Daxpy Dgemv DgemvT Dger; do
		o=$(metric "$vec" "BenchmarkVec/$op/n=$n/seq2go" GFLOPS)
		g=$(metric "$vec" "BenchmarkVec/$op/n=$n/gonum" GFLOPS)
		printf '%-20s %10s %10s %10s\n' "$op n=$n" "$o" "$g" "$(ratio "$o" "$g")"
	done
done
