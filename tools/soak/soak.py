#!/usr/bin/python3
"""Soak test of the published clinic-box binary (issue #14): >= 2,000 small phantom files dropped into the intake
(same-named copies, identical copies, corrupt files, 255-byte and non-UTF-8 names, a FIFO, symbolic links) while the
real service is killed with SIGKILL at random moments and restarted, and the reports disk (a small tmpfs) fills up
once. A checker that hashed every input before it was dropped then proves that nothing was lost or duplicated, that
every report is whole (JSON + HTML), that every ledger row matches a report and that no temporary file is left.
Prints ONE summary line starting with "soak:"; exits non-zero when a check fails.
    tools/soak/soak.py BINARY MODEL [--files N] [--kills K] [--keep DIR]
Standard library only."""
import argparse, collections, csv, errno, hashlib, json, os, random, shutil, signal, struct, subprocess, sys, tempfile, time, zlib

def png(w, h, seed):
    rnd = random.Random(seed)
    a, b, c = rnd.uniform(9, 30), rnd.uniform(9, 30), rnd.randrange(256)
    rows = b"".join(b"\x00" + bytes((int(127 + 90 * ((x * a + y * b + c) % 97) / 97.0) + (x ^ y ^ c)) & 0xFF for x in range(w)) for y in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b"")

def sha(data): return hashlib.sha256(data).hexdigest()

def display(raw):  # the service shows bytes that are not UTF-8 as \xNN
    return raw.decode("utf-8", errors="backslashreplace")

