const BEFORE_WEBASSEMBLY = Symbol.for('godwit.beforeWebAssembly');

/**
 * Call before compiling WebAssembly. The CLI's launcher (bin/godwit.cjs) starts commands that need none with V8's
 * default flags, since setting one voids Node's code cache for its own modules; this has V8 compile WebAssembly with
 * Liftoff only from here on, as the other commands do from the start (a command lives seconds, and the optimising
 * tier spent them compiling: `tables` on an embedded database 0.73 → 0.48 s). Nothing to do elsewhere (app, tests).
 */
export function beforeWebAssembly(): void {
  const hook = (globalThis as Record<symbol, unknown>)[BEFORE_WEBASSEMBLY];
  if (typeof hook === 'function') hook();
}
