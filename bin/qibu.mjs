#!/usr/bin/env node
// The `qibu` command (npm start runs `qibu serve`). TypeScript is loaded through tsx's registered loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
