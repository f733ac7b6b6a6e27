#!/usr/bin/env bash
# Measures seq2go's training of the 20 per-task bAbI models — `seq2go train babi --all`, the
# default configuration (d = 20, 3 hops, position and temporal encoding, random noise, linear
# start of at most 20 epochs then EPOCHS epochs, batches of 32, SGD, clipping at 40) — against
# bench/memnet_torch.py, the same model and training in PyTorch, and prints both sides'
# questions/s (training questions over the whole run's wall time, validation and data loading
# included) and their ratio. seq2go runs on 2 cores (--workers 2; float64 but for the few matrix
# products, float32 as every `seq2go train`); PyTorch (float32) at
# its best of 1 and 2 threads, picked on a probe of three tasks for three epochs.
# Needs Debian's python3-torch (run with /usr/bin/python3). The full run (EPOCHS=100) takes
# minutes for seq2go and much longer for PyTorch; a smaller EPOCHS compares the same way.
#
#   bash bench/memnet.sh [EPOCHS]
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-100}
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/seq2go" ./cmd/seq2go
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; epochs after linear start: $epochs"

# PyTorch's best thread setting up to 2: questions/s over a probe's whole run.
best=1 bestq=0
for threads in 1 2; do
	q=$(OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads $py bench/memnet_torch.py --tasks 1,2,3 --epochs 3 --ls-epochs 1 --threads "$threads" |
		sed -n 's/^torch total .* questions=\([0-9]*\) .* wall_s=\([0-9.]*\) .*/\1 \2/p' | awk '{ printf "%.0f", $1 / $2 }')
	echo "probe: torch $threads thread(s): $q questions/s"
	if [ "$q" -gt "$bestq" ]; then best=$threads bestq=$q; fi
done

start=$(date +%s.%N)
ours=$(GOMAXPROCS=2 "$tmp/seq2go" train babi --all --epochs "$epochs" --workers 2 --out "$tmp/babi.safetensors" 2>&1 >"$tmp/ours.txt" |
	grep 'questions trained on' || true)
ours_wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
echo "seq2go: $ours"
tail -2 "$tmp/ours.txt"
ours_q=$(echo "$ours" | sed -n 's/.* \([0-9]*\) questions trained on.*/\1/p')

torch=$(OMP_NUM_THREADS=$best OPENBLAS_NUM_THREADS=$best $py bench/memnet_torch.py --epochs "$epochs" --threads "$best" | tee "$tmp/torch.txt" | tail -1)
echo "$torch"
torch_q=$(echo "$torch" | sed -n 's/.* questions=\([0-9]*\) .*/\1/p')
torch_wall=$(echo "$torch" | sed -n 's/.* wall_s=\([0-9.]*\) .*/\1/p')

printf '\n%-34s %12s %10s %14s\n' "20 per-task models" "questions" "wall (s)" "questions/s"
printf '%-34s %12d %10.1f %14.0f\n' "seq2go, 2 cores" "$ours_q" "$ours_wall" "$(awk -v q="$ours_q" -v w="$ours_wall" 'BEGIN { print q / w }')"
printf '%-34s %12d %10.1f %14.0f\n' "PyTorch, $best thread(s)" "$torch_q" "$torch_wall" "$(awk -v q="$torch_q" -v w="$torch_wall" 'BEGIN { print q / w }')"
awk -v a="$ours_q" -v b="$ours_wall" -v c="$torch_q" -v d="$torch_wall" 'BEGIN { printf "ratio %.2fx\n", (a / b) / (c / d) }'
