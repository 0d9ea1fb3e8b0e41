import { main } from './main.ts';
import { start } from './start.ts';

// The CLI with every command (bin/godwit.cjs bundles it as cli.cjs; run-read.ts is the smaller one for `tables`).
start(main);
