import { StringDecoder } from 'node:string_decoder';

const BOM = 0xfeff;

/** UTF-8 text of a byte stream, split anywhere (multi-byte characters are never cut), BOM dropped. */
export async function* textChunks(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const chunk of bytes) {
    let text = decoder.write(chunk);
    if (text.length === 0) continue;
    if (first) {
      first = false;
      if (text.charCodeAt(0) === BOM) text = text.slice(1);
    }
    yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield first && rest.charCodeAt(0) === BOM ? rest.slice(1) : rest;
}
