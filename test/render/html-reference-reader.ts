/**
 * An independent reader of the HTML report, written for the tests: a small HTML tokenizer (the
 * parts of the HTML standard's tokenizer the report can meet: tags with quoted and unquoted
 * attributes, comments, the doctype, raw text in <script> and <style>, escapable raw text in
 * <title> and <textarea>, character references) and a tree builder (void elements; an end tag
 * closes up to its element). It shares no code with src/render: what the page says is read the
 * way a browser would read it, not the way the writer meant it.
 */

export interface Node {
  tag: string
  attrs: Map<string, string>
  children: (Node | string)[]
  parent?: Node
}

export type Token =
  | { kind: 'start'; tag: string; attrs: Map<string, string>; selfClosing: boolean }
  | { kind: 'end'; tag: string }
  | { kind: 'text'; text: string }
  | { kind: 'comment'; text: string }
  | { kind: 'doctype'; text: string }

const VOID = new Set(['meta', 'link', 'br', 'hr', 'img', 'input', 'source', 'wbr', 'area', 'base'])
const RAW = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes'])
const RCDATA = new Set(['title', 'textarea'])

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0'
}

/** Character references decoded; an unknown named one is an error (the writer uses five). */
export function decode(text: string): string {
  return text.replace(
    /&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);?/g,
    (all, ref: string) => {
      if (ref.startsWith('#')) {
        const code =
          ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
        return String.fromCodePoint(code)
      }
      const ch = NAMED[ref]
      if (ch === undefined) throw new Error(`unknown character reference ${all}`)
      return ch
    }
  )
}

export function tokenize(html: string): Token[] {
  const out: Token[] = []
  let i = 0
  let text = ''
  const flush = (): void => {
    if (text) out.push({ kind: 'text', text: decode(text) })
    text = ''
  }
  while (i < html.length) {
    const ch = html[i]!
    if (ch !== '<') {
      text += ch
      i++
      continue
    }
    if (html.startsWith('<!--', i)) {
      flush()
      const end = html.indexOf('-->', i + 4)
      const stop = end < 0 ? html.length : end
      out.push({ kind: 'comment', text: html.slice(i + 4, stop) })
      i = end < 0 ? html.length : end + 3
      continue
    }
    if (html.startsWith('<!', i) || html.startsWith('<?', i)) {
      flush()
      const end = html.indexOf('>', i)
      out.push({ kind: 'doctype', text: html.slice(i + 2, end) })
      i = end + 1
      continue
    }
    const endTag = /^<\/([a-zA-Z][^\s/>]*)[^>]*>/.exec(html.slice(i, i + 200))
    if (endTag) {
      flush()
      out.push({ kind: 'end', tag: endTag[1]!.toLowerCase() })
      i += endTag[0].length
      continue
    }
    if (!/^<[a-zA-Z]/.test(html.slice(i, i + 2))) {
      text += ch
      i++
      continue
    }
    flush()
    // A start tag: name, attributes, until the first `>` outside a quoted value.
    i++
    let name = ''
    while (i < html.length && !/[\s/>]/.test(html[i]!)) name += html[i++]
    const attrs = new Map<string, string>()
    let selfClosing = false
    for (;;) {
      while (i < html.length && /[\s/]/.test(html[i]!)) {
        if (html[i] === '/' && html[i + 1] === '>') selfClosing = true
        i++
      }
      if (i >= html.length || html[i] === '>') {
        i++
        break
      }
      let attr = ''
      while (i < html.length && !/[\s/>=]/.test(html[i]!)) attr += html[i++]
      let value = ''
      while (/\s/.test(html[i] ?? '')) i++
      if (html[i] === '=') {
        i++
        while (/\s/.test(html[i] ?? '')) i++
        const quote = html[i]
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, i + 1)
          value = html.slice(i + 1, end)
          i = end + 1
        } else {
          while (i < html.length && !/[\s>]/.test(html[i]!)) value += html[i++]
        }
      }
      const key = attr.toLowerCase()
      if (!attrs.has(key)) attrs.set(key, decode(value))
    }
    const tag = name.toLowerCase()
    out.push({ kind: 'start', tag, attrs, selfClosing })
    if (RAW.has(tag) || RCDATA.has(tag)) {
      // Raw text ends at `</tag` followed by whitespace, `/` or `>` (case-insensitive).
      const re = new RegExp(`</${tag}[\\s/>]`, 'ig')
      re.lastIndex = i
      const m = re.exec(html)
      const end = m ? m.index : html.length
      const body = html.slice(i, end)
      if (body) out.push({ kind: 'text', text: RCDATA.has(tag) ? decode(body) : body })
      i = end
    }
  }
  flush()
  return out
}

/** The tree of the tokens under a root node (tag `#document`). */
export function parse(html: string): Node {
  const root: Node = { tag: '#document', attrs: new Map(), children: [] }
  let current = root
  for (const token of tokenize(html)) {
    if (token.kind === 'text') current.children.push(token.text)
    else if (token.kind === 'start') {
      const node: Node = { tag: token.tag, attrs: token.attrs, children: [], parent: current }
      current.children.push(node)
      if (!VOID.has(token.tag) && !token.selfClosing) current = node
    } else if (token.kind === 'end') {
      let at: Node | undefined = current
      while (at && at.tag !== token.tag) at = at.parent
      if (at?.parent) current = at.parent
    }
  }
  return root
}

export function textOf(node: Node | string): string {
  return typeof node === 'string' ? node : node.children.map(textOf).join('')
}

export function* walk(node: Node): Generator<Node> {
  yield node
  for (const child of node.children) if (typeof child !== 'string') yield* walk(child)
}

export function find(node: Node, test: (n: Node) => boolean): Node[] {
  return [...walk(node)].filter(test)
}

export const byId = (root: Node, id: string): Node | undefined =>
  find(root, (n) => n.attrs.get('id') === id)[0]

export const byTag = (root: Node, tag: string): Node[] => find(root, (n) => n.tag === tag)

export const hasClass = (n: Node, cls: string): boolean =>
  (n.attrs.get('class') ?? '').split(/\s+/).includes(cls)
