"""Run accord over article dumps on Apache Spark.

The same files as `accord extract INPUT... -o OUT`, byte for byte, from a
cluster:

1. The driver lists the input files and `accord inputs` orders and names
   them as `extract` would (source column, doc_id stem).
2. JSONL dumps are read as raw lines (split on "\\n" only; bytes, not
   decoded strings), so no article is split on "\\r" or changed by lossy
   UTF-8 decoding. A first pass counts the lines of each block of each file,
   so every block knows the line number it starts at. Single-article files
   (.txt, .md, .html) are read whole.
3. Each task pipes its blocks' lines (or files) through
   `accord extract - --format shard`, named with --stdin-name, --stdin-id and
   --first-line; a non-zero exit status fails the task, and so the job.
4. The shard lines are sorted back into input order by a partitioner built
   from the first pass, and streamed to `accord merge` on the driver, which
   makes doc_ids unique, flags near-duplicates and writes the three CSV files
   (and the manifest) atomically into the output directory.
5. With --aggregate, `accord aggregate` then writes relations.csv and
   entity_counts.csv beside them.

Submit it with the release binary (see the README's scale-out section):

    spark-submit --master local[2] spark/accord_job.py \\
        --accord target/release/accord --out output-spark corpus/
"""

import argparse
import json
import os
import posixpath
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

# Compressions (as `accord inputs` names them) that Hadoop reads line by line.
HADOOP_LINE_COMPRESSIONS = {"uncompressed", "gzip", "bzip2"}
STDERR_TAIL = 40


class JobError(Exception):
    """A problem the user must fix; printed without a traceback."""


class InputFile:
    """One file to read, named as `accord extract` names it (by `accord inputs`)."""

    def __init__(self, uri, source, doc_id, fmt, compression):
        self.uri = uri
        self.source = source
        self.doc_id = doc_id
        self.format = fmt
        self.compression = compression

    def key(self):
        return normalized_path(self.uri)


def normalized_path(uri):
    """The path part of a URI or path, for matching Spark's file names."""
    return urllib.parse.unquote(urllib.parse.urlparse(uri).path).rstrip("/")


