// The slice of the WebAssembly API the engine uses; Node has it globally, but @types/node 20 does not declare it.
declare namespace WebAssembly {
  type ExportValue = unknown;
  type Exports = Record<string, ExportValue>;
  type ImportValue = unknown;
  type ModuleImports = Record<string, ImportValue>;
  type Imports = Record<string, ModuleImports>;
  interface Instance {
    readonly exports: Exports;
  }
  interface WebAssemblyInstantiatedSource {
    instance: Instance;
  }
  function instantiate(bytes: BufferSource, imports?: Imports): Promise<WebAssemblyInstantiatedSource>;
}
