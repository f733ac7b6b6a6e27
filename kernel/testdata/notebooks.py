"""Runs every notebook given on the command line through nbclient with the
seq2go kernel (installed where JUPYTER_PATH points) and fails on any cell
error. Prints one line per notebook with its time."""
import sys, time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main(paths):
    failed = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        t0 = time.time()
        client = NotebookClient(nb, kernel_name="seq2go", timeout=600, startup_timeout=60,
                                resources={"metadata": {"path": "."}})
        try:
            client.execute()
        except CellExecutionError as e:
            failed += 1
            print("FAIL %s: %s" % (path, str(e)[:2000]), flush=True)
            continue
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
        if errors:
            failed += 1
            print("FAIL %s: %d error outputs: %s" % (path, len(errors), errors[0]), flush=True)
            continue
        print("ok %s %.1fs" % (path, time.time() - t0), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
