/**
 * CSV as rocprof and rocprofv3 write it: RFC 4180 (a cell is quoted when it holds a comma, a
 * quote inside a quoted cell is doubled). Header cells are quoted, names too (v3 always; v1 for
 * kernels, not for API names), numbers are not.
 */

/**
 * The cells of one record, or undefined while a quoted cell is still open at the end of the text
 * (the record goes on on the next line: a header hard-wrapped inside a cell).
 */
export function splitRecord(text: string): string[] | undefined {
  const cells: string[] = []
  let i = 0
  for (;;) {
    if (text.charCodeAt(i) === 0x22) {
      // Quoted: up to the quote that is not doubled.
      let cell = ''
      let from = i + 1
      for (;;) {
        const q = text.indexOf('"', from)
        if (q < 0) return undefined
        cell += text.slice(from, q)
        if (text.charCodeAt(q + 1) === 0x22) {
          cell += '"'
          from = q + 2
          continue
        }
        i = q + 1
        break
      }
      // Anything between the closing quote and the comma (e.g. a trailing space) stays with it.
      const comma = text.indexOf(',', i)
      cells.push(comma < 0 ? cell + text.slice(i) : cell + text.slice(i, comma))
      if (comma < 0) return cells
      i = comma + 1
    } else {
      const comma = text.indexOf(',', i)
      if (comma < 0) {
        cells.push(text.slice(i))
        return cells
      }
      cells.push(text.slice(i, comma))
      i = comma + 1
    }
  }
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/

/** A number as rocprof prints it (`165920`, `2432.240683`, `4.671e-04`); undefined otherwise. */
export function csvNumber(cell: string | undefined): number | undefined {
  if (cell === undefined) return undefined
  const text = cell.trim()
  if (text.length > 40 || !NUMBER.test(text)) return undefined
  const value = Number(text)
  return Number.isFinite(value) ? value : undefined
}

/** A header cell, compared without white space (a header hard-wrapped inside a cell meets). */
export function headerName(cell: string): string {
  return cell.replace(/\s+/g, '')
}
