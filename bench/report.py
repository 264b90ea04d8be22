#!/usr/bin/python3
"""Print the tables of a produce-consume.sh run from its results.jsonl, in Markdown so the output can
go into docs/benchmarks.md as it is. With several rounds a cell is "median (min-max)"."""
import json
import sys
from statistics import median


def load(path):
    with open(path) as source:
        return [json.loads(line) for line in source if line.strip()]


def table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join("---:" if i else "---" for i in range(len(headers))) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def number(value, digits=0):
    if value is None:
        return "-"
    return f"{value:,.{digits}f}".replace(",", " ")


def spread(values, digits=0):
    """The median, and the range when there is more than one value."""
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    if len(values) == 1:
        return number(values[0], digits)
    return f"{number(median(values), digits)} ({number(min(values), digits)}-{number(max(values), digits)})"


def grouped(records, kind, key):
    groups = {}
    for record in records:
        if record["kind"] == kind:
            groups.setdefault(key(record), []).append(record)
    return groups


def main(path):
    records = load(path)
    env = next(r for r in records if r["kind"] == "env")
    end = next((r for r in records if r["kind"] == "end"), {})

    print(f"Run {env['date']} at commit {env['commit']}: {env['nproc']} CPUs, {env['mem_total_kib'] // 1024} MiB, "
          f"data on {env['work_device']} ({env['work_fs']}); load average {env['load_avg_at_start']} at start, "
          f"{end.get('load_avg_at_end', '?')} at end; {env['kcat']}.")
    print(f"{number(env['messages'])} messages of {env['size']} bytes, {env.get('rounds', 1)} round(s) per flush mode; "
          f"MB/s counts message values (10^6 bytes).\n")

    throughput = grouped(records, "throughput", lambda r: (r["mode"], r["test"], r["acks"]))
    rows = []
    for (mode, test, acks), runs in throughput.items():
        label = f"kcat -P acks={acks}" if test == "produce" else "kcat -C"
        rate = median(r["msg_per_s"] for r in runs)
        base = throughput.get(("page-cache", test, acks))
        versus = f"{rate / median(r['msg_per_s'] for r in base):.2f}" if base else "-"
        cpu = lambda field: number(median(r[field] for r in runs), 2) if all(field in r for r in runs) else "-"
        rows.append([mode, label, spread([r["msg_per_s"] for r in runs]), spread([r["MBps"] for r in runs]), versus,
                     cpu("broker_user_s"), cpu("broker_sys_s"), cpu("client_cpu_s")])
    print("Throughput (CPU columns: medians, in CPU seconds for the whole step)\n")
    print(table(["flush mode", "test", "msg/s", "MB/s", "msg/s vs page-cache", "broker user", "broker system",
                 "kcat CPU"], rows))

    produces = [r for r in records if r["kind"] == "throughput" and r["test"] == "produce" and "broker_sys_s" in r]
    if produces:
        print("\nEach produce run in order (each broker takes two 1-GB produce runs; `first` is the first into its broker)\n")
        position, rows = {}, []
        for r in produces:
            key = (r["round"], r["mode"])
            position[key] = position.get(key, 0) + 1
            rows.append([r["round"], r["mode"], r["acks"], "first" if position[key] == 1 else "second", number(r["msg_per_s"]),
                         number(r["broker_user_s"], 2), number(r["broker_sys_s"], 2), number(r["client_cpu_s"], 2)])
        print(table(["round", "flush mode", "acks", "into its broker", "msg/s", "broker user s", "broker system s",
                     "kcat CPU s"], rows))

    fixed = grouped(records, "fixed_cost", lambda r: r["mode"])
    consumes = {mode: runs for (mode, test, _), runs in throughput.items() if test == "consume"}
    if fixed:
        print("\n`kcat -C -e` pays a fixed cost whatever the volume: start-up, metadata, and at the end one empty fetch "
              "that the broker holds for fetch.wait.max.ms (500 ms by default) before kcat can see the end of the partition. "
              "Measured by consuming a one-message topic; the last column takes it out of the consume rate.\n")
        rows = []
        for mode, runs in fixed.items():
            cost = median(r["seconds"] for r in runs)
            net = [c["messages"] / (c["seconds"] - cost) for c in consumes.get(mode, []) if c["seconds"] > cost]
            rows.append([mode, spread([r["seconds"] for r in runs], 2), spread(net)])
        print(table(["flush mode", "kcat -C of one message, s", "kcat -C msg/s without it"], rows))

    latency = grouped(records, "latency", lambda r: (r["mode"], r["acks"]))
    if latency:
        first = next(iter(latency.values()))[0]
        print(f"\nProduce latency at {number(first['rate_target'])} msg/s ({first.get('client', 'confluent-kafka-python')}, "
              f"linger.ms={first['linger_ms']}, {first['size']}-byte values): milliseconds from produce() to the delivery report\n")
        rows = []
        for (mode, acks), runs in latency.items():
            rows.append([mode, acks, spread([r["p50_ms"] for r in runs], 2), spread([r["p99_ms"] for r in runs], 2),
                         spread([r["p999_ms"] for r in runs], 2), spread([r["max_ms"] for r in runs], 1),
                         number(min(r["rate_sent"] for r in runs)), number(max(r["max_send_lag_ms"] for r in runs), 1),
                         f"{sum(r['delivered'] for r in runs)}/{sum(r['sent'] for r in runs)}"])
        print(table(["flush mode", "acks", "p50", "p99", "p99.9", "max", "lowest rate sent", "max send lag ms",
                     "delivered"], rows))

    rss = grouped(records, "rss", lambda r: r["mode"])
    if rss:
        print("\nBroker memory: peak RSS (VmHWM) after all tests of a round\n")
        print(table(["flush mode", "peak RSS MB, highest round", "each round MB", "broker log warnings/errors"],
                    [[mode, number(max(r["vm_hwm_kib"] for r in runs) / 1024),
                      ", ".join(number(r["vm_hwm_kib"] / 1024) for r in runs),
                      sum(r.get("broker_warning_lines", 0) for r in runs)] for mode, runs in rss.items()]))

    baselines = [r for r in records if r["kind"] == "baseline"]
    if baselines:
        print("\nSame-run baselines\n")
        rows = []
        for r in baselines:
            if "syncs_per_s" in r:
                speed = f"{number(r['syncs_per_s'])} syncs/s, {r['ms_per_sync']} ms each"
            elif "ms_per_sync" in r:
                speed = f"{number(r['MBps'], 1)} MB/s, {r['ms_per_sync']} ms per write"
            else:
                speed = f"{number(r['MBps'], 1)} MB/s"
            rows.append([r["name"], number(r["seconds"], 2), speed])
        print(table(["baseline", "seconds", "speed"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
