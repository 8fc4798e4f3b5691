/**
 * Splits a byte or text stream into lines without ever holding more than one line and one chunk:
 * inputs reach gigabytes. Handles \n and \r\n; a lone \r stays in the line (progress bars).
 */
export async function forEachLine(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  onLine: (line: string, lineNo: number) => void
): Promise<number> {
  const decoder = new TextDecoder('utf-8')
  let carry = ''
  let lineNo = 0
  for await (const chunk of chunks) {
    const text =
      carry + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }))
    let start = 0
    let newline = text.indexOf('\n', start)
    while (newline >= 0) {
      const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline
      onLine(text.slice(start, end), ++lineNo)
      start = newline + 1
      newline = text.indexOf('\n', start)
    }
    carry = text.slice(start)
  }
  carry += decoder.decode()
  if (carry.length > 0) onLine(carry.endsWith('\r') ? carry.slice(0, -1) : carry, ++lineNo)
  return lineNo
}