def build_inputs(total, unique, rnd):
    pool = [png(256, 256, 1000 + i) for i in range(unique)]
    corrupt = [p[: len(p) // 2] for p in pool[:20]] + [b"not an image %d\n" % i for i in range(10)] + [b""] * 2
    names = [b"study%03d.png" % i for i in range(total // 5)]          # each name ~5 times: same-named copies
    inputs = []  # (raw name bytes, content, decodable)
    for i in range(20):                                                  # 255-byte and long names
        inputs.append(((b"long-%02d-" % i) + b"L" * (251 - 9) + b".png", pool[i % unique], True))
    for i in range(20):                                                  # names that are not UTF-8 (Latin-1, junk bytes)
        inputs.append((b"r\xe9sultat-" + bytes([0x80 + i, 0xff]) + b"-%02d.png" % i, pool[(i * 7) % unique], True))
    for i, data in enumerate(corrupt):
        inputs.append((rnd.choice(names), data, False))
    while len(inputs) < total:
        inputs.append((rnd.choice(names), rnd.choice(pool), True))
    rnd.shuffle(inputs)
    return inputs, pool

def regular_files(folder):
    out = []
    for entry in os.scandir(os.fsencode(folder)):
        st = entry.stat(follow_symlinks=False)
        if (st.st_mode & 0o170000) == 0o100000: out.append(entry.path)
    return out

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary"); ap.add_argument("model")
    ap.add_argument("--files", type=int, default=2000); ap.add_argument("--unique", type=int, default=120)
    ap.add_argument("--kills", type=int, default=22); ap.add_argument("--keep")
    ap.add_argument("--trusted-keys", help="folder of trusted public keys (default: keys/trusted beside the model's folder)")
    ap.add_argument("--no-odd", action="store_true", help="no FIFO and no links (to compare with a binary that hangs on a FIFO)")
    args = ap.parse_args()
    started = time.monotonic()
    rnd = random.Random(14)
    root = args.keep or tempfile.mkdtemp(prefix="mlrfnet-soak-")
    os.makedirs(root, exist_ok=True)
    d = {k: os.path.join(root, k) for k in ("intake", "work", "archive", "quarantine", "staging", "rdisk")}
    for p in d.values(): os.makedirs(p, exist_ok=True)
    # The reports disk: a small tmpfs that is filled up once (root only).
    disk_note = "skipped: not root, cannot mount a tmpfs"
    mounted = False
    if os.geteuid() == 0:
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "soak-reports", d["rdisk"]], capture_output=True, text=True)
        if r.returncode == 0: mounted, disk_note = True, "pending"
        else: disk_note = "skipped: mount -t tmpfs failed (%s)" % r.stderr.strip()
    reports = os.path.join(d["rdisk"], "reports"); os.makedirs(reports, exist_ok=True)
    health = os.path.join(d["rdisk"], "health.json")
    log = open(os.path.join(root, "service.log"), "ab")

    inputs, pool = build_inputs(args.files, args.unique, rnd)
    expected = collections.Counter(sha(c) for _, c, _ in inputs)         # hashed before anything is dropped
    decodable = {sha(c) for _, c, ok in inputs if ok}
    outside = os.path.join(root, "outside.png")
    with open(outside, "wb") as f: f.write(pool[0])
    intake = os.fsencode(d["intake"])
    link_names = [] if args.no_odd else ["link-outside.png", "link-zero.png", "link-passwd.png"]
    if not args.no_odd:
        os.mkfifo(os.path.join(d["intake"], "pipe.png"))
        for name, target in zip(link_names, (outside, "/dev/zero", "/etc/passwd")):
            os.symlink(target, os.path.join(d["intake"], name))

    pending = collections.deque(inputs)
    staged = 0
    def feed(budget):
        """Drops up to budget inputs: written in a staging folder, then link(2)ed in (refuses a name still in the
        intake: a same-named copy waits until the service took the first)."""
        nonlocal staged
        for _ in range(min(budget, len(pending))):
            name, data, _ = pending.popleft()
            tmp = os.path.join(os.fsencode(d["staging"]), b"s%06d" % staged); staged += 1
            with open(tmp, "wb") as f: f.write(data)
            try:
                os.link(tmp, os.path.join(intake, name)); os.unlink(tmp)
            except FileExistsError:
                os.unlink(tmp); pending.append((name, data, _))

    cmd = [args.binary,
           "--Edge:IntakeFolder=" + d["intake"], "--Edge:WorkFolder=" + d["work"], "--Edge:ArchiveFolder=" + d["archive"],
           "--Edge:QuarantineFolder=" + d["quarantine"], "--Edge:ReportsFolder=" + reports, "--Edge:HealthFile=" + health,
           "--Edge:StableAge=00:00:00.2", "--Edge:UnwatchedStableAge=00:00:00.5", "--Edge:RescanInterval=00:00:01",
           "--Edge:PollInterval=00:00:00.1", "--Edge:HealthInterval=00:00:00.5", "--Edge:MinFreeDiskMegabytes=1",
           "--Edge:MaxHeatmaps=0", "--Edge:QueueCapacity=32", "--Inference:ModelPath=" + os.path.abspath(args.model),
           # The shipped manifests are signed by the demonstration key (models/keys/trusted beside the model's folder).
           "--Inference:TrustedKeysFolder=" + os.path.abspath(args.trusted_keys or
               os.path.join(os.path.dirname(os.path.abspath(args.model)), "keys", "trusted"))]
    live = []
    def start():
        live.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT))
        return live[-1]
    try:
        return run(args, rnd, root, d, mounted, disk_note, reports, inputs, expected, decodable, link_names, pending, feed, start, started)
    finally:
        for p in live:
            if p.poll() is None: p.kill(); p.wait()
        if mounted:
            try: os.unlink(os.path.join(d["rdisk"], "ballast"))
            except FileNotFoundError: pass
            subprocess.run(["umount", d["rdisk"]], capture_output=True)

