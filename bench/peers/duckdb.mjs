// The DuckDB peer of `nsys-bench`, on the same files in the same run (bench/run.js):
//   node duckdb.mjs trace FILE.csv          the summary of a cuda_gpu_trace: GROUP BY name
//   node duckdb.mjs compare BASE_DIR HEAD_DIR   the median total per name and run, base vs head
// `@duckdb/node-api` is loaded from NSYS_BENCH_PEERS (bench/run.js installs it there from npm).
// Prints JSON, as nsys-bench does. DuckDB uses every core; nsys-bench one (or two with workers).
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(join(process.env.NSYS_BENCH_PEERS ?? process.cwd(), 'x.js'))
const { DuckDBInstance } = await import(require.resolve('@duckdb/node-api'))

const [mode, a, b] = process.argv.slice(2)
const instance = await DuckDBInstance.create(':memory:')
const db = await instance.connect()
const sql = (text) => text.replaceAll('\n', ' ')
const path = (p) => `'${p.replaceAll("'", "''")}'`

async function rows(query) {
  const reader = await db.runAndReadAll(sql(query))
  return reader.getRowObjectsJson()
}

const REPORTS = {
  cuda_gpu_kern_sum: 'Name',
  cuda_api_sum: 'Name',
  cuda_gpu_mem_time_sum: 'Operation',
  cuda_gpu_mem_size_sum: 'Operation',
  nvtx_sum: 'Range',
  osrt_sum: 'Name'
}

if (mode === 'trace') {
  const out = await rows(`
    SELECT "Name" AS name, count(*) AS instances, sum("Duration (ns)") AS total,
           min("Duration (ns)") AS min, max("Duration (ns)") AS max,
           stddev_samp("Duration (ns)") AS std_dev
    FROM read_csv(${path(a)}, header = true)
    GROUP BY "Name" ORDER BY total DESC`)
  process.stdout.write(JSON.stringify(out))
} else if (mode === 'compare') {
  const result = {}
  for (const [report, name] of Object.entries(REPORTS)) {
    const total = report === 'cuda_gpu_mem_size_sum' ? 'Total (MB)' : 'Total Time (ns)'
    const side = (dir) => `
      SELECT run, "${name}" AS name, sum("${total}") AS total
      FROM (SELECT *, regexp_extract(filename, '([^/]*)_${report}\\.csv$', 1) AS run
            FROM read_csv(${path(join(dir, `*_${report}.csv`))}, header = true, filename = true))
      GROUP BY run, "${name}"`
    // A run without the item counts 0: every name crossed with every run of the side.
    const medians = (dir) => `
      WITH t AS (${side(dir)}),
           runs AS (SELECT DISTINCT run FROM t), names AS (SELECT DISTINCT name FROM t)
      SELECT names.name, median(coalesce(t.total, 0)) AS total
      FROM names CROSS JOIN runs LEFT JOIN t ON t.name = names.name AND t.run = runs.run
      GROUP BY names.name`
    result[report] = await rows(`
      WITH b AS (${medians(a)}), h AS (${medians(b)})
      SELECT coalesce(h.name, b.name) AS name, coalesce(b.total, 0) AS base,
             coalesce(h.total, 0) AS head, coalesce(h.total, 0) - coalesce(b.total, 0) AS delta,
             CASE WHEN b.total > 0 THEN (coalesce(h.total, 0) - b.total) / b.total * 100 END AS pct
      FROM b FULL OUTER JOIN h ON b.name = h.name
      ORDER BY delta DESC`)
  }
  process.stdout.write(JSON.stringify(result))
} else {
  console.error('usage: node duckdb.mjs trace FILE.csv | compare BASE_DIR HEAD_DIR')
  process.exit(2)
}
