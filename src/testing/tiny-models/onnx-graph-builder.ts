import { createRequire } from 'node:module';
import type onnxProto from 'onnx-proto';
import { missingDependency } from '../../util/import-optional.ts';

type Onnx = typeof onnxProto.onnx;

/**
 * onnx-proto (protobufjs and the whole ONNX schema, ~10 MB of heap) is loaded on the first model
 * build, not when signet's index is imported: only tests and demos generate models.
 */
function loadOnnx(): Onnx {
  try {
    const module: typeof onnxProto = createRequire(import.meta.url)('onnx-proto');
    return module.onnx;
  } catch (error) {
    throw (
      missingDependency({ name: 'onnx-proto', install: 'onnx-proto', feature: 'Tiny test models' }, error) ??
      error
    );
  }
}

/** ONNX element types the tiny models use. */
export type ElementType = 'float32' | 'int64' | 'bool';

/** A node attribute, tagged by its ONNX kind so ints and floats are never confused. */
export type AttributeValue = { int: number } | { float: number } | { ints: readonly number[] };

/** A tensor dimension: a concrete size or a symbolic name such as `batch_size`. */
export type Dim = number | string;

/** Builds one ONNX graph node by node and encodes it as a `model.onnx` protobuf. */
export interface GraphBuilder {
  /** Declares a graph input with its element type and shape. */
  input(name: string, type: ElementType, shape: readonly Dim[]): string;
  /** Declares a graph output; `name` must be produced by some node. */
  output(name: string, type: ElementType, shape: readonly Dim[]): void;
  /** Adds a float32 weight tensor and returns its name. */
  weight(name: string, dims: readonly number[], data: Float32Array): string;
  /** Adds an int64 constant tensor and returns its name. */
  int64(name: string, dims: readonly number[], values: readonly number[]): string;
  /** Adds a node with one output and returns that output's name (`out`, or a generated one). */
  op(
    opType: string,
    inputs: readonly string[],
    attrs?: Readonly<Record<string, AttributeValue>>,
    out?: string,
  ): string;
  /** Adds a node with several outputs and returns their names. */
  opMulti(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attrs?: Readonly<Record<string, AttributeValue>>,
  ): string[];
  /** Encodes the graph as an ONNX model with the given opset (default 17). */
  encode(options?: { opset?: number; graphName?: string }): Uint8Array;
}

function elementTypeCode(onnx: Onnx, type: ElementType): number {
  const codes = onnx.TensorProto.DataType;
  return type === 'float32' ? codes.FLOAT : type === 'int64' ? codes.INT64 : codes.BOOL;
}

function valueInfo(
  onnx: Onnx,
  name: string,
  type: ElementType,
  shape: readonly Dim[],
): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: elementTypeCode(onnx, type),
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(onnx: Onnx, name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const kinds = onnx.AttributeProto.AttributeType;
  if ('int' in value) return { name, type: kinds.INT, i: value.int };
  if ('float' in value) return { name, type: kinds.FLOAT, f: value.float };
  return { name, type: kinds.INTS, ints: [...value.ints] };
}

function bytesOf(view: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Creates an empty graph builder. Weights are stored as little-endian `raw_data`. */
export function createGraphBuilder(): GraphBuilder {
  const onnx = loadOnnx();
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const initializers: onnxProto.onnx.ITensorProto[] = [];
  const inputs: onnxProto.onnx.IValueInfoProto[] = [];
  const outputs: onnxProto.onnx.IValueInfoProto[] = [];
  let counter = 0;

  const opMulti: GraphBuilder['opMulti'] = (opType, nodeInputs, nodeOutputs, attrs = {}) => {
    nodes.push({
      name: `${opType}_${nodes.length}`,
      opType,
      input: [...nodeInputs],
      output: [...nodeOutputs],
      attribute: Object.entries(attrs).map(([name, value]) => attribute(onnx, name, value)),
    });
    return [...nodeOutputs];
  };

  return {
    input(name, type, shape) {
      inputs.push(valueInfo(onnx, name, type, shape));
      return name;
    },
    output(name, type, shape) {
      outputs.push(valueInfo(onnx, name, type, shape));
    },
    weight(name, dims, data) {
      initializers.push({
        name,
        dims: [...dims],
        dataType: elementTypeCode(onnx, 'float32'),
        rawData: bytesOf(data),
      });
      return name;
    },
    int64(name, dims, values) {
      const data = BigInt64Array.from(values, (v) => BigInt(v));
      initializers.push({
        name,
        dims: [...dims],
        dataType: elementTypeCode(onnx, 'int64'),
        rawData: bytesOf(data),
      });
      return name;
    },
    op(opType, nodeInputs, attrs = {}, out) {
      counter += 1;
      const name = out ?? `${opType.toLowerCase()}_${counter}`;
      return opMulti(opType, nodeInputs, [name], attrs)[0] ?? name;
    },
    opMulti,
    encode({ opset = 17, graphName = 'tiny' } = {}) {
      const model = onnx.ModelProto.create({
        irVersion: 8,
        producerName: 'signet-tiny-models',
        opsetImport: [{ domain: '', version: opset }],
        graph: { name: graphName, node: nodes, initializer: initializers, input: inputs, output: outputs },
      });
      return onnx.ModelProto.encode(model).finish();
    },
  };
}
