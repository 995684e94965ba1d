/**
 * Native libraries (onnxruntime above all) put their build's source paths, line numbers and C++
 * signatures into error messages, e.g. `/onnxruntime_src/onnxruntime/core/graph/model.cc:180
 * onnxruntime::Model::Model(ModelProto&&, …) Unsupported model IR version`. Clients get the reason,
 * not the internals: source locations with the function after them, and absolute file paths.
 */
const SOURCE_LOCATION =
  /\/(?:[\w.@+-]+\/)+[\w.@+-]+\.(?:cc|cpp|cxx|c|hpp|hh|h|inl|rs|py|js|mjs|cjs|ts)(?::\d+)+(?:\s+[\w:~<>*&,\s]*?\([^()]*(?:\([^()]*\)[^()]*)*\)(?:\s*const)?)?/g;
const ABSOLUTE_PATH = /(?<![\w/])\/(?:[\w.@+-]+\/)+[\w.@+-]+/g;

export function redactInternals(message: string): string {
  return message
    .replace(SOURCE_LOCATION, '')
    .replace(ABSOLUTE_PATH, '<path>')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