def list_inputs(spark, accord, inputs):
    """The files of `inputs` in accord's order, named as accord names them.

    The driver walks each input (hidden entries left out) and hands the
    listing to `accord inputs`, which keeps the files whose name shows a
    known format, orders them and gives each its doc_id and source: the
    contract's naming rules live in the binary alone."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    listing = []
    for given in inputs:
        path = jvm.org.apache.hadoop.fs.Path(given)
        fs = path.getFileSystem(conf)
        if not fs.exists(path):
            raise JobError(f"{given}: no such file or directory")
        if not fs.getFileStatus(path).isDirectory():
            listing.append((given, None, fs.makeQualified(path).toString()))
            continue
        found = []
        walk(fs, path, [], found)
        listing += [(given, parts, uri) for parts, uri in found]
    request = "".join(
        json.dumps({"given": given, "path": parts}) + "\n" for given, parts, _ in listing
    )
    done = subprocess.run(
        [accord, "inputs"], input=request.encode(), capture_output=True, check=False
    )
    if done.returncode != 0:
        raise JobError("accord inputs failed: " + done.stderr.decode(errors="replace").strip())
    files = []
    for line in done.stdout.decode().splitlines():
        named = json.loads(line)
        uri = listing[named["index"]][2]
        files.append(
            InputFile(uri, named["source"], named["doc_id"], named["format"], named["compression"])
        )
    seen = set()
    for f in files:
        if f.key() in seen:
            raise JobError(f"{f.source}: given twice (the job reads each file once)")
        seen.add(f.key())
    return files


def walk(fs, path, prefix, out):
    for st in fs.listStatus(path):
        name = st.getPath().getName()
        if name.startswith("."):
            continue
        if st.isDirectory():
            walk(fs, st.getPath(), prefix + [name], out)
        else:
            out.append((prefix + [name], st.getPath().toString()))


def check_readable(files):
    for f in files:
        name = posixpath.basename(normalized_path(f.uri))
        if name.startswith(("_", ".")):
            raise JobError(
                f"{f.source}: Spark does not read files whose name begins with `_` or `.`; "
                "rename it or run `accord extract` on it"
            )
        if f.format == "warc":
            raise JobError(
                f"{f.source}: the Spark job reads JSONL dumps and single-article files; "
                "run `accord extract` on WARC files"
            )
        if f.format == "jsonl" and f.compression not in HADOOP_LINE_COMPRESSIONS:
            raise JobError(
                f"{f.source}: Spark cannot split {f.compression} files into lines here; "
                "decompress it or recompress it with gzip or bzip2"
            )


def accord_binary(name):
    """The accord binary shipped to this executor, made executable."""
    from pyspark import SparkFiles

    path = SparkFiles.get(name)
    if not os.access(path, os.X_OK):
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def run_piece(argv, chunks):
    """Run accord on `chunks` (bytes) fed to its standard input; yield its
    output lines; fail loudly on a non-zero exit status."""
    proc = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    errors = []
    tail = []

    def feed():
        try:
            for c in chunks:
                proc.stdin.write(c)
        except BaseException as e:  # noqa: BLE001 - reported below
            # Input that stops early must not look like its end: accord would
            # write what it had. Kill it before its input closes.
            errors.append(e)
            proc.kill()
        finally:
            try:
                proc.stdin.close()
            except OSError:
                pass

    def drain():
        for line in proc.stderr:
            sys.stderr.buffer.write(line)
            tail.append(line.decode("utf-8", "replace").rstrip())
            del tail[:-STDERR_TAIL]

    threads = [threading.Thread(target=feed), threading.Thread(target=drain)]
    for t in threads:
        t.start()
    for line in proc.stdout:
        yield line
    status = proc.wait()
    for t in threads:
        t.join()
    # accord's own failure first: a broken pipe to it follows from that.
    killed_by_us = errors and status < 0
    if status != 0 and not killed_by_us:
        raise RuntimeError(
            f"accord exited with status {status}: {' '.join(argv)}\n" + "\n".join(tail)
        )
    if errors:
        raise RuntimeError(f"feeding {argv[1]} failed: {errors[0]!r}") from errors[0]


def extract_argv(binary, opts, threads):
    argv = [binary, "extract", "-", "--format", "shard", "-q", "-j", str(threads)]
    if opts["gazetteers"]:
        from pyspark import SparkFiles

        argv += ["--gazetteers", SparkFiles.get(opts["gazetteers"])]
    argv += opts["extract_args"]
    return argv


def map_dump_rows(rows, files, first_lines, opts, threads):
    """A partition of dump lines: each run of lines from one block of one file
    goes through one accord; yields ((file, block, n), shard line)."""
    binary = accord_binary(opts["binary"])
    by_path = {f.key(): (i, f) for i, f in enumerate(files)}
    rows = iter(rows)
    pending = next(rows, None)
    while pending is not None:
        path, block = normalized_path(pending[1]), pending[2]
        index, f = by_path[path]

        def lines():
            nonlocal pending
            while True:
                yield bytes(pending[0]) + b"\n"
                pending = next(rows, None)
                if pending is None or (normalized_path(pending[1]), pending[2]) != (path, block):
                    return

        argv = extract_argv(binary, opts, threads) + [
            "--input-format",
            "jsonl",
            "--stdin-name",
            f.source,
            "--stdin-id",
            f.doc_id,
            "--first-line",
            str(first_lines[(index, block)]),
        ]
        for n, line in enumerate(run_piece(argv, lines())):
            yield (index, block, n), line


def map_whole_files(pairs, files, opts, threads):
    """Single-article files: one accord each, named as the file."""
    binary = accord_binary(opts["binary"])
    by_path = {f.key(): (i, f) for i, f in enumerate(files)}
    for uri, content in pairs:
        index, f = by_path[normalized_path(uri)]
        argv = extract_argv(binary, opts, threads) + [
            "--stdin-name",
            f.source,
            "--stdin-id",
            f.doc_id,
        ]
        for n, line in enumerate(run_piece(argv, [bytes(content)])):
            yield (index, 0, n), line


def plan_partitions(weights, count):
    """Cut the ordered segments into `count` contiguous runs of about equal
    weight: {segment: partition}."""
    total = sum(w for _, w in weights) or 1
    plan, done = {}, 0
    for seg, w in weights:
        plan[seg] = min(count - 1, done * count // total)
        done += w
    return plan


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="accord_job.py",
        description="Run `accord extract` over JSONL dumps and article files on Spark; "
        "write the same CSV files as one machine would.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files and directories (any Hadoop path)")
    p.add_argument("--out", "-o", required=True, help="output directory on the driver (created; its CSV files are replaced whole)")
    p.add_argument("--accord", default="target/release/accord", help="accord binary to ship to the executors")
    p.add_argument("--gazetteers", "-g", help="gazetteer directory (shipped to the executors)")
    p.add_argument("--partitions", type=int, help="partitions of the sort stage (default: Spark's default parallelism)")
    p.add_argument("--aggregate", action="store_true", help="also write relations.csv and entity_counts.csv")
    p.add_argument("--count-duplicates", action="store_true", help="with --aggregate: count near-duplicates as separate documents")
    p.add_argument("--duplicate-threshold", help="as for accord extract")
    p.add_argument("--excel", action="store_true", help="as for accord extract")
    for flag in ("--id-field", "--text-field", "--title-field", "--date-field", "--url-field", "--max-article-bytes"):
        p.add_argument(flag, help="as for accord extract")
    for flag in ("--strict-utf8", "--raw-csv"):
        p.add_argument(flag, action="store_true", help="as for accord extract")
    p.add_argument("--stats", help="write the run's figures as JSON to this file")
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    local_accord = os.path.abspath(args.accord)
    if not os.access(local_accord, os.X_OK):
        raise JobError(f"{args.accord}: no accord binary here (build it with `cargo build --release`)")
    started = time.time()
    spark = SparkSession.builder.appName("accord").getOrCreate()
    sc = spark.sparkContext
    sc.addFile(local_accord)
    opts = {"binary": os.path.basename(local_accord), "gazetteers": None, "extract_args": []}
    if args.gazetteers:
        gaz = os.path.abspath(args.gazetteers)
        if not os.path.isdir(gaz):
            raise JobError(f"{args.gazetteers}: not a directory")
        sc.addFile(gaz, recursive=True)
        opts["gazetteers"] = os.path.basename(gaz)
    for name in ("id_field", "text_field", "title_field", "date_field", "url_field", "max_article_bytes"):
        value = getattr(args, name)
        if value is not None:
            opts["extract_args"] += ["--" + name.replace("_", "-"), value]
    for name in ("strict_utf8", "raw_csv"):
        if getattr(args, name):
            opts["extract_args"].append("--" + name.replace("_", "-"))
    threads = int(sc.getConf().get("spark.task.cpus", "1"))

    files = list_inputs(spark, local_accord, args.inputs)
    if not files:
        raise JobError("no input files")
    check_readable(files)
    dumps = [f for f in files if f.format == "jsonl"]
    singles = [f for f in files if f.format != "jsonl"]

    stages = [("start-up and listing", time.time() - started)]
    parts = []
    weights = {}
    first_lines = {}
    if dumps:
        df = (
            spark.read.option("lineSep", "\n")
            .text([f.uri for f in dumps])
            .select(
                F.col("value").cast("binary").alias("line"),
                F.input_file_name().alias("file"),
                F.input_file_block_start().alias("block"),
            )
        )
        index = {f.key(): i for i, f in enumerate(files)}
        counted_at = time.time()
        counts = df.groupBy("file", "block").count().collect()
        stages.append(("line count", time.time() - counted_at))
        per_file = {}
        for row in counts:
            i = index[normalized_path(row["file"])]
            per_file.setdefault(i, []).append((row["block"], row["count"]))
        for i, blocks in per_file.items():
            line = 1
            for block, n in sorted(blocks):
                first_lines[(i, block)] = line
                weights[(i, block)] = n
                line += n
        parts.append(
            df.rdd.mapPartitions(
                lambda rows: map_dump_rows(rows, files, first_lines, opts, threads)
            )
        )
    if singles:
        for f in singles:
            weights[(files.index(f), 0)] = 1
        pairs = sc.binaryFiles(",".join(f.uri for f in singles))
        parts.append(pairs.mapPartitions(lambda it: map_whole_files(it, files, opts, threads)))

    count = args.partitions or sc.defaultParallelism
    plan = plan_partitions(sorted(weights.items()), max(1, count))
    shards = parts[0] if len(parts) == 1 else sc.union(parts)
    ordered = shards.repartitionAndSortWithinPartitions(
        numPartitions=max(1, count), partitionFunc=lambda k: plan[(k[0], k[1])]
    )

    merge = [local_accord, "merge", "-", "--out", args.out, "-q"]
    if args.gazetteers:
        merge += ["--gazetteers", args.gazetteers]
    if args.duplicate_threshold is not None:
        merge += ["--duplicate-threshold", args.duplicate_threshold]
    if args.excel:
        merge.append("--excel")
    articles = 0
    lines = (line for _, line in ordered.toLocalIterator(prefetchPartitions=True))

    def counted():
        nonlocal articles
        for line in lines:
            articles += 1
            yield line

    merged_at = time.time()
    for _ in run_piece(merge, counted()):
        pass
    stages.append(("extract, sort and merge", time.time() - merged_at))
    if args.aggregate:
        agg = [local_accord, "aggregate", args.out, "--out", args.out, "-q"]
        if args.count_duplicates:
            agg.append("--count-duplicates")
        if args.excel:
            agg.append("--excel")
        subprocess.run(agg, check=True)
    seconds = time.time() - started
    input_bytes = sum(file_size(spark, f.uri) for f in files)
    print(
        f"accord_job: {articles} articles from {len(files)} files, "
        f"{input_bytes / 1e6:.1f} MB in {seconds:.1f} s ({input_bytes / 1e6 / seconds:.2f} MB/s); "
        f"wrote {args.out}\naccord_job: "
        + ", ".join(f"{name} {secs:.1f} s" for name, secs in stages),
        file=sys.stderr,
    )
    if args.stats:
        import json

        with open(args.stats, "w") as fh:
            json.dump({"articles": articles, "files": len(files), "input_bytes": input_bytes, "seconds": seconds}, fh)
    spark.stop()


def file_size(spark, uri):
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    return fs.getFileStatus(path).getLen()


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except JobError as e:
        print(f"accord_job: {e}", file=sys.stderr)
        sys.exit(2)
