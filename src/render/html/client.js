// @ts-check
/**
 * The HTML report's script, run by the browser that opens report.html. html.ts embeds this
 * function's source (`(${client})()`), so it must stand alone: it refers to nothing outside its own
 * body but the browser's globals.
 *
 * It reads the report's data (src/render/html.ts: ReportData) from the JSON element, inflating it
 * when it is gzipped, and fills each section: a filter box, a table sortable by every column, the
 * first rows with a button for more, and for regressed and improved items an SVG chart drawn here.
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

  /**
   * @typedef {{ b: number[], h: number[], lo: number, hi: number, lt: string, ht: string, d: string }} Chart
   * @typedef {{ n: string, s: number, t: string, c: string[], k: (number | null)[], g?: Chart }} Row
   * @typedef {{ title: string, item: string, columns: string[], rows: Row[] }} Table
   * @typedef {{ id: string, table: number, statuses: number[], charts: boolean }} View
   * @typedef {{ tables: Table[], views: View[] }} Report
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
    const root = svg('svg', {
      class: 'chart',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img'
    })
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
      tbody.replaceChildren(...shown.map(rowElement))
      count.textContent =
        list.length === rows.length
          ? `${rows.length.toLocaleString('en-US')} ${rows.length === 1 ? 'row' : 'rows'}`
          : `${list.length.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} rows match`
      const rest = list.length - shown.length
      more.hidden = rest <= 0
      more.textContent = `Show ${Math.min(rest, PAGE * 10).toLocaleString('en-US')} more (${rest.toLocaleString('en-US')} not shown)`
    }

    /** @param {Row} row */
    function rowElement(row) {
      const tr = el('tr', undefined, `status-${STATUS[row.s] ?? 'unchanged'}`)
      const name = el('td', shortName(row.n), 'name')
      if (name.textContent !== row.n) name.title = row.n
      tr.append(name, el('td', row.t, 'status'))
      row.c.forEach((cell, i) =>
        tr.append(el('td', cell, i === 2 || i === 3 ? 'delta' : undefined))
      )
      if (view.charts) {
        const td = el('td', undefined, 'chart-cell')
        if (row.g) td.append(chart(row.g))
        tr.append(td)
      }
      return tr
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
      document.body.dataset.ready = 'true'
    })
    .catch(fail)
}
