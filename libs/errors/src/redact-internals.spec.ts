import { describe, expect, it } from '@jest/globals';

import { redactInternals } from './redact-internals.js';

describe(redactInternals.name, () => {
  it("drops onnxruntime's source location and C++ signature, keeping the reason", () => {
    const message =
      'Load model from the uploaded file failed:/onnxruntime_src/onnxruntime/core/graph/model.cc:187 ' +
      'onnxruntime::Model::Model(onnx::ModelProto&&, const onnxruntime::PathString&, const ' +
      'onnxruntime::IOnnxRuntimeOpSchemaRegistryList*, const onnxruntime::logging::Logger&, const ' +
      'onnxruntime::ModelOptions&) ModelProto does not have a graph.\n';
    expect(redactInternals(message)).toBe(
      'Load model from the uploaded file failed: ModelProto does not have a graph.',
    );
  });

  it('replaces absolute file paths and leaves URLs, names and plain text alone', () => {
    expect(redactInternals('Load model from /tmp/fledge-inspect-x1/model.onnx failed:Protobuf parsing failed.')).toBe(
      'Load model from <path> failed:Protobuf parsing failed.',
    );
    expect(redactInternals('at Object.run (/srv/app/node_modules/x/index.js:10:5)')).toBe('at Object.run ()');
    for (const kept of ['s3://bucket/models/a.onnx', 'http://127.0.0.1:8080/v2/models', 'label column "a/b"', 'n/a']) {
      expect(redactInternals(kept)).toBe(kept);
    }
  });
});
