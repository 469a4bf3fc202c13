import type { ProgressInfo } from '@huggingface/transformers';
import type { Issue } from '../../errors/index.ts';
import type { OnnxDevice, OnnxDtype } from '../hardware/onnx-device.ts';
import type {
  OnnxEngineOptions,
  OnnxEngineWarning,
  OnnxLoadOptions,
  OnnxModelInfo,
  OnnxTask,
} from './onnx-engine-options.ts';
import type { OnnxGenerateRequest, OnnxGenerateResult } from './onnx-generate-request.ts';

/**
 * Messages between the main-thread dispatcher (worker-engine.ts) and an engine worker
 * (onnx-engine-worker.ts). Everything here is structured-clone data: functions (`onToken`, `signal`,
 * `onWarning`) stay on the main thread and are replaced by flags, delta and cancel messages.
 */

/**
 * Engine options that cross into a worker: `OnnxEngineOptions` without its callbacks and the worker
 * count, so an engine option added there reaches the workers without a second declaration here.
 */
export type WorkerEngineSettings = Omit<OnnxEngineOptions, 'onProgress' | 'onWarning' | 'workers'> & {
  /** Whether the worker forwards load progress (only when the caller passed `onProgress`). */
  readonly forwardProgress: boolean;
};

/** Data the worker is started with (`workerData`). */
export interface EngineWorkerData {
  /** Engine settings for the worker's in-process engine. */
  readonly settings: WorkerEngineSettings;
}

/**
 * A generate request as data: `OnnxGenerateRequest` without what cannot cross a thread (the signal
 * becomes a cancel message, `onToken` delta messages; a ready-made constraint is refused).
 */
export type WorkerGenerateRequest = Omit<OnnxGenerateRequest, 'signal' | 'onToken' | 'constraint'> & {
  /** Whether the worker sends `delta` messages for this request. */
  readonly stream: boolean;
};

/** Load options as data (no signal: the dispatcher stops waiting on its own side). */
export interface WorkerLoadOptions {
  /** What the model serves. */
  readonly task?: OnnxTask;
  /** Device to try first. */
  readonly device?: OnnxDevice;
  /** Weight format. */
  readonly dtype?: OnnxDtype;
}

/** Main thread to worker. */
export type ToEngineWorker =
  | {
      /** Generate requests sent in the same tick, started together so the worker batches them. */
      readonly type: 'generate';
      /** The requests with their call ids. */
      readonly requests: readonly { readonly id: number; readonly request: WorkerGenerateRequest }[];
    }
  | {
      /** Load a model. */
      readonly type: 'load';
      /** Call id. */
      readonly id: number;
      /** Model reference. */
      readonly modelRef: string;
      /** Load options. */
      readonly options: WorkerLoadOptions;
    }
  | {
      /** Embed texts. */
      readonly type: 'embed';
      /** Call id. */
      readonly id: number;
      /** Encoder reference. */
      readonly model: string;
      /** Texts to embed. */
      readonly texts: readonly string[];
    }
  | {
      /** Abort the call with this id (generate or embed). */
      readonly type: 'cancel';
      /** Call id. */
      readonly id: number;
    }
  | {
      /** Dispose the worker's engine after its queued work; answered with a `result`. */
      readonly type: 'dispose';
      /** Call id. */
      readonly id: number;
    };

/** An error as data; rebuilt as a `SignetError` with the same code on the main thread. */
export interface WorkerError {
  /** Signet error code, when the error was a `SignetError`. */
  readonly code?: string;
  /** Error message. */
  readonly message: string;
  /** Structured details of a `SignetError`. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Validation issues of a `SignetError`. */
  readonly issues?: readonly Issue[];
}

/** A call's successful value. */
export type WorkerResultValue = OnnxGenerateResult | OnnxModelInfo | number[][] | null;

/** Worker to main thread. */
export type FromEngineWorker =
  | {
      /** A call finished. */
      readonly type: 'result';
      /** Call id. */
      readonly id: number;
      /** Its value. */
      readonly value: WorkerResultValue;
      /** The worker's loaded models after the call, least recently used first. */
      readonly models: readonly OnnxModelInfo[];
    }
  | {
      /** A call failed. */
      readonly type: 'error';
      /** Call id. */
      readonly id: number;
      /** The error. */
      readonly error: WorkerError;
      /** The worker's loaded models after the call. */
      readonly models: readonly OnnxModelInfo[];
    }
  | {
      /** Streamed text of a generate call, in order. */
      readonly type: 'delta';
      /** Call id. */
      readonly id: number;
      /** Text delta. */
      readonly text: string;
    }
  | {
      /** A warning of the worker's engine. */
      readonly type: 'warning';
      /** The warning. */
      readonly warning: OnnxEngineWarning;
    }
  | {
      /** Load progress (only when forwarded). */
      readonly type: 'progress';
      /** The progress event. */
      readonly progress: ProgressInfo;
    };

/** Keeps `OnnxLoadOptions` and the data sent in sync (signal excluded). */
export function loadOptionsToData(options: OnnxLoadOptions): WorkerLoadOptions {
  return {
    ...(options.task === undefined ? {} : { task: options.task }),
    ...(options.device === undefined ? {} : { device: options.device }),
    ...(options.dtype === undefined ? {} : { dtype: options.dtype }),
  };
}
