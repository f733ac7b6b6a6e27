#!/usr/bin/env bash
# Trains word vectors with seq2go, fastText and gensim on the same corpus
# and settings and prints words/s and analogy accuracy side by side; see
# bench/word2vec_peers.py for what is measured and how.
#
#   bash bench/word2vec_peers.sh [--epochs N] [--threads N] [--dim N] ...
set -euo pipefail
cd "$(dirname "$0")/.."
exec /usr/bin/python3 bench/word2vec_peers.py "$@"
