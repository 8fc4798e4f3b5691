#!/usr/bin/env python3
"""Write an Nsight Systems export (.sqlite) from a JSON spec read on stdin.

Driven by sqlite.ts (buildNsysSqlite); uses only the standard library. Input:

  {"out": "<file>", "schema": "<schema .sql>", "enums": "<enum rows .sql>",
   "options": {"lazy": true, "dropColumns": []}, "spec": {...}}

The schema is the real `nsys export --lazy=false` DDL of nsys 2023.4.4 (schema 3.7.2) and the ENUM_*
rows are dumped from a real export, so the report scripts of nsys 2022.4 and 2023.4 run on the file
as they would on a real export. Rows are shaped like the ones a real capture exports (see the README
in test/fixtures/nsys-real/). With options.lazy (default) every table left empty is dropped, as a real
(lazy) export only creates tables that have data: reports then say "SKIPPED: ... does not contain ...".
"""

import json
import os
import sqlite3
import sys

VM_BIT = 1 << 48  # the "VM id" part of every serialized GlobalId in real exports
CUDA_RUNTIME, CUDA_DRIVER = 0, 1  # ENUM_NSYS_EVENT_CLASS
OSRT, OSRT_START, OSRT_FINISH = 27, 31, 32  # ENUM_NSYS_EVENT_CLASS
NVTX_PUSHPOP, NVTX_STARTEND, NVTX_DOMAIN_CREATE = 59, 60, 75  # ENUM_NSYS_EVENT_TYPE
PAGEABLE, DEVICE, UNKNOWN_MEM = 0, 2, 7  # ENUM_CUDA_MEM_KIND
# ENUM_CUDA_MEMCPY_OPER id -> (srcKind, dstKind) a plain cudaMemcpy of that kind reports
COPY_KINDS = {1: (PAGEABLE, DEVICE), 2: (DEVICE, PAGEABLE), 8: (DEVICE, DEVICE), 9: (PAGEABLE, PAGEABLE),
              10: (DEVICE, DEVICE), 3: (PAGEABLE, 3), 4: (3, PAGEABLE), 5: (3, 3), 6: (3, DEVICE), 7: (DEVICE, 3)}


def global_pid(pid):
    return VM_BIT | (pid << 24)


def global_tid(pid, tid):
    return global_pid(pid) | tid


def main():
    req = json.load(sys.stdin)
    out = req["out"]
    spec = req.get("spec") or {}
    options = req.get("options") or {}
    drop_cols = set(options.get("dropColumns") or [])

    ddl = open(req["schema"], encoding="utf-8").read()
    if drop_cols:
        # Simulate an export by an older nsys that lacks these columns (e.g. greenContextId < 2023.4).
        ddl = "\n".join(l for l in ddl.split("\n")
                        if not (l.strip().split() or [""])[0] in drop_cols)
    enums = open(req["enums"], encoding="utf-8").read()

    tmp = out + ".tmp-%d" % os.getpid()
    if os.path.exists(tmp):
        os.remove(tmp)
    db = sqlite3.connect(tmp)
    db.executescript(ddl)
    db.executescript(enums)
    Builder(db, spec, drop_cols).fill()
    if options.get("lazy", True):
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for t in tables:
            if db.execute('SELECT count(*) FROM "%s"' % t).fetchone()[0] == 0:
                db.execute('DROP TABLE "%s"' % t)
    db.commit()
    db.close()
    os.replace(tmp, out)


