import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as WasmApi from '@prisma/schema-engine-wasm';

/** The JS glue of Prisma's schema engine compiled to WebAssembly (same types as the package's d.ts). */
export type SchemaEngineModule = typeof WasmApi;

const require = createRequire(import.meta.url);
let loading: Promise<SchemaEngineModule> | undefined;

/**
 * Loads `@prisma/schema-engine-wasm` once per process. The package's entry imports the .wasm file as an ES module,
 * which Node cannot do, so we instantiate the binary ourselves with the package's glue as its import object.
 */
export function loadSchemaEngineWasm(): Promise<SchemaEngineModule> {
  loading ??= (async () => {
    installPanicRegistry();
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = (await import(pathToFileURL(gluePath).href)) as SchemaEngineModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const bytes = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return loading;
}

type PanicRegistry = { message: string; set_message(msg: string): void };

/** Without this global a Rust panic inside the engine surfaces as a bare "unreachable". */
function installPanicRegistry(): void {
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
  g.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: '',
    set_message(msg: string) {
      this.message = msg;
    },
  };
}

/** The last panic message the engine recorded, if any. */
export function lastEnginePanic(): string | undefined {
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
  return g.PRISMA_WASM_PANIC_REGISTRY?.message || undefined;
}
