import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as WasmApi from '@prisma/schema-engine-wasm';
import { beforeWebAssembly } from '../util/wasm-tiers.ts';

/** The JS glue of Prisma's schema engine compiled to WebAssembly (same types as the package's d.ts). */
export type SchemaEngineModule = typeof WasmApi;

/** One instance of the engine's WebAssembly module, with its own glue and memory. */
export interface SchemaEngineWasm {
  readonly module: SchemaEngineModule;
  /** Rejects when the instance fails (a Rust panic aborts as `RuntimeError: unreachable`); never resolves. */
  readonly failed: Promise<never>;
  /** True once the instance has failed: it must not be called again (not even `free`). */
  readonly broken: boolean;
  /** Marks the instance failed (the guards below do, on the first exception out of it). */
  fail(err: unknown): void;
}

/** The engine panicked: the instance is unusable. `message` is Rust's panic message when the registry caught it. */
export class EnginePanic extends Error {
  constructor(readonly panic: string | undefined, override readonly cause: unknown) {
    super(panic ?? (cause instanceof Error ? cause.message : String(cause)));
    this.name = 'EnginePanic';
  }
}

const require = createRequire(import.meta.url);
let current: Promise<SchemaEngineWasm> | undefined;
let generation = 0;
/** Read once; each instance (a fresh one after a failure) gets its own memory. */
let wasmBytes: Promise<Buffer> | undefined;

/**
 * The engine's instance, loaded on first use and again after one failed (a panicked instance's memory and
 * locks are in an unknown state). The package's entry imports the .wasm file as an ES module, which Node cannot do,
 * so we instantiate the binary ourselves with the package's glue as its import object.
 */
export async function loadSchemaEngineWasm(): Promise<SchemaEngineWasm> {
  for (;;) {
    const pending = (current ??= instantiate());
    const loaded = await pending.catch((err: unknown) => {
      if (current === pending) current = undefined;
      throw err;
    });
    if (!loaded.broken) return loaded;
    if (current === pending) current = undefined;
  }
}

async function instantiate(): Promise<SchemaEngineWasm> {
  beforeWebAssembly();
  const registry = installPanicRegistry();
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  // A fresh module per instance: the glue keeps the instance's exports and memory views in module variables.
  const glue = (await import(`${pathToFileURL(gluePath).href}?instance=${++generation}`)) as SchemaEngineModule & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
  };
  wasmBytes ??= readFile(join(dirname(gluePath), 'schema_engine_bg.wasm')).catch((err: unknown) => {
    wasmBytes = undefined;
    throw err;
  });
  const bytes = await wasmBytes;

  let reject!: (err: unknown) => void;
  const failed = new Promise<never>((_, r) => (reject = r));
  failed.catch(() => undefined); // nobody may be waiting when it fails
  const state: SchemaEngineWasm = {
    module: glue,
    failed,
    broken: false,
    fail(err: unknown) {
      if (state.broken) return;
      (state as { broken: boolean }).broken = true;
      reject(err instanceof EnginePanic ? err : new EnginePanic(registry.message || undefined, err));
    },
  };
  registry.message = '';

  const { instance } = await WebAssembly.instantiate(bytes, {
    './schema_engine_bg.js': guardedImports(glue as unknown as Record<string, unknown>, state),
  });
  const exports = guardedExports(instance.exports, state);
  glue.__wbg_set_wasm(exports);
  (exports.__wbindgen_start as () => void)();
  return state;
}

/**
 * The engine's futures run from microtasks, promise callbacks and timers, outside any call's promise: a panic there
 * is an uncaught exception that kills the process (and a server with it). Callbacks handed to those three imports
 * are guarded: a throw marks the instance failed (rejecting `failed`), and a failed instance is never entered again.
 * The engine's timers (a 60 s one outlives `createMigration`) are unref'd: they must not keep a finished command
 * alive; `withSchemaEngine` keeps the process alive while a call is running.
 */
function guardedImports(glue: Record<string, unknown>, state: SchemaEngineWasm): Record<string, unknown> {
  const guard = (cb: (...a: unknown[]) => unknown) =>
    function (this: unknown, ...args: unknown[]) {
      if (state.broken) return undefined;
      try {
        return cb.apply(this, args);
      } catch (err) {
        state.fail(err);
        return undefined;
      }
    };
  const imports: Record<string, unknown> = { ...glue };
  for (const [name, fn] of Object.entries(glue)) {
    if (typeof fn !== 'function' || !/^__wbg_(then|queueMicrotask|setTimeout)_/.test(name)) continue;
    const call = fn as (...a: unknown[]) => unknown;
    const isTimer = name.startsWith('__wbg_setTimeout_');
    imports[name] = (...args: unknown[]) => {
      const ret = call(...args.map((a) => (typeof a === 'function' ? guard(a as (...x: unknown[]) => unknown) : a)));
      if (isTimer) (ret as NodeJS.Timeout).unref();
      return ret;
    };
  }
  return imports;
}

/**
 * Every call from JS into the instance goes through its exports: an exception escaping one (a trap) marks the
 * instance failed, and once failed the calls do nothing — the glue's finalizers still free engines and closures of
 * a failed instance when they are collected, and must not trap again outside any call.
 */
function guardedExports(raw: WebAssembly.Exports, state: SchemaEngineWasm): WebAssembly.Exports {
  const exports: WebAssembly.Exports = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== 'function') {
      exports[name] = value;
      continue;
    }
    const fn = value as (...a: unknown[]) => unknown;
    exports[name] = (...args: unknown[]) => {
      if (state.broken) return undefined;
      try {
        return fn(...args);
      } catch (err) {
        state.fail(err);
        throw err;
      }
    };
  }
  return exports;
}

type PanicRegistry = { message: string; set_message(msg: string): void };

/** Without this global a Rust panic inside the engine surfaces as a bare "unreachable". */
function installPanicRegistry(): PanicRegistry {
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
  g.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: '',
    set_message(msg: string) {
      this.message = msg;
    },
  };
  return g.PRISMA_WASM_PANIC_REGISTRY;
}
