// @ts-check
/**
 * The HTML report's script, run by the browser that opens report.html. html.ts embeds this
 * function's source (`(${client})()`), so it must stand alone: it refers to nothing outside its own
 * body but the browser's globals.
 *
 * It reads the report's data (src/render/html.ts: ReportData) from the JSON element, inflating it
 * when it is gzipped, and fills each section: a filter box, a table sortable by every column, the
 * first rows with a button for more, and for regressed and improved items an SVG chart drawn here;
 * a kernel with details (launch distributions, launch test, shapes) gets a button that opens them
 * under its row. Then the GPU timeline and the NVTX phases, where the data has them.
 * Data is only ever set as text (textContent, attribute values): never parsed as markup.
 */
export function client() {
  'use strict'
  const SVG = 'http://www.w3.org/2000/svg'
  /** Rows drawn at first, and added by each "show more". */
  const PAGE = 100
  /** Names longer than this are shortened in the middle in the table (the tooltip has them whole). */
  const SHOWN_NAME = 160
  const STATUS = ['regressed', 'improved', 'new', 'removed', 'unchanged']
  const CHART = { width: 184, height: 46, left: 30, right: 6, lanes: [11, 27] }
  /** The inline launch histogram (regressions, improvements) and the one in a kernel's details. */
  const SMALL_HIST = { width: 150, height: 40, axis: 0 }
  const LARGE_HIST = { width: 560, height: 150, axis: 16 }
  const TIMELINE = { width: 900, lane: 26, left: 44, right: 8, top: 14 }
  const PHASE_BAR = { width: 240, height: 26 }
  const TREND = { width: 360, height: 110, left: 64, right: 16, top: 8, bottom: 8 }

  /**
   * @typedef {{ b: number[], h: number[], lo: number, hi: number, lt: string, ht: string, d: string }} Chart
   * @typedef {{ b: number[] | null, h: number[] | null, t: [number, string][], m: [number | null, number | null], q: string[][] }} Dist
   * @typedef {{ n: string, s: number, t: string, c: string[] }} Shape
   * @typedef {{ v: number[], h: number, b?: [number, number], lo: string, hi: string, t: string }} Trend
   * @typedef {{ l?: Dist, lt?: string, sh?: Shape[], tr?: Trend }} Detail
   * @typedef {{ n: string, s: number, t: string, c: string[], k: (number | null)[], g?: Chart, x?: Detail, a?: string }} Row
   * @typedef {{ title: string, item: string, columns: string[], rows: Row[] }} Table
   * @typedef {{ id: string, table: number, statuses: number[], charts: boolean }} View
   * @typedef {{ r: number, x: number | null, w: number, t: string }} LaneGap
   * @typedef {{ side: string, w: number, l: string, g: LaneGap[] }} Lane
   * @typedef {{ device: number, rank?: number, rows: string[][], lanes: Lane[], al: string, gaps: string[][] }} Device
   * @typedef {{ devices: Device[], imbalance?: string, late?: string, runs?: string }} Timeline
   * @typedef {{ n: string, s: number, t: string, b: number | null, h: number | null, c: string[], k: { n: string, c: string[] }[], km: number }} Phase
   * @typedef {{ rows: Phase[], max: number, ml: string, more: number }} Phases
   * @typedef {{ tables: Table[], views: View[], timeline?: Timeline, phases?: Phases }} Report
   */

  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {string} [text]
   * @param {string} [className]
   * @returns {HTMLElementTagNameMap[K]}
   */
  function el(tag, text, className) {
    const node = document.createElement(tag)
    if (text !== undefined) node.textContent = text
    if (className) node.className = className
    return node
  }

  /**
   * @param {string} tag
   * @param {Record<string, string | number>} attributes
   * @returns {SVGElement}
   */
  function svg(tag, attributes) {
    const node = /** @type {SVGElement} */ (document.createElementNS(SVG, tag))
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value))
    return node
  }

  /**
   * An SVG drawing of a class and size, an image for assistive technology (its title follows).
   * @param {string} className
   * @param {number} width
   * @param {number} height
   */
  function figure(className, width, height) {
    return svg('svg', {
      class: className,
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img'
    })
  }

  /** @param {string} base64 @returns {Promise<string>} */
  async function inflate(base64) {
    const binary = atob(base64)
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))
    return new Response(stream).text()
  }

  /** @returns {Promise<Report>} */
  async function readData() {
    const holder = document.getElementById('report-data')
    const raw = JSON.parse(holder?.textContent ?? 'null')
    if (raw && raw.encoding === 'json') return raw.report
    if (raw && raw.encoding === 'gzip+base64') return JSON.parse(await inflate(raw.data))
    throw new Error('the report holds no data the script can read')
  }

  /** Code points, the middle shortened: the start (namespace, template) and the end (arguments). */
  /** @param {string} name */
  function shortName(name) {
    const points = Array.from(name)
    if (points.length <= SHOWN_NAME) return name
    const head = Math.ceil((SHOWN_NAME - 1) * 0.65)
    const tail = SHOWN_NAME - 1 - head
    return `${points.slice(0, head).join('')}…${points.slice(points.length - tail).join('')}`
  }

  /**
   * One chart: with several runs a side, a dot per run on two lanes (base, head) and a tick at each
   * median; with one run a side, a bar each.
   * @param {Chart} g
   */
  function chart(g) {
    const { width, height, left, right, lanes } = CHART
    const root = figure('chart', width, height)
    const title = svg('title', {})
    title.textContent = g.d
    root.append(title)
    const span = g.hi - g.lo || 1
    /** @param {number} v */
    const x = (v) => left + ((v - g.lo) / span) * (width - left - right)
    const repeated = g.b.length > 1 || g.h.length > 1
    /** @type {[string, number[], number][]} */
    const sides = [
      ['base', g.b, lanes[0] ?? 0],
      ['head', g.h, lanes[1] ?? 0]
    ]
    root.append(svg('line', { class: 'axis', x1: left, x2: width - right, y1: 37, y2: 37 }))
    for (const [label, values, y] of sides) {
      const name = svg('text', { x: 0, y: y + 3 })
      name.textContent = label
      root.append(name)
      if (repeated) {
        for (const v of values)
          root.append(svg('circle', { class: label, cx: x(v), cy: y, r: 3, 'fill-opacity': 0.7 }))
        const sorted = [...values].sort((a, b) => a - b)
        const mid = sorted.length / 2
        const median =
          sorted.length % 2
            ? (sorted[Math.floor(mid)] ?? 0)
            : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
        root.append(
          svg('line', { class: 'median', x1: x(median), x2: x(median), y1: y - 6, y2: y + 6 })
        )
      } else {
        const v = values[0] ?? 0
        root.append(
          svg('rect', {
            class: label,
            x: left,
            y: y - 5,
            width: Math.max(1, x(v) - left),
            height: 10
          })
        )
      }
    }
    const lo = svg('text', { x: left, y: height - 1 })
    lo.textContent = g.lt
    const hi = svg('text', { x: width - right, y: height - 1, 'text-anchor': 'end' })
    hi.textContent = g.ht
    root.append(lo, hi)
    return root
  }

  /**
   * An item's trend over the baseline's history: the runs as a line (oldest left), the noise band
   * behind them, and this head's value as the last point, marked. The value axis' ends are
   * labelled; positions come as fractions (details.ts trendData).
   * @param {Trend} tr
   */
  function trend(tr) {
    const { width, height, left, right, top, bottom } = TREND
    const root = figure('trend', width, height)
    const title = svg('title', {})
    title.textContent = tr.t
    root.append(title)
    const plotW = width - left - right
    const plotH = height - top - bottom
    const clamp = (/** @type {number} */ p) => Math.min(1, Math.max(0, p))
    const y = (/** @type {number} */ p) => top + (1 - clamp(p)) * plotH
    const points = tr.v.length + 1
    const x = (/** @type {number} */ i) =>
      left + (points === 1 ? plotW : (i / (points - 1)) * plotW)
    if (tr.b) {
      const [low, high] = tr.b
      root.append(
        svg('rect', {
          class: 'band',
          x: left,
          y: y(high),
          width: plotW,
          height: Math.max(1, y(low) - y(high))
        })
      )
    }
    root.append(svg('line', { class: 'axis', x1: left, x2: left, y1: top, y2: top + plotH }))
    for (const [label, p] of /** @type {[string, number][]} */ ([
      [tr.hi, 1],
      [tr.lo, 0]
    ])) {
      const text = svg('text', { x: left - 4, y: y(p) + (p === 1 ? 8 : 0), 'text-anchor': 'end' })
      text.textContent = label
      root.append(text)
    }
    root.append(
      svg('polyline', {
        class: 'history',
        points: tr.v.map((p, i) => `${x(i).toFixed(1)},${y(p).toFixed(1)}`).join(' ')
      })
    )
    tr.v.forEach((p, i) => root.append(svg('circle', { class: 'run', cx: x(i), cy: y(p), r: 2 })))
    const last = tr.v.length - 1
    if (last >= 0)
      root.append(
        svg('line', {
          class: 'to-head',
          x1: x(last),
          y1: y(tr.v[last] ?? 0),
          x2: x(points - 1),
          y2: y(tr.h)
        })
      )
    root.append(svg('circle', { class: 'head', cx: x(points - 1), cy: y(tr.h), r: 4 }))
    return root
  }

  /**
   * A kernel's launch durations, base and head overlaid: each bar the share of that side's
   * launches, the base's in grey behind the head's; a dashed line at each side's p50. The large
   * one has the axis' ticks and a legend.
   * @param {Dist} l
   * @param {{ width: number, height: number, axis: number }} size
   */
  function histogram(l, size) {
    const { width, height, axis } = size
    const root = figure('dist', width, height)
    const title = svg('title', {})
    const ends = `${l.t[0]?.[1] ?? ''} to ${l.t[l.t.length - 1]?.[1] ?? ''}`
    const rows = l.q.map(([label, b, h]) => `${label} ${b} → ${h}`).join(', ')
    title.textContent = `Launch durations from ${ends}, base → head: ${rows}. Bar height: share of each side's launches.`
    root.append(title)
    const plot = height - axis - (axis ? 2 : 1)
    /** @param {number[] | null} counts */
    const total = (counts) => (counts ?? []).reduce((a, b) => a + b, 0)
    const tb = total(l.b)
    const th = total(l.h)
    const share = (/** @type {number} */ n, /** @type {number} */ t) => (t > 0 ? n / t : 0)
    const bars = (l.b ?? l.h ?? []).length
    let top = 0
    for (let i = 0; i < bars; i++)
      top = Math.max(top, share(l.b?.[i] ?? 0, tb), share(l.h?.[i] ?? 0, th))
    const step = width / Math.max(1, bars)
    /** @type {[string, number[] | null, number][]} */
    const sides = [
      ['base', l.b, tb],
      ['head', l.h, th]
    ]
    for (const [side, counts, sum] of sides) {
      if (!counts) continue
      counts.forEach((n, i) => {
        if (n <= 0) return
        const h = Math.max(1, (share(n, sum) / (top || 1)) * (plot - 2))
        root.append(
          svg('rect', {
            class: side,
            x: i * step + 0.5,
            y: plot - h,
            width: Math.max(1, step - 1),
            height: h,
            'data-count': n
          })
        )
      })
    }
    root.append(svg('line', { class: 'axis', x1: 0, x2: width, y1: plot + 0.5, y2: plot + 0.5 }))
    l.m.forEach((m, i) => {
      if (m === null) return
      root.append(
        svg('line', {
          class: `p50 ${i === 0 ? 'base' : 'head'}`,
          x1: m * width,
          x2: m * width,
          y1: 0,
          y2: plot
        })
      )
    })
    if (axis) {
      l.t.forEach(([at, label], i) => {
        const anchor = i === 0 ? 'start' : i === l.t.length - 1 ? 'end' : 'middle'
        const text = svg('text', { x: at * width, y: height - 2, 'text-anchor': anchor })
        text.textContent = label
        root.append(text)
      })
    }
    return root
  }

  /**
   * A small table: header cells, then rows of text.
   * @param {string[]} headers
   * @param {string[][]} rows
   * @param {string} [className]
   */
  function textTable(headers, rows, className) {
    const table = el('table', undefined, className)
    const head = el('thead')
    const tr = el('tr')
    for (const h of headers) {
      const th = el('th', h)
      th.scope = 'col'
      tr.append(th)
    }
    head.append(tr)
    const body = el('tbody')
    for (const row of rows) {
      const line = el('tr')
      row.forEach((cell, i) => line.append(el(i === 0 ? 'th' : 'td', cell)))
      const first = line.firstElementChild
      if (first instanceof HTMLTableCellElement) first.scope = 'row'
      body.append(line)
    }
    table.append(head, body)
    return table
  }

  /**
   * The parts of a kernel's detail panel, in order: each returns its element, or null when the
   * row's data has nothing for it. A per-kernel trend over history is one more part here (and one
   * more field of the data: html/details.ts DetailData).
   * @type {((x: Detail) => HTMLElement | null)[]}
   */
  const DETAIL_PARTS = [
    (x) => {
      if (!x.tr) return null
      const part = el('div', undefined, 'part')
      part.append(el('h4', 'Trend over the history'))
      part.append(trend(x.tr))
      part.append(el('p', x.tr.t, 'legend'))
      return part
    },
    (x) => {
      if (!x.l) return null
      const part = el('div', undefined, 'part')
      part.append(el('h4', 'Launch durations'))
      part.append(histogram(x.l, LARGE_HIST))
      const legend = el('p', undefined, 'legend')
      legend.append(el('span', 'base', 'key base'), el('span', 'head', 'key head'))
      legend.append(" · bar height: share of each side's launches; dashed line: p50")
      part.append(legend)
      part.append(textTable(['', 'Base', 'Head', 'Δ %'], x.l.q, 'quantiles'))
      return part
    },
    (x) => (x.lt ? el('p', x.lt, 'launch-test') : null),
    (x) => {
      if (!x.sh) return null
      const part = el('div', undefined, 'part')
      part.append(el('h4', 'Launch shapes'))
      const table = textTable(
        ['Shape', 'Status', 'Base', 'Head', 'Δ %', 'Launches'],
        x.sh.map((s) => [s.n, s.t, ...s.c]),
        'shapes'
      )
      x.sh.forEach((s, i) => {
        table.tBodies[0]?.rows[i]?.classList.add(`status-${STATUS[s.s] ?? 'unchanged'}`)
      })
      part.append(table)
      return part
    }
  ]

  /** @param {Detail} x */
  function detailPanel(x) {
    const panel = el('div', undefined, 'detail-panel')
    for (const part of DETAIL_PARTS) {
      const node = part(x)
      if (node) panel.append(node)
    }
    return panel
  }

  /**
   * A button that opens and closes something under a row.
   * @param {string} label what it opens, for screen readers
   * @param {boolean} open
   * @param {() => void} toggle
   */
  function toggleButton(label, open, toggle) {
    // The arrow is the style's (::before), so that the cell's text is the name alone.
    const button = el('button', undefined, 'toggle')
    button.type = 'button'
    button.setAttribute('aria-expanded', String(open))
    button.setAttribute('aria-label', label)
    button.addEventListener('click', toggle)
    return button
  }

  /**
   * A section: filter box, count, sortable table, "show more".
   * @param {Report} report
   * @param {View} view
   */
  function renderView(report, view) {
    const section = document.getElementById(view.id)
    const body = section?.querySelector('.view-body')
    const table = report.tables[view.table]
    if (!body || !table) return
    const rows = table.rows.filter((row) => view.statuses.includes(row.s))
    /** A column with each kernel's launch histogram (charted sections with launch sketches). */
    const launches = view.charts && rows.some((row) => row.x?.l)
    const details = rows.some((row) => row.x)
    /** Rows whose details are open. */
    /** @type {Set<Row>} */
    const open = new Set()
    /** Lower-cased names, made on the first filtering. */
    /** @type {string[] | undefined} */
    let lower
    const state = { filter: '', column: -2, descending: false, shown: PAGE }

    const controls = el('div', undefined, 'controls')
    const input = el('input')
    input.type = 'search'
    input.placeholder = `Filter by ${table.item.toLowerCase()} name`
    input.setAttribute('aria-label', `Filter by ${table.item.toLowerCase()} name`)
    const count = el('span', undefined, 'count')
    controls.append(input, count)

    const grid = el('table')
    const head = el('thead')
    const headRow = el('tr')
    /** Column -1: the name; 0: the status; 1…: the cells. */
    const titles = [table.item, 'Status', ...table.columns]
    /** @type {HTMLTableCellElement[]} */
    const headers = []
    titles.forEach((label, i) => {
      const th = el('th')
      th.scope = 'col'
      const button = el('button', label)
      button.type = 'button'
      button.addEventListener('click', () => {
        const column = i - 1
        if (state.column === column) state.descending = !state.descending
        else {
          state.column = column
          // Numbers: largest first; names and statuses: in order.
          state.descending = column >= 1
        }
        state.shown = PAGE
        draw()
      })
      th.append(button)
      headers.push(th)
      headRow.append(th)
    })
    if (view.charts) {
      const th = el('th', 'Chart')
      th.scope = 'col'
      headRow.append(th)
    }
    if (launches) {
      const th = el('th', 'Launches')
      th.scope = 'col'
      headRow.append(th)
    }
    const columns = headRow.children.length
    head.append(headRow)
    const tbody = el('tbody')
    grid.append(head, tbody)
    const more = el('button', '', 'more')
    more.type = 'button'
    more.addEventListener('click', () => {
      state.shown += PAGE * 10
      draw()
    })
    const scroll = el('div', undefined, 'scroll')
    scroll.append(grid)
    body.append(controls, scroll, more)
    input.addEventListener('input', () => {
      state.filter = input.value.toLowerCase()
      state.shown = PAGE
      draw()
    })

    /** @param {Row} a @param {Row} b */
    function compare(a, b) {
      if (state.column === -1) return a.n < b.n ? -1 : a.n > b.n ? 1 : 0
      if (state.column === 0) return a.s - b.s
      const i = state.column - 1
      const x = a.k[i] ?? null
      const y = b.k[i] ?? null
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1
      return x - y
    }

    function draw() {
      let list = rows
      if (state.filter) {
        lower ??= rows.map((row) => row.n.toLowerCase())
        const names = lower
        list = rows.filter((_, i) => (names[i] ?? '').includes(state.filter))
      }
      if (state.column !== -2) {
        const sign = state.descending ? -1 : 1
        const numeric = state.column >= 1
        list = [...list].sort((a, b) => {
          const c = compare(a, b)
          // Values missing stay last whichever way the column is sorted.
          if (
            numeric &&
            ((a.k[state.column - 1] ?? null) === null || (b.k[state.column - 1] ?? null) === null)
          )
            return c
          return sign * c
        })
      }
      headers.forEach((th, i) => {
        if (i - 1 === state.column)
          th.setAttribute('aria-sort', state.descending ? 'descending' : 'ascending')
        else th.removeAttribute('aria-sort')
      })
      const shown = list.slice(0, state.shown)
      tbody.replaceChildren(...shown.flatMap(rowElements))
      count.textContent =
        list.length === rows.length
          ? `${rows.length.toLocaleString('en-US')} ${rows.length === 1 ? 'row' : 'rows'}`
          : `${list.length.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} rows match`
      const rest = list.length - shown.length
      more.hidden = rest <= 0
      more.textContent = `Show ${Math.min(rest, PAGE * 10).toLocaleString('en-US')} more (${rest.toLocaleString('en-US')} not shown)`
    }

    /**
     * The row, and under it its details when they are open.
     * @param {Row} row
     * @returns {HTMLTableRowElement[]}
     */
    function rowElements(row) {
      const status = `status-${STATUS[row.s] ?? 'unchanged'}`
      const tr = el('tr', undefined, status)
      const name = el('td', undefined, 'name')
      // The server's text where the page's shortening would read like another row's name.
      const shown = row.a ?? shortName(row.n)
      const text = el('span', shown)
      if (text.textContent !== row.n) name.title = row.n
      const x = row.x
      if (x)
        name.append(
          toggleButton(`Details of ${shown}`, open.has(row), () => {
            if (open.has(row)) open.delete(row)
            else open.add(row)
            draw()
          })
        )
      else if (details) name.append(el('span', '', 'toggle-space'))
      name.append(text)
      tr.append(name, el('td', row.t, 'status'))
      row.c.forEach((cell, i) =>
        tr.append(el('td', cell, i === 2 || i === 3 ? 'delta' : undefined))
      )
      if (view.charts) {
        const td = el('td', undefined, 'chart-cell')
        if (row.g) td.append(chart(row.g))
        tr.append(td)
      }
      if (launches) {
        const td = el('td', undefined, 'chart-cell')
        if (row.x?.l) td.append(histogram(row.x.l, SMALL_HIST))
        tr.append(td)
      }
      if (!x || !open.has(row)) return [tr]
      const more = el('tr', undefined, `detail ${status}`)
      const cell = el('td')
      cell.colSpan = columns
      cell.append(detailPanel(x))
      more.append(cell)
      return [tr, more]
    }

    draw()
  }

  /**
   * The GPU timeline: per device, the figures base vs head, each side's window as a lane on one
   * time scale with its longest gaps placed on it (numbered; a tooltip each), and the gaps listed
   * with the activity before and after each.
   * @param {Timeline} timeline
   */
  function renderTimeline(timeline) {
    const body = document.querySelector('#gpu-timeline .timeline-body')
    if (!body) return
    if (timeline.runs) body.append(el('p', timeline.runs))
    for (const device of timeline.devices) {
      const part = el('div', undefined, 'device')
      part.append(el('h3', `GPU ${gpuLabel(device)}`))
      part.append(textTable(['', 'Base', 'Head', 'Change'], device.rows, 'figures'))
      part.append(lanes(device))
      part.append(
        el(
          'p',
          "Each side's window on one time scale, from its first activity (0): marked, its longest gaps, numbered as in the table below (a tooltip each).",
          'legend'
        )
      )
      if (device.gaps.length > 0)
        part.append(
          textTable(
            [
              'Side',
              'Gap',
              'Length',
              'Starts at',
              'Before it (ended last before the gap)',
              'After it (ended the gap)'
            ],
            device.gaps,
            'gaps'
          )
        )
      body.append(part)
    }
    if (timeline.imbalance) body.append(el('p', timeline.imbalance))
    if (timeline.late) body.append(el('p', timeline.late, 'warning'))
  }

  /**
   * `0`, or `0 (rank 0)` for a rank's GPU (as the Markdown says it).
   * @param {Device} device
   */
  function gpuLabel(device) {
    return device.rank === undefined
      ? String(device.device)
      : `${device.device} (rank ${device.rank})`
  }

  /** @param {Device} device */
  function lanes(device) {
    const { width, lane, left, right, top } = TIMELINE
    const height = top + device.lanes.length * lane + 14
    const root = figure('timeline', width, height)
    const title = svg('title', {})
    title.textContent = `GPU ${gpuLabel(device)}: each side's window on one time scale, its longest gaps marked and numbered`
    root.append(title)
    const span = width - left - right
    device.lanes.forEach((l, k) => {
      const y = top + k * lane
      /** Where the numbers of this lane's gaps are written (a number too close to one is left out). */
      /** @type {number[]} */
      const labelled = []
      const name = svg('text', { x: 0, y: y + 12 })
      name.textContent = l.side
      root.append(name)
      const win = svg('rect', {
        class: 'window',
        x: left,
        y,
        width: Math.max(1, l.w * span),
        height: 16
      })
      const tip = svg('title', {})
      tip.textContent = l.l
      win.append(tip)
      root.append(win)
      for (const g of l.g) {
        if (g.x === null) continue
        const x = left + g.x * span
        const gap = svg('rect', {
          class: `gap ${l.side}`,
          x,
          y: y - 2,
          width: Math.max(2, g.w * span),
          height: 20
        })
        const t = svg('title', {})
        t.textContent = g.t
        gap.append(t)
        root.append(gap)
        const mid = x + Math.max(2, g.w * span) / 2
        if (g.r <= 5 && labelled.every((at) => Math.abs(at - mid) > 10)) {
          labelled.push(mid)
          const label = svg('text', {
            x: mid,
            y: y - 4,
            'text-anchor': 'middle'
          })
          label.textContent = String(g.r)
          root.append(label)
        }
      }
    })
    const axisY = top + device.lanes.length * lane
    root.append(svg('line', { class: 'axis', x1: left, x2: width - right, y1: axisY, y2: axisY }))
    const zero = svg('text', { x: left, y: axisY + 12 })
    zero.textContent = '0'
    const end = svg('text', { x: width - right, y: axisY + 12, 'text-anchor': 'end' })
    end.textContent = device.al
    root.append(zero, end)
    return root
  }

  /**
   * The NVTX phases: a row a range with its GPU time per occurrence, base and head as two bars on
   * one scale, and the kernels launched inside it under a button.
   * @param {Phases} phases
   */
  function renderPhases(phases) {
    const body = document.querySelector('#nvtx-phases .phases-body')
    if (!body) return
    /** @type {Set<Phase>} */
    const open = new Set()
    const table = el('table', undefined, 'phases')
    const head = el('thead')
    const headRow = el('tr')
    for (const label of [
      'Range',
      'Status',
      `Per occurrence (scale: 0 to ${phases.ml})`,
      'Base',
      'Head',
      'Δ %',
      'Occurrences'
    ]) {
      const th = el('th', label)
      th.scope = 'col'
      headRow.append(th)
    }
    head.append(headRow)
    const tbody = el('tbody')
    table.append(head, tbody)
    const scroll = el('div', undefined, 'scroll')
    scroll.append(table)
    body.append(scroll)
    if (phases.more > 0)
      body.append(
        el(
          'p',
          `${phases.more.toLocaleString('en-US')} more ranges in the full table below.`,
          'count'
        )
      )

    function draw() {
      tbody.replaceChildren(...phases.rows.flatMap(phaseRows))
    }

    /** @param {Phase} p @returns {HTMLTableRowElement[]} */
    function phaseRows(p) {
      const status = `status-${STATUS[p.s] ?? 'unchanged'}`
      const tr = el('tr', undefined, status)
      const name = el('td', undefined, 'name')
      if (p.k.length > 0)
        name.append(
          toggleButton(`Kernels of ${shortName(p.n)}`, open.has(p), () => {
            if (open.has(p)) open.delete(p)
            else open.add(p)
            draw()
          })
        )
      else name.append(el('span', '', 'toggle-space'))
      const text = el('span', shortName(p.n))
      if (text.textContent !== p.n) name.title = p.n
      name.append(text)
      const chartCell = el('td', undefined, 'chart-cell')
      chartCell.append(phaseBars(p))
      tr.append(name, el('td', p.t, 'status'), chartCell)
      p.c.forEach((cell, i) => tr.append(el('td', cell, i === 2 ? 'delta' : undefined)))
      if (!open.has(p)) return [tr]
      const more = el('tr', undefined, `detail ${status}`)
      const cell = el('td')
      cell.colSpan = 7
      const rows = p.k.map((k) => [shortName(k.n), ...k.c])
      const kernels = textTable(
        ['Kernel in this range', 'Base', 'Head', 'Δ %', 'Occurrences'],
        rows,
        'phase-kernels'
      )
      // A shortened name has the whole one in its tooltip, as the tables' names do.
      kernels.querySelectorAll('tbody th').forEach((th, i) => {
        const whole = p.k[i]?.n
        if (whole !== undefined && th.textContent !== whole) th.setAttribute('title', whole)
      })
      cell.append(kernels)
      if (p.km > 0)
        cell.append(
          el('p', `${p.km} more kernels in the full table "Kernels per NVTX range".`, 'count')
        )
      more.append(cell)
      return [tr, more]
    }

    /** @param {Phase} p */
    function phaseBars(p) {
      const { width, height } = PHASE_BAR
      const root = figure('chart phase', width, height)
      const title = svg('title', {})
      title.textContent = `${p.n}: per occurrence, base ${p.c[0] ?? ''}, head ${p.c[1] ?? ''} (${p.c[2] ?? ''})`
      root.append(title)
      /** @type {[string, number | null, number][]} */
      const bars = [
        ['base', p.b, 3],
        ['head', p.h, 14]
      ]
      for (const [side, value, y] of bars) {
        if (value === null) continue
        root.append(
          svg('rect', {
            class: side,
            x: 0,
            y,
            width: Math.max(1, (value / phases.max) * width),
            height: 9
          })
        )
      }
      return root
    }

    draw()
  }

  /** @param {unknown} error */
  function fail(error) {
    const message = error instanceof Error ? error.message : String(error)
    const note = el('p', `The report's tables could not be drawn: ${message}`)
    note.id = 'report-error'
    document.querySelector('main')?.prepend(note)
    console.error(error)
  }

  readData()
    .then((report) => {
      for (const view of report.views) renderView(report, view)
      if (report.timeline) renderTimeline(report.timeline)
      if (report.phases) renderPhases(report.phases)
      document.body.dataset.ready = 'true'
    })
    .catch(fail)
}
