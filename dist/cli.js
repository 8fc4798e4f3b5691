#!/usr/bin/env node
import module$1 from 'node:module';

const enableCompileCache = module$1.enableCompileCache;
enableCompileCache?.();
await import('./cli-main.js');