class Builder:
    def __init__(self, db, spec, drop_cols=()):
        self.db = db
        self.drop_cols = set(drop_cols)
        self.spec = spec
        self.strings = {}
        self.cols = {}
        proc = spec.get("process") or {}
        self.pid = int(proc.get("pid", 4242))
        self.tid = int(proc.get("tid", self.pid))
        self.proc_name = proc.get("name", "bench")
        used = set()
        for key in ("kernels", "memcpys", "memsets", "runtime"):
            for e in spec.get(key) or []:
                if e.get("correlationId") is not None:
                    used.add(int(e["correlationId"]))
        self.used_corr = used
        self.next_corr = 1

    # -- helpers ---------------------------------------------------------------------------------
    def sid(self, text):
        if text is None:
            return None
        if text not in self.strings:
            self.strings[text] = len(self.strings) + 1
            self.db.execute("INSERT INTO StringIds (id, value) VALUES (?, ?)", (self.strings[text], text))
        return self.strings[text]

    def corr(self, e):
        if e.get("correlationId") is not None:
            return int(e["correlationId"])
        while self.next_corr in self.used_corr:
            self.next_corr += 1
        c = self.next_corr
        self.used_corr.add(c)
        return c

    def insert(self, table, row):
        """Insert row (dict); NOT NULL columns the row does not name get 0, columns the schema
        lacks (dropColumns) are left out."""
        if table not in self.cols:
            self.cols[table] = [(r[1], r[3]) for r in self.db.execute('PRAGMA table_info("%s")' % table)]
        names = []
        values = []
        for name, notnull in self.cols[table]:
            if name in row:
                names.append(name)
                values.append(row[name])
            elif notnull:
                names.append(name)
                values.append(0)
        unknown = set(row) - {n for n, _ in self.cols[table]}
        unknown -= self.drop_cols  # dropped on purpose (dropColumns)
        if unknown:
            raise KeyError("%s has no column(s) %s" % (table, sorted(unknown)))
        self.db.execute('INSERT INTO "%s" (%s) VALUES (%s)' % (
            table, ", ".join('"%s"' % n for n in names), ", ".join("?" * len(names))), values)

    def gtid(self, e):
        return global_tid(self.pid, int(e.get("tid", self.tid)))

    # -- tables ----------------------------------------------------------------------------------
    def fill(self):
        s = self.spec
        times = []
        for key in ("kernels", "memcpys", "memsets", "runtime", "nvtx", "osrt"):
            for e in s.get(key) or []:
                times.append(int(e["start"]))
                if e.get("end") is not None:
                    times.append(int(e["end"]))
        t0 = min([0] + times)
        t1 = max([1] + times) + 1

        for k, v in [("EXPORT_PRODUCT_NAME", "NVIDIA Nsight Systems"),
                     ("EXPORT_PRODUCT_VERSION", "2023.4.4.54"),
                     ("EXPORT_PRODUCT_DATE", "2023.4"),
                     ("EXPORT_SCHEMA_VERSION", "3.7.2"),
                     ("EXPORT_SCHEMA_VERSION_MAJOR", "3"),
                     ("EXPORT_SCHEMA_VERSION_MINOR", "7"),
                     ("EXPORT_SCHEMA_VERSION_MICRO", "2"),
                     ("EXPORT_PLATFORM", "linux-desktop"),
                     ("EXPORT_ARCH", "x64"),
                     ("EXPORT_PARAM_LAZY", "true"),
                     ("EXPORT_PARAM_TIME_NORMALIZE", "false")]:
            self.insert("META_DATA_EXPORT", {"name": k, "value": v})
        self.insert("TARGET_INFO_SESSION_START_TIME", {
            "utcEpochNs": 1700000000000000000, "utcTime": "2023-11-14T22:13:20",
            "localTime": "2023-11-14T22:13:20"})
        self.insert("ANALYSIS_DETAILS", {"globalVid": VM_BIT, "duration": t1 - t0,
                                         "startTime": t0, "stopTime": t1})
        self.insert("PROCESSES", {"globalPid": global_pid(self.pid), "pid": self.pid, "name": self.proc_name})
        tids = {self.tid}
        for key in ("runtime", "nvtx", "osrt"):
            for e in s.get(key) or []:
                tids.add(int(e.get("tid", self.tid)))
        for tid in sorted(tids):
            self.insert("ThreadNames", {"nameId": self.sid(self.proc_name if tid == self.tid else "worker-%d" % tid),
                                        "priority": 20, "globalTid": global_tid(self.pid, tid)})

        gpu_ops = (s.get("kernels") or []) + (s.get("memcpys") or []) + (s.get("memsets") or [])
        gpus = s.get("gpus")
        if gpus is None and gpu_ops:
            gpus = [{"id": 0, "name": "NVIDIA H100 80GB HBM3"}]
        for g in gpus or []:
            self.insert("TARGET_INFO_GPU", {"vmId": VM_BIT, "id": int(g["id"]), "name": g["name"],
                                            "cuDevice": int(g["id"]), "isDiscrete": 1})

        gp = global_pid(self.pid)
        for i, k in enumerate(s.get("kernels") or []):
            grid = k.get("grid") or [1, 1, 1]
            block = k.get("block") or [1, 1, 1]
            self.insert("CUPTI_ACTIVITY_KIND_KERNEL", {
                "start": int(k["start"]), "end": int(k["end"]),
                "deviceId": int(k.get("deviceId", 0)), "contextId": int(k.get("contextId", 1)),
                "greenContextId": None, "streamId": int(k.get("streamId", 7)),
                "correlationId": self.corr(k), "globalPid": gp,
                "demangledName": self.sid(k["name"]),
                "shortName": self.sid(k.get("shortName", k["name"])),
                "mangledName": self.sid(k.get("mangledName")),
                "launchType": 0, "cacheConfig": 0,
                "registersPerThread": int(k.get("registersPerThread", 32)),
                "gridX": int(grid[0]), "gridY": int(grid[1]), "gridZ": int(grid[2]),
                "blockX": int(block[0]), "blockY": int(block[1]), "blockZ": int(block[2]),
                "staticSharedMemory": int(k.get("staticSharedMemory", 0)),
                "dynamicSharedMemory": int(k.get("dynamicSharedMemory", 0)),
                "localMemoryPerThread": 0, "localMemoryTotal": 0,
                "gridId": i + 1, "sharedMemoryExecuted": 0})

        for m in s.get("memcpys") or []:
            kind = int(m["copyKind"])
            src, dst = COPY_KINDS.get(kind, (UNKNOWN_MEM, UNKNOWN_MEM))
            dev = int(m.get("deviceId", 0))
            self.insert("CUPTI_ACTIVITY_KIND_MEMCPY", {
                "start": int(m["start"]), "end": int(m["end"]),
                "deviceId": dev, "contextId": int(m.get("contextId", 1)), "greenContextId": None,
                "streamId": int(m.get("streamId", 7)), "correlationId": self.corr(m), "globalPid": gp,
                "bytes": int(m["bytes"]), "copyKind": kind,
                "srcKind": int(m.get("srcKind", src)), "dstKind": int(m.get("dstKind", dst)),
                "srcDeviceId": dev, "srcContextId": int(m.get("contextId", 1)),
                "dstDeviceId": int(m.get("dstDeviceId", dev)), "dstContextId": int(m.get("contextId", 1))})

        for m in s.get("memsets") or []:
            self.insert("CUPTI_ACTIVITY_KIND_MEMSET", {
                "start": int(m["start"]), "end": int(m["end"]),
                "deviceId": int(m.get("deviceId", 0)), "contextId": int(m.get("contextId", 1)),
                "greenContextId": None, "streamId": int(m.get("streamId", 7)),
                "correlationId": self.corr(m), "globalPid": gp,
                "value": int(m.get("value", 0)), "bytes": int(m["bytes"]),
                "memKind": int(m.get("memKind", DEVICE))})

        for r in s.get("runtime") or []:
            self.insert("CUPTI_ACTIVITY_KIND_RUNTIME", {
                "start": int(r["start"]), "end": int(r["end"]),
                "eventClass": CUDA_DRIVER if r.get("api") == "driver" else CUDA_RUNTIME,
                "globalTid": self.gtid(r), "correlationId": self.corr(r),
                "nameId": self.sid(r["name"]), "returnValue": int(r.get("returnValue", 0))})

        nvtx = s.get("nvtx") or []
        domains = {}
        for n in nvtx:
            d = n.get("domain")
            if d is not None and d not in domains:
                domains[d] = len(domains) + 1
                first = min(int(x["start"]) for x in nvtx if x.get("domain") == d)
                # nvtxDomainCreateA: a DomainCreate event whose text is the domain name.
                self.insert("NVTX_EVENTS", {"start": max(0, first - 1), "end": None,
                                            "eventType": NVTX_DOMAIN_CREATE, "text": d,
                                            "globalTid": self.gtid(n), "domainId": domains[d]})
        range_id = 0
        for n in nvtx:
            startend = n.get("style", "pushpop") == "startend"
            if startend:
                range_id += 1
            registered = bool(n.get("registered"))
            self.insert("NVTX_EVENTS", {
                "start": int(n["start"]), "end": None if n.get("end") is None else int(n["end"]),
                "eventType": NVTX_STARTEND if startend else NVTX_PUSHPOP,
                "rangeId": range_id if startend else None,
                "text": None if registered else n["text"],
                "textId": self.sid(n["text"]) if registered else None,
                "globalTid": self.gtid(n),
                "domainId": domains.get(n.get("domain"), 0)})

        osrt = s.get("osrt") or []
        if osrt:
            # A real capture brackets OS runtime calls with these two markers (osrt_sum ignores them).
            lo = min(int(o["start"]) for o in osrt)
            hi = max(int(o["end"]) for o in osrt)
            self.insert("OSRT_API", {"start": lo, "end": lo, "eventClass": OSRT_START, "globalTid": gp,
                                     "nameId": self.sid("OS runtime libraries profiling started"),
                                     "returnValue": 0, "callchainId": 0})
        for o in osrt:
            self.insert("OSRT_API", {"start": int(o["start"]), "end": int(o["end"]), "eventClass": OSRT,
                                     "globalTid": self.gtid(o), "nameId": self.sid(o["name"]),
                                     "returnValue": int(o.get("returnValue", 0)), "nestingLevel": 0,
                                     "callchainId": 0})
        if osrt:
            self.insert("OSRT_API", {"start": hi, "end": hi, "eventClass": OSRT_FINISH, "globalTid": gp,
                                     "nameId": self.sid("OS runtime libraries profiling finished"),
                                     "returnValue": 0, "callchainId": 0})


if __name__ == "__main__":
    main()
