import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type AttributeProto = onnxProto.onnx.IAttributeProto;
type TensorProto = onnxProto.onnx.ITensorProto;
type ValueInfoProto = onnxProto.onnx.IValueInfoProto;
type NodeProto = onnxProto.onnx.INodeProto;

const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

export type ElemType = 'float32' | 'int64' | 'string';
/** A dimension: a fixed size, or a symbolic name such as `batch` for a dynamic dimension. */
export type Dim = number | string;

const elemTypeCodes: Record<ElemType, number> = {
  float32: DataType.FLOAT,
  int64: DataType.INT64,
  string: DataType.STRING,
};

const textEncoder = new TextEncoder();

/** Typed attribute values: ONNX distinguishes ints from floats, so callers say which. */
export const attr = {
  int: (value: number): Omit<AttributeProto, 'name'> => ({ type: AttributeType.INT, i: value }),
  float: (value: number): Omit<AttributeProto, 'name'> => ({ type: AttributeType.FLOAT, f: value }),
  string: (value: string): Omit<AttributeProto, 'name'> => ({
    type: AttributeType.STRING,
    s: textEncoder.encode(value),
  }),
  ints: (values: ArrayLike<number>): Omit<AttributeProto, 'name'> => ({
    type: AttributeType.INTS,
    ints: Array.from(values),
  }),
  floats: (values: ArrayLike<number>): Omit<AttributeProto, 'name'> => ({
    type: AttributeType.FLOATS,
    floats: Array.from(values),
  }),
  strings: (values: readonly string[]): Omit<AttributeProto, 'name'> => ({
    type: AttributeType.STRINGS,
    strings: values.map((v) => textEncoder.encode(v)),
  }),
};

export type Attributes = Record<string, Omit<AttributeProto, 'name'>>;

export interface BuildOptions {
  /** Opset version per domain; '' is the default ONNX domain. */
  opsets: Record<string, number>;
  docString?: string;
  /** Stored as model metadata_props; keep values deterministic (no timestamps). */
  metadata?: Record<string, string>;
}

function valueInfo(name: string, elemType: ElemType, shape: readonly Dim[]): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: elemTypeCodes[elemType],
        shape: {
          dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

/** A tiny imperative builder over onnx-proto's message types; nodes are named deterministically. */
export class OnnxGraphBuilder {
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly nodes: NodeProto[] = [];
  private readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  input(name: string, elemType: ElemType, shape: readonly Dim[]): this {
    this.inputs.push(valueInfo(name, elemType, shape));
    return this;
  }

  output(name: string, elemType: ElemType, shape: readonly Dim[]): this {
    this.outputs.push(valueInfo(name, elemType, shape));
    return this;
  }

  floatTensor(name: string, dims: readonly number[], data: ArrayLike<number>): string {
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    this.initializers.push({
      name,
      dims: [...dims],
      dataType: DataType.FLOAT,
      rawData: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)),
    });
    return name;
  }

  int64Tensor(name: string, dims: readonly number[], data: readonly number[]): string {
    const values = BigInt64Array.from(data, (v) => BigInt(v));
    this.initializers.push({
      name,
      dims: [...dims],
      dataType: DataType.INT64,
      rawData: new Uint8Array(values.buffer),
    });
    return name;
  }

  node(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes: Attributes = {},
    domain = '',
  ): this {
    this.nodes.push({
      name: `${opType}_${this.nodes.length}`,
      opType,
      domain,
      input: [...inputs],
      output: [...outputs],
      attribute: Object.entries(attributes).map(([name, a]) => ({ name, ...a })),
    });
    return this;
  }

  build(options: BuildOptions): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'fledge-trainer',
      producerVersion: '1',
      docString: options.docString ?? '',
      opsetImport: Object.entries(options.opsets).map(([domain, version]) => ({ domain, version })),
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
