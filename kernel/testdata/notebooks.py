"""Runs every notebook given on the command line through nbclient with the
seq2go kernel (installed where JUPYTER_PATH points), fails on any cell
error, and writes each executed notebook and its HTML export (nbconvert's
HTMLExporter, what `jupyter nbconvert --to html` runs) into OUTDIR, where
kernel/jupyter_test.go checks the figures. Prints one line per notebook.

    notebooks.py OUTDIR NOTEBOOK...
"""
import os, sys, time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter


def main(outdir, paths):
    failed = 0
    exporter = HTMLExporter()
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
        name = os.path.splitext(os.path.basename(path))[0]
        nbformat.write(nb, os.path.join(outdir, name + ".ipynb"))
        html, _ = exporter.from_notebook_node(nb)
        with open(os.path.join(outdir, name + ".html"), "w", encoding="utf-8") as f:
            f.write(html)
        print("ok %s %.1fs" % (path, time.time() - t0), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
