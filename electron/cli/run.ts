import { main } from './main.ts';

// `godwit sql | head` closes stdout early: stop quietly, as Unix tools do, instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// No top-level await: the launcher runs this as a CommonJS bundle (bin/godwit.cjs), which has none.
void main(process.argv).then((code) => {
  process.exitCode = code;
});