def run(args, rnd, root, d, mounted, disk_note, reports, inputs, expected, decodable, link_names, pending, feed, start, started):
    kills = 0
    fill_at = args.kills // 3
    per_kill = max(1, len(pending) // max(1, args.kills - 2))
    while kills < args.kills:
        proc = start()
        feed(per_kill)
        if kills == fill_at and mounted:
            ballast = os.path.join(d["rdisk"], "ballast")
            fd = os.open(ballast, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                while True: os.write(fd, b"\0" * (1 << 16))
            except OSError as e:
                if e.errno != errno.ENOSPC: raise
            finally:
                os.close(fd)
            time.sleep(4)  # the service meets ENOSPC / the watermark while it runs
            os.unlink(ballast)
            disk_note = "filled once (ENOSPC for 4 s)"
        time.sleep(rnd.uniform(0.8, 3.5))
        if proc.poll() == 78:  # EdgeHost.ExitCodes.ModelRefused: nothing would ever be scored; say so at once
            raise SystemExit("soak: FAILED: the service refused its model (exit 78); see " + os.path.join(root, "service.log"))
        proc.send_signal(signal.SIGKILL); proc.wait(); kills += 1
    # Final run: feed what is left, let it drain, stop it cleanly.
    proc = start()
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        feed(200)
        busy = pending or regular_files(d["intake"]) or os.listdir(d["work"])
        if not busy: break
        time.sleep(1)
    time.sleep(1.5)
    proc.send_signal(signal.SIGTERM)
    try: proc.wait(timeout=30)
    except subprocess.TimeoutExpired: proc.kill(); proc.wait()
    if mounted: subprocess.run(["sync"])

    # ---- checks ----
    problems = []
    found = collections.Counter()
    counts = {}
    for key in ("archive", "quarantine", "intake", "work"):
        files = [p for p in regular_files(d[key]) if not p.endswith(b".error.json")]
        counts[key] = len(files)
        for p in files:
            with open(p, "rb") as f: found[sha(f.read())] += 1
    lost = sum((expected - found).values())
    duplicated = sum((found - expected).values())
    links = [n for n in link_names if os.path.islink(os.path.join(d["quarantine"], n))]
    if len(links) != len(link_names): problems.append("links not moved aside: %s" % sorted(set(link_names) - set(links)))
    ignored = sum(1 for e in os.scandir(d["intake"]) if not e.is_file(follow_symlinks=False) and not e.is_symlink())
    jsons = [n for n in os.listdir(reports) if n.endswith(".json")]
    htmls = {n for n in os.listdir(reports) if n.endswith(".html")}
    by_sha = collections.Counter()
    orphans = 0
    archive_mismatch = 0
    for n in jsons:
        with open(os.path.join(reports, n), "rb") as f: rep = json.load(f)
        by_sha[rep["input"]["sha256"]] += 1
        if rep.get("htmlReport") not in htmls: orphans += 1
        an = rep.get("archiveName")
        arch = {display(os.path.basename(p)): p for p in regular_files(d["archive"])}
        if an not in arch or sha(open(arch[an], "rb").read()) != rep["input"]["sha256"]: archive_mismatch += 1
    orphans += sum(1 for h in htmls if h[:-5] + ".json" not in jsons)
    dup_reports = sum(c - 1 for c in by_sha.values() if c > 1)
    unreported = len(decodable - set(by_sha))
    ledger_rows, ledger_bad = 0, 0
    ledger_path = os.path.join(reports, "ledger.csv")
    seen_rows = collections.Counter()
    if os.path.exists(ledger_path):
        with open(ledger_path, newline="", encoding="utf-8") as f:
            for row in list(csv.reader(f))[1:]:
                if len(row) < 11: continue
                ledger_rows += 1
                seen_rows[row[2]] += 1
                p = os.path.join(reports, row[3])
                if not os.path.exists(p) or json.load(open(p, "rb"))["input"]["sha256"] != row[2]: ledger_bad += 1
    ledger_bad += sum(c - 1 for c in seen_rows.values() if c > 1) + len(set(by_sha) - set(seen_rows))
    tmp_left = sum(1 for base, _, files in os.walk(root) for n in files if n.endswith(".tmp"))
    for name, value in (("lost", lost), ("duplicated", duplicated), ("orphans", orphans), ("duplicate_reports", dup_reports),
                        ("unreported", unreported), ("ledger_mismatches", ledger_bad), ("tmp_left", tmp_left),
                        ("left_in_work", counts["work"]), ("left_in_intake", counts["intake"]), ("archive_name_mismatches", archive_mismatch)):
        if value: problems.append("%s=%d" % (name, value))
    if kills < 20: problems.append("only %d kills" % kills)
    quarantined = counts["quarantine"] + len(links)
    wall = time.monotonic() - started
    print("soak: inputs=%d (+%s) archived=%d quarantined=%d ignored=%d lost=%d duplicated=%d orphans=%d reports=%d "
          "ledger_rows=%d ledger_mismatches=%d tmp_left=%d kills=%d disk=%s wall=%.0fs%s"
          % (len(inputs), "no odd entries" if args.no_odd else "1 fifo, 3 links", counts["archive"], quarantined, ignored, lost, duplicated, orphans, len(jsons), ledger_rows, ledger_bad,
             tmp_left, kills, disk_note.replace(" ", "_"), wall, "" if not problems else " FAILED: " + ", ".join(problems)))
    if not args.keep and not problems:
        if mounted: subprocess.run(["umount", d["rdisk"]])
        shutil.rmtree(root, ignore_errors=True)
    elif problems: print("soak: kept %s for inspection (service.log)" % root, file=sys.stderr)
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main())
